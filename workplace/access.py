"""Who may see a colleague: every view of a person (profile, photo) goes through here."""

from __future__ import annotations

from django.http import Http404

from workplace.models import Employee


def access_colleague(user: Employee, username: str) -> Employee:
    """An active colleague, for any logged-in employee; Http404 for a former one.

    Whoever has left is no longer shown, nor is their photo."""
    if not user.is_authenticated or not user.is_active:
        raise Http404
    colleague = (
        Employee.objects.select_related("department", "site")
        .filter(username=username, is_active=True)
        .first()
    )
    if colleague is None:
        raise Http404
    return colleague
