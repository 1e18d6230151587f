"""The core's scheduled jobs (Huey imports every app's ``tasks`` module)."""

from __future__ import annotations

from workplace import jobs
from workplace.audit import purge_expired
from workplace.jobs import crontab


@jobs.periodic(crontab(minute="*"))
def heartbeat() -> None:
    """Every minute: /healthz can tell that the workers run."""
    jobs.beat()


@jobs.periodic(crontab(minute="15", hour="3"))
def audit_purge() -> int:
    """Daily: audit events older than AUDIT_RETENTION_DAYS go."""
    return purge_expired()
