"""Two Huey consumers over Redis deliver one announcement: everything once, nothing twice."""

from __future__ import annotations

import time

import pytest

from notifications.models import (
    Delivery,
    DeliveryProfile,
    DeliveryStatus,
    NotificationPreference,
    PushSubscription,
)
from streams import actions
from tests.factories import EmployeeFactory
from tests.push_service import FakeBrowser, PushService
from tests.workers import queueing, run_workers
from workplace.roles import Role

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

STAFF = 120


def test_two_workers_over_redis_push_every_message_exactly_once(organisation, settings, tmp_path):
    with PushService(delay=0.05) as service:  # a push service far away: the work spreads
        settings.WEBPUSH_EXTRA_ENDPOINTS = [f"{service.url}/"]
        browser = FakeBrowser(service.endpoint("x"))
        for number in range(STAFF):
            person = EmployeeFactory(username=f"w{number}", department=organisation["team"])
            PushSubscription.objects.create(
                employee=person,
                endpoint=service.endpoint(f"w{number}"),
                p256dh=browser.p256dh,
                auth=browser.auth,
            )
            NotificationPreference.objects.create(
                employee=person, kind="announcement", channel="push", enabled=True
            )
            # Outside working hours the messages would wait: these people work around the clock.
            DeliveryProfile.objects.create(
                employee=person, work_days="1234567", work_start="00:00", work_end="23:59"
            )
        lies = EmployeeFactory(username="lies", roles=[Role.COMMUNICATION])
        env = {"WEBPUSH_EXTRA_ENDPOINTS": f"{service.url}/"}
        with run_workers(2, extra_env=env, log=tmp_path / "worker", poll=True), queueing():
            actions.create_post(lies, "Stormwaarschuwing: werven dicht", is_announcement=True)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                sent = Delivery.objects.filter(channel="push", status=DeliveryStatus.SENT).count()
                if sent == STAFF:
                    break
                time.sleep(0.2)
        logs = [(tmp_path / f"worker.{n}.log").read_text() for n in range(2)]
        assert sent == STAFF, logs
        paths = [request.path for request in service.received]
        assert len(paths) == STAFF and len(set(paths)) == STAFF  # each phone once
        # Both consumers took a share of the sending.
        assert all("send_deliveries" in log for log in logs), logs
