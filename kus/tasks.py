"""KUS's scheduled job (Huey imports every app's ``tasks`` module)."""

from __future__ import annotations

from kus import actions
from workplace import jobs
from workplace.jobs import crontab


@jobs.periodic(crontab(minute="30", hour="6"))
def kus_daily() -> tuple[int, int]:
    """Daily at 06:30: expired directives are archived, owners reminded of reviews due."""
    return actions.archive_expired(), actions.send_review_reminders()
