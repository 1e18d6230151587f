"""The role groups every module can rely on, created by a data migration."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COMMUNICATION = "Communicatie", _("Internal communication team")
    HR = "HR", _("HR")
    KUS_EDITORS = "KUS-redactie", _("KUS editors")
    MANAGERS = "Leidinggevenden", _("Department managers")
    # Sends urgent messages (alerts) beside the communication team; its group comes
    # from alerts' data migration.
    CRISIS_COMMUNICATION = "Crisiscommunicatie", _("Crisis communication")


def role_names(user) -> frozenset[str]:
    """The names of the role groups the user belongs to, cached on the user object."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_werkplek_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
        user._werkplek_role_names = cached
    return cached


def has_role(user, role: Role) -> bool:
    """True when the user belongs to the role group (superusers hold every role)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or role.value in role_names(user)


def role_required(role: Role):
    """View decorator: log in first, then 403 for anyone without the role; a role that
    needs a second factor (``mfa``) is only used with a verified one."""
    from functools import wraps

    from django.contrib.auth.decorators import login_required
    from django.core.exceptions import PermissionDenied

    from workplace.mfa import second_factor_required

    def decorator(view):
        @wraps(view)
        @login_required
        @second_factor_required
        def wrapper(request, *args, **kwargs):
            if not has_role(request.user, role):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
