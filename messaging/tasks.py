"""Messaging's scheduled job (Huey imports every app's ``tasks`` module)."""

from __future__ import annotations

from messaging.missed import notify_missed
from workplace import jobs
from workplace.jobs import crontab


@jobs.periodic(crontab(minute="*"))
def missed_messages() -> int:
    """Every minute: messages unread for a few minutes, with Werkplek closed, are notified."""
    return notify_missed()
