"""Background jobs: failures reach administrators, retries back off, periodic jobs are declared."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils.module_loading import autodiscover_modules
from huey.contrib.djhuey import HUEY

from notifications.models import Delivery, Notification
from tests.auth import verified_login
from tests.factories import EmployeeFactory
from workplace import jobs
from workplace.models import JobFailure

pytestmark = pytest.mark.django_db


@jobs.job(retries=2)
def always_fails(reason: str) -> None:
    raise RuntimeError(reason)


def test_a_failing_job_is_recorded_for_administrators_and_retried_later():
    always_fails("de mailserver antwoordt niet")
    [failure] = JobFailure.objects.all()
    assert failure.task.endswith("always_fails") and failure.retries_left == 2
    assert "de mailserver antwoordt niet" in failure.error
    # The retry waits (immediate mode keeps it in the schedule instead of running it).
    [retry] = HUEY.scheduled()
    assert retry.retries == 1 and retry.retry_delay == 60
    HUEY.storage.flush_schedule()


def test_back_off_doubles_up_to_an_hour():
    assert [jobs.backoff(n) for n in (1, 2, 3, 4)] == [
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
        timedelta(minutes=8),
    ]
    assert jobs.backoff(20) == timedelta(hours=1)


def test_the_scheduled_jobs_replace_the_cron_table():
    autodiscover_modules("tasks")  # as run_huey does
    names = {task.name for task in HUEY._registry.periodic_tasks}
    assert {
        "heartbeat",
        "audit_purge",
        "kus_daily",
        "surveys_tick",
        "search_repair",
        "send_due",
        "missed_messages",
    } <= names


def test_administrators_read_the_failures_and_the_delivery_log(organisation):
    admin = EmployeeFactory(username="beheer", is_superuser=True, is_staff=True)
    always_fails("kapot")
    HUEY.storage.flush_schedule()
    line = Notification.objects.create(recipient=admin, kind="urgent", title="Storm")
    Delivery.objects.create(
        notification=line, recipient=admin, channel="sms", key="x", status="failed"
    )
    client = Client()
    verified_login(client, admin)
    page = client.get("/admin/workplace/jobfailure/")
    assert page.status_code == 200 and "kapot" in page.content.decode()
    log = client.get("/admin/notifications/delivery/")
    assert log.status_code == 200 and "sms" in log.content.decode()


def test_ordinary_staff_cannot_read_them(organisation):
    staff = EmployeeFactory(username="redactie", is_staff=True)
    client = Client()
    verified_login(client, staff)
    assert client.get("/admin/notifications/delivery/").status_code in (302, 403, 404)
    assert client.get("/admin/workplace/jobfailure/").status_code in (302, 403, 404)
