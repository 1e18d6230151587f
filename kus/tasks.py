"""KUS's scheduled job (Huey imports every app's ``tasks`` module)."""

from __future__ import annotations

from kus import actions, reminders
from workplace import jobs
from workplace.jobs import crontab


@jobs.periodic(crontab(minute="30", hour="6"))
def kus_daily() -> tuple[int, int]:
    """Daily at 06:30: expired directives are archived, owners reminded of reviews due."""
    return actions.archive_expired(), actions.send_review_reminders()


@jobs.periodic(crontab(minute="0", hour="9"))
def kus_ack_reminders() -> int:
    """Daily at 09:00: who has not acknowledged a directive due within
    ``KUS_ACK_REMINDER_DAYS`` is reminded, once per round (notifications keep working hours)."""
    return reminders.send_due_reminders()
