"""Who may see which survey: fetch and authorize in one call, 404 for the unknowable.

Every page, API view and export of surveys goes through these helpers.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from surveys.models import Participation, Status, Survey
from workplace.audiences import audiences_for
from workplace.models import Employee
from workplace.roles import Role, has_role


def surveys_for(user: Employee) -> QuerySet[Survey]:
    """Open or closed surveys whose audience reaches the user (never drafts)."""
    return Survey.objects.filter(
        status__in=[Status.OPEN, Status.CLOSED],
        audience__in=audiences_for(user).values("pk"),
    )


def open_unanswered_for(user: Employee) -> QuerySet[Survey]:
    submitted = Participation.objects.filter(survey=OuterRef("pk"), employee=user, submitted=True)
    return (
        surveys_for(user)
        .filter(status=Status.OPEN)
        # Past its closing time but not yet closed by the cron tick: no longer on offer.
        .exclude(closes_at__lte=timezone.now())
        .exclude(Exists(submitted))
        .order_by("closes_at", "pk")
    )


def access_survey(user: Employee, pk: int) -> Survey:
    """A survey the user is invited to; 404 for everyone else."""
    survey = surveys_for(user).filter(pk=pk).first()
    if survey is None:
        raise Http404
    return survey


def can_manage(user: Employee) -> bool:
    return has_role(user, Role.HR)


def owned_surveys(user: Employee) -> QuerySet[Survey]:
    if not can_manage(user):
        return Survey.objects.none()
    return Survey.objects.filter(owners=user)


def access_owned_survey(user: Employee, pk: int) -> Survey:
    """A survey the user owns (and may build and read results of); 404 for everyone else."""
    survey = owned_surveys(user).filter(pk=pk).select_related("audience").first()
    if survey is None:
        raise Http404
    return survey
