"""A real worker takes the jobs: the scheduled work happens with nobody running a command."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
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


def test_a_worker_opens_a_survey_whose_time_has_come(organisation, tmp_path):
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
