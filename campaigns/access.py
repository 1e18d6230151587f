"""Who may write announcements and campaigns, and who may read them: fetch and authorize
in one call, 404 for what the user may not know exists.

Editors are the communication team (any audience, every announcement) and a
department's communicators (their department and what is below it, and the
announcements and campaigns made for it). An announcement exists for readers only
once published and until withdrawn, and only when its audience reaches them: the
same ``audiences_for`` subquery as every other module's lists.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from campaigns.models import Acknowledgement, Announcement, Campaign, DepartmentCommunicator
from workplace.audiences import audiences_for
from workplace.mfa import second_factor_required
from workplace.models import Department, Employee
from workplace.roles import Role, has_role


def is_team(user) -> bool:
    """The internal communication team: every audience, every announcement."""
    return has_role(user, Role.COMMUNICATION)


def communicator_departments(user) -> list[Department]:
    if not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, "_communicator_departments", None)
    if cached is None:
        cached = list(
            Department.objects.filter(
                pk__in=DepartmentCommunicator.objects.filter(employee=user).values("department_id")
            )
        )
        user._communicator_departments = cached
    return cached


def department_communicators() -> QuerySet:
    """For the query that loads the logged-in employee (``register_user_question``)."""
    return DepartmentCommunicator.objects.values("employee_id")


def is_editor(user) -> bool:
    if is_team(user):
        return True
    if getattr(user, "communicates_for_a_department", None) is False:
        return False  # answered when they were loaded: no need to ask for departments
    return bool(communicator_departments(user))


def _within_q(departments: list[Department], prefix: str = "department__") -> Q:
    q = Q(pk__in=[])
    for department in departments:
        q |= Q(**{f"{prefix}path__startswith": department.path})
    return q


def editable_announcements(user: Employee) -> QuerySet[Announcement]:
    if is_team(user):
        return Announcement.objects.all()
    return Announcement.objects.filter(_within_q(communicator_departments(user)))


def editable_campaigns(user: Employee) -> QuerySet[Campaign]:
    if is_team(user):
        return Campaign.objects.all()
    return Campaign.objects.filter(_within_q(communicator_departments(user)))


def editor_required(view):
    """Log in, give the second factor the role needs, and be an editor: else 404."""

    @wraps(view)
    @login_required
    @second_factor_required
    def wrapper(request, *args, **kwargs):
        if not is_editor(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def published(now=None) -> QuerySet[Announcement]:
    return Announcement.objects.filter(
        published__isnull=False, published__lte=now or timezone.now(), withdrawn=None
    )


def readable_announcements(user: Employee) -> QuerySet[Announcement]:
    """Published announcements whose audience reaches the user."""
    if not user.is_authenticated or not user.is_active:
        return Announcement.objects.none()
    return published().filter(audience__in=audiences_for(user).values("pk"))


def to_confirm_q(user: Employee) -> Q:
    """Announcements that ask "Gelezen" of the user and that they have not confirmed."""
    return Q(requires_ack=True) & ~Q(
        Exists(Acknowledgement.objects.filter(announcement=OuterRef("pk"), employee=user.pk))
    )


def readable_campaigns(user: Employee) -> QuerySet[Campaign]:
    """Campaigns with at least one announcement the user may read."""
    return Campaign.objects.filter(pk__in=readable_announcements(user).values("campaign_id"))


def access_announcement(user: Employee, pk: int) -> tuple[Announcement, bool]:
    """The announcement and whether the user edits it; 404 for anyone else."""
    found = Announcement.objects.select_related("audience", "campaign", "author")
    announcement = editable_announcements(user).filter(pk=pk).first() if is_editor(user) else None
    if announcement is not None:
        return found.get(pk=announcement.pk), True
    announcement = found.filter(
        pk__in=readable_announcements(user).filter(pk=pk).values("pk")
    ).first()
    if announcement is None:
        raise Http404
    return announcement, False


def access_editable_announcement(user: Employee, pk: int) -> Announcement:
    announcement = (
        editable_announcements(user).select_related("audience", "campaign").filter(pk=pk).first()
    )
    if announcement is None:
        raise Http404
    return announcement


def access_campaign(user: Employee, pk: int) -> tuple[Campaign, bool]:
    campaign = editable_campaigns(user).filter(pk=pk).first() if is_editor(user) else None
    if campaign is not None:
        return campaign, True
    campaign = readable_campaigns(user).filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign, False


def access_editable_campaign(user: Employee, pk: int) -> Campaign:
    campaign = editable_campaigns(user).select_related("audience").filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign
