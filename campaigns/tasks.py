"""Campaigns' jobs (Huey imports every app's ``tasks`` module)."""

from __future__ import annotations

from campaigns import actions, reach
from workplace import jobs
from workplace.jobs import crontab


@jobs.periodic(crontab(minute="*"))
def publish_due() -> int:
    """Every minute: the announcements whose time came go out (once, whichever worker)."""
    return actions.publish_due()


@jobs.periodic(crontab(minute="17", hour="3"))
def forget_reach_marks() -> int:
    """Nightly: past the measuring period only the counts remain (docs/campaigns.md)."""
    return reach.forget_marks()
