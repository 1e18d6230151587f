"""Scheduling: an announcement exists for nobody but its editors until its moment, then
reaches its audience on every surface, once."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from campaigns import actions, tasks
from notifications.models import Notification
from streams.models import Activity
from tests.campaigns.conftest import scheduled

pytestmark = pytest.mark.django_db


def test_before_its_time_nobody_but_its_editors_sees_it(
    login, lies, alice, bob, carol, facility_audience, campaign
):
    item = scheduled(lies, facility_audience, campaign=campaign)
    for reader in (alice, bob):
        client = login(reader)
        assert client.get(item.get_absolute_url()).status_code == 404
        assert item.title not in client.get("/aankondigingen/").content.decode()
        assert item.title not in client.get("/").content.decode()
        assert item.title not in client.get("/api/v1/streams/").content.decode()
        assert item.title not in client.get("/api/v1/notifications/").content.decode()
        assert client.get(campaign.get_absolute_url()).status_code == 404
    assert not Activity.objects.filter(object_ref=f"campaigns:{item.pk}").exists()
    assert not Notification.objects.exists()
    assert login(lies).get(item.get_absolute_url()).status_code == 200
    # The control: once published, the same reader finds it on each of those surfaces.
    actions.do_publish(item)
    client = login(alice)
    assert client.get(item.get_absolute_url()).status_code == 200
    for surface in ("/aankondigingen/", "/", "/api/v1/streams/", "/api/v1/notifications/"):
        assert item.title in client.get(surface).content.decode(), surface
    assert client.get(campaign.get_absolute_url()).status_code == 200


def test_the_job_publishes_it_on_time_to_its_audience_only(
    login, lies, alice, bob, carol, facility_audience
):
    item = scheduled(lies, facility_audience, minutes=30)
    with time_machine.travel(timezone.now() + timedelta(minutes=29)):
        tasks.publish_due.call_local()
    item.refresh_from_db()
    assert item.published is None
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        tasks.publish_due.call_local()
        tasks.publish_due.call_local()  # a second worker, a retry: nothing twice
        item.refresh_from_db()
        assert item.published is not None
        told = set(Notification.objects.values_list("recipient__username", flat=True))
        assert told == {"alice", "bob"}
        assert Activity.objects.filter(object_ref=f"campaigns:{item.pk}").count() == 1
        assert login(alice).get(item.get_absolute_url()).status_code == 200
        assert item.title in login(bob).get("/").content.decode()
        assert item.title in login(bob).get("/api/v1/streams/").content.decode()
        assert login(carol).get(item.get_absolute_url()).status_code == 404
        assert item.title not in login(carol).get("/").content.decode()
