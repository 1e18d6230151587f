"""Surveys' scheduled job (Huey imports every app's ``tasks`` module)."""

from __future__ import annotations

from django.core.management import call_command

from workplace import jobs
from workplace.jobs import crontab


@jobs.periodic(crontab(minute="*/5"))
def surveys_tick() -> None:
    """Every five minutes: surveys open and close at their dates (``manage.py surveys_tick``)."""
    call_command("surveys_tick", verbosity=0)
