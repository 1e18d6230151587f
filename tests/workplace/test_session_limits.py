"""Personal devices: a session ends after an idle time and, however busy, after an absolute time."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD
from workplace.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db
HOUR = 60 * 60


@pytest.fixture
def alice_logged_in(client, alice):
    client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    return client


def messages_after(client, response) -> list[str]:
    follow = client.get(response.url)
    return [str(message).replace("\xa0", " ") for message in get_messages(follow.wsgi_request)]


def test_the_defaults_are_eight_idle_hours_and_fourteen_days(settings):
    assert settings.SESSION_IDLE_SECONDS == 8 * HOUR
    assert settings.SESSION_ABSOLUTE_SECONDS == 14 * 24 * HOUR


def test_a_session_on_a_personal_device_survives_a_working_day_of_use(alice_logged_in):
    start = timezone.now()
    for hour in range(1, 11):
        with time_machine.travel(start + timedelta(hours=hour)):
            assert alice_logged_in.get(reverse("home")).status_code == 200


def test_a_session_ends_after_the_idle_time_with_a_dutch_message(alice_logged_in, settings):
    later = timezone.now() + timedelta(seconds=settings.SESSION_IDLE_SECONDS + 60)
    with time_machine.travel(later):
        response = alice_logged_in.get(reverse("home"))
        assert response.status_code == 302 and response.url == reverse("login")
        assert messages_after(alice_logged_in, response) == [
            "Je bent afgemeld omdat je 8 uur niets hebt gedaan. Meld je opnieuw aan."
        ]
        assert alice_logged_in.get(reverse("home")).status_code == 302


def test_the_idle_message_follows_the_employees_language(alice_logged_in, alice, settings):
    alice.language = "en"
    alice.save(update_fields=["language"])
    later = timezone.now() + timedelta(seconds=settings.SESSION_IDLE_SECONDS + 60)
    with time_machine.travel(later):
        response = alice_logged_in.get(reverse("home"))
        assert messages_after(alice_logged_in, response) == [
            "You were logged out because you did nothing for 8 hours. Please log in again."
        ]


def test_the_idle_time_is_configurable(alice_logged_in, settings):
    settings.SESSION_IDLE_SECONDS = 20 * 60
    with time_machine.travel(timezone.now() + timedelta(minutes=30)):
        response = alice_logged_in.get(reverse("home"))
        assert response.status_code == 302
        assert "20 minuten" in messages_after(alice_logged_in, response)[0]


def test_a_session_ends_after_the_absolute_time_however_busy(alice_logged_in, settings):
    start = timezone.now()
    step = timedelta(hours=7)
    moment = start
    while moment < start + timedelta(seconds=settings.SESSION_ABSOLUTE_SECONDS - 7 * HOUR):
        moment += step
        with time_machine.travel(moment):
            assert alice_logged_in.get(reverse("home")).status_code == 200
    with time_machine.travel(moment + step):
        response = alice_logged_in.get(reverse("home"))
        assert response.status_code == 302 and response.url == reverse("login")
        assert messages_after(alice_logged_in, response) == [
            "Je bent afgemeld omdat je al 2 weken aangemeld was. Meld je opnieuw aan."
        ]


def test_the_absolute_time_is_configurable(alice_logged_in, settings):
    settings.SESSION_ABSOLUTE_SECONDS = 2 * HOUR
    start = timezone.now()
    with time_machine.travel(start + timedelta(hours=1)):
        assert alice_logged_in.get(reverse("home")).status_code == 200
    with time_machine.travel(start + timedelta(hours=2, minutes=1)):
        assert alice_logged_in.get(reverse("home")).status_code == 302


def test_a_session_ended_by_its_limits_is_in_the_audit_log_with_the_reason(
    alice_logged_in, alice, settings
):
    later = timezone.now() + timedelta(seconds=settings.SESSION_IDLE_SECONDS + 60)
    with time_machine.travel(later):
        alice_logged_in.get(reverse("home"))
    event = AuditEvent.objects.get(action=AuditAction.LOGOUT)
    assert event.actor == alice and event.detail == {"reason": "idle"}


def test_the_browser_keeps_the_session_cookie_no_longer_than_needed(alice_logged_in, settings):
    # Past the absolute limit (and the day in which the owner is told why) the
    # cookie is gone from the browser and the session from the store.
    age = alice_logged_in.session.get_expiry_age()
    assert settings.SESSION_ABSOLUTE_SECONDS < age <= settings.SESSION_ABSOLUTE_SECONDS + 24 * HOUR


def test_a_session_from_before_the_limits_existed_starts_its_clock_now(client, alice, settings):
    client.force_login(alice)
    session = client.session
    for key in ("session_started", "session_activity"):
        session.pop(key, None)
    session.save()
    assert client.get(reverse("home")).status_code == 200
    later = timezone.now() + timedelta(seconds=settings.SESSION_IDLE_SECONDS + 60)
    with time_machine.travel(later):
        assert client.get(reverse("home")).status_code == 302
