"""A real worker takes the jobs: the scheduled work happens with nobody running a command."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from surveys import demo
from surveys.models import Status, Survey
from surveys.tasks import surveys_tick
from tests.factories import EmployeeFactory
from tests.workers import queueing, run_workers
from workplace.models import Audience

pytestmark = pytest.mark.django_db(transaction=True)


def wait_for(condition, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def forget_claimed_slots(task_name: str) -> None:
    """The cache (Redis, shared by the whole test run) remembers which minute a periodic
    job already ran, once for all workers: a worker test earlier in the same minute would
    make this one's run the second of its slot, which is skipped by design."""
    now = timezone.now().replace(second=0, microsecond=0)
    cache.delete_many(
        [f"jobs:slot:{task_name}:{now + timedelta(minutes=m):%Y%m%d%H%M}" for m in (0, 1)]
    )


def test_a_worker_opens_a_survey_whose_time_has_come(organisation, tmp_path):
    forget_claimed_slots("surveys_tick")
    hr = EmployeeFactory(username="hilde", department=organisation["civil"])
    survey = demo.build("Lezersbevraging gent&co", hr, Audience.objects.create(all_staff=True))
    survey.status = Status.SCHEDULED
    survey.opens_at = timezone.now() - timedelta(minutes=1)
    survey.save()
    with run_workers(1, log=tmp_path / "worker"), queueing():
        surveys_tick()  # what the scheduler enqueues every five minutes
        opened = wait_for(lambda: Survey.objects.get(pk=survey.pk).status == Status.OPEN)
    log = (tmp_path / "worker.0.log").read_text()
    assert opened, log
    assert "surveys_tick" in log
