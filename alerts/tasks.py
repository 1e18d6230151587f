"""Urgent messages' job (Huey imports every app's ``tasks`` module)."""

from __future__ import annotations

from alerts import actions
from workplace import jobs
from workplace.jobs import crontab


@jobs.periodic(crontab(minute="*"))
def resend_unacknowledged() -> int:
    """Every minute: the messages whose re-send time came, to who has not acknowledged."""
    # The banner's "last sent" in the shared cache, put back in case the cache lost it.
    actions.remember_last_sent()
    return actions.resend_due()
