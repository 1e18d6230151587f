"""The search's scheduled repair (Huey imports every app's ``tasks`` module)."""

from __future__ import annotations

import io

from django.core.management import call_command

from workplace import jobs
from workplace.jobs import crontab


@jobs.periodic(crontab(minute="40", hour="2"))
def search_repair() -> str:
    """Nightly: documents missing from or stale in the index are repaired."""
    report = io.StringIO()
    call_command("search_check", fix=True, stdout=report)
    return report.getvalue()
