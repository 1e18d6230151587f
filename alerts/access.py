"""Who may send urgent messages, and who may read one: fetch and authorize in one call.

Senders are the communication team and crisis communication; for everyone else
the sender's pages do not exist (404). A sent message exists only for those its
audience reaches (and for the senders): the same ``audiences_for`` subquery as
every other module's lists.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404

from alerts.models import UrgentMessage
from workplace.audiences import audiences_for
from workplace.mfa import second_factor_required
from workplace.models import Employee
from workplace.roles import Role, has_role

SENDER_ROLES = (Role.COMMUNICATION, Role.CRISIS_COMMUNICATION)


def may_send(user) -> bool:
    return any(has_role(user, role) for role in SENDER_ROLES)


def sender_ids() -> list[int]:
    """The active employees who may send (and so follow the progress pages)."""
    return list(
        Employee.objects.filter(is_active=True, groups__name__in=[r.value for r in SENDER_ROLES])
        .values_list("pk", flat=True)
        .distinct()
    )


def sender_required(view):
    """Log in, give the second factor the role needs, and be a sender: else 404."""

    @wraps(view)
    @login_required
    @second_factor_required
    def wrapper(request, *args, **kwargs):
        if not may_send(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def received(user: Employee) -> QuerySet[UrgentMessage]:
    """The sent messages whose audience reaches the user."""
    if not user.is_authenticated or not user.is_active:
        return UrgentMessage.objects.none()
    return UrgentMessage.objects.filter(
        sent__isnull=False, audience__in=audiences_for(user).values("pk")
    )


def access_received(user: Employee, pk: int) -> UrgentMessage:
    message = received(user).filter(pk=pk).first()
    if message is None:
        raise Http404
    return message


def access_sendable(user: Employee, pk: int) -> UrgentMessage:
    if not may_send(user):
        raise Http404
    message = UrgentMessage.objects.select_related("sender", "audience").filter(pk=pk).first()
    if message is None:
        raise Http404
    return message
