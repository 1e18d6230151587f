"""Reminders to acknowledge a directive: who is still due, by hand and before the deadline.

- By hand: an editor of the directive reminds everyone still due, or one department
  (with everything below it); a manager reminds a department they follow up. The
  ``check_remind`` half authorizes (404 for what the user may not see), ``do_remind``
  writes and notifies.
- Automatically: ``send_due_reminders`` (the daily job) reminds everyone still due
  ``KUS_ACK_REMINDER_DAYS`` before a directive's ``ack_by``, once per round.

Nobody gets two reminders about the same directive within ``QUIET_PERIOD``: a double
tap, an editor after a manager, or the job after a reminder by hand.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kus.access import can_edit, managed_departments
from kus.models import Acknowledgement, Directive, Reminder, Status
from notifications.actions import notify
from notifications.models import NotificationKind
from workplace.audiences import members
from workplace.models import Department, Employee

QUIET_PERIOD = datetime.timedelta(days=1)


class ReminderRefused(Exception):
    """The reminder cannot go out; the message is meant for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Scope:
    """Whom a reminder may reach: everyone (``department`` None) or one department's subtree."""

    directive: Directive
    department: Department | None = None


def still_due(directive: Directive, department: Department | None = None) -> QuerySet[Employee]:
    """The active people the directive addresses who have not acknowledged its current round
    (in ``department`` and below it, when given)."""
    done = Acknowledgement.objects.filter(
        directive=directive, ack_round=directive.ack_round, employee=OuterRef("pk")
    )
    people = members(directive.audience).exclude(Exists(done))
    if department is not None:
        people = people.filter(department__path__startswith=department.path)
    return people


def check_remind(user: Employee, directive: Directive, department_id: int | None) -> Scope:
    """May ``user`` remind the people of ``directive`` (of one department)? Http404 if not.

    ``directive`` comes from ``access_directive`` (the user may see it). Its editors
    remind everyone or any department; a manager only a department they follow up.
    """
    if not directive.requires_ack:
        raise Http404
    department = None
    if department_id is not None:
        department = Department.objects.filter(pk=department_id).first()
        if department is None:
            raise Http404
    if can_edit(user, directive):
        return Scope(directive, department)
    if department is None or not managed_departments(user).filter(pk=department.pk).exists():
        raise Http404
    return Scope(directive, department)


def _recently_reminded(directive: Directive, now: datetime.datetime) -> QuerySet[Reminder]:
    return Reminder.objects.filter(
        directive=directive, ack_round=directive.ack_round, sent_at__gt=now - QUIET_PERIOD
    )


def do_remind(scope: Scope, *, sent_by: Employee | None, automatic: bool = False) -> int:
    """Notify everyone in the scope still due and not reminded within a day; how many.

    Raises ReminderRefused when nobody is left to remind (all confirmed, or all reminded
    less than a day ago).
    """
    with transaction.atomic():
        # One reminder at a time per directive: a double tap finds the first one's recipients.
        directive = Directive.objects.select_for_update().get(pk=scope.directive.pk)
        if directive.status != Status.PUBLISHED or not directive.requires_ack:
            raise ReminderRefused(_("This directive does not ask for an acknowledgement."))
        now = timezone.now()
        due = still_due(directive, scope.department)
        if not due.exists():
            raise ReminderRefused(_("Everyone has acknowledged it: there is nobody to remind."))
        recent = _recently_reminded(directive, now)
        reminded = Reminder.recipients.through.objects.filter(reminder__in=recent)
        ids = list(due.exclude(pk__in=reminded.values("employee_id")).values_list("pk", flat=True))
        if not ids:
            last = recent.first()
            when = last.sent_at if last is not None else now
            raise ReminderRefused(
                _(
                    "Everyone who has not acknowledged it yet got a reminder on %(when)s. "
                    "You can remind them again a day later."
                )
                % {"when": date_format(timezone.localtime(when), "j F H:i")}
            )
        reminder = Reminder.objects.create(
            directive=directive,
            ack_round=directive.ack_round,
            department=scope.department,
            sent_by=sent_by,
            automatic=automatic,
            sent_at=now,
        )
        reminder.recipients.set(ids)
        told = notify(
            ids,
            NotificationKind.REMINDER,
            directive,
            title=_reminder_title(directive),
            url=directive.get_absolute_url(),
        )
    return len(told)


def _reminder_title(directive: Directive) -> str:
    if directive.ack_by:
        return _("Acknowledge by %(date)s: %(directive)s") % {
            "date": date_format(directive.ack_by, "j F"),
            "directive": directive,
        }
    return _("Reminder: read and acknowledge %(directive)s") % {"directive": directive}


def due_for_automatic(today: datetime.date) -> QuerySet[Directive]:
    """Published directives whose ``ack_by`` lies within the reminder days from ``today``
    and whose current round had no automatic reminder yet."""
    days = settings.KUS_ACK_REMINDER_DAYS
    done = Reminder.objects.filter(
        directive=OuterRef("pk"), ack_round=OuterRef("ack_round"), automatic=True
    )
    return Directive.objects.filter(
        status=Status.PUBLISHED,
        requires_ack=True,
        ack_by__gte=today,
        ack_by__lte=today + datetime.timedelta(days=days),
    ).exclude(Exists(done))


def send_due_reminders(today: datetime.date | None = None) -> int:
    """The daily job: remind who is still due before the acknowledgement date, once per round.

    Returns the number of directives reminded about. When nobody is left to remind (all
    confirmed, or all reminded by hand within the day) the directive's turn is used all
    the same: the job never comes back to it in this round.
    """
    today = today or timezone.localdate()
    sent = 0
    for directive in due_for_automatic(today):
        try:
            do_remind(Scope(directive), sent_by=None, automatic=True)
        except ReminderRefused:
            Reminder.objects.create(
                directive=directive, ack_round=directive.ack_round, automatic=True
            )
        else:
            sent += 1
    return sent
