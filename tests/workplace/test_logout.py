"""Logging out: never a 'Bad Request', always the login page, and nothing left behind."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.auth import verified_login
from tests.factories import PASSWORD, EmployeeFactory
from workplace.terminals import COOKIE_NAME

pytestmark = pytest.mark.django_db
PIN = "4826"
CLEAR_SITE_DATA = '"cache", "storage"'


@pytest.fixture
def terminal_client(organisation):
    """A browser on a workshop PC that an administrator registered as a terminal."""
    admin = EmployeeFactory(username="beheerder", is_staff=True, is_superuser=True)
    browser = Client()
    verified_login(browser, admin)
    browser.post(reverse("terminal_setup"), {"name": "Werkplaats Driepikkel 1"})
    browser.post(reverse("logout"))
    assert COOKIE_NAME in browser.cookies
    return browser


@pytest.fixture
def bob_on_the_terminal(terminal_client, bob):
    bob.set_pin(PIN)
    bob.save(update_fields=["pin"])
    response = terminal_client.post(
        reverse("pin_login"), {"personnel_number": bob.personnel_number, "pin": PIN}
    )
    assert response.status_code == 302
    return terminal_client


def shows_pin_login(response) -> bool:
    return response.status_code == 200 and b'name="pin"' in response.content


def test_opening_the_logout_address_asks_first_and_logs_out_nobody(client, alice):
    client.force_login(alice)
    response = client.get(reverse("logout"))
    assert response.status_code == 200
    assert re.search(r'<form method="post" action="/accounts/logout/"', response.content.decode())
    assert client.get(reverse("home")).status_code == 200


def test_logging_out_lands_on_the_login_page_and_clears_the_browser(client, alice):
    client.force_login(alice)
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response.url == reverse("login")
    assert response["Clear-Site-Data"] == CLEAR_SITE_DATA
    assert client.get(reverse("home")).status_code == 302


def test_logging_out_on_a_terminal_lands_on_its_pin_login(bob_on_the_terminal):
    response = bob_on_the_terminal.post(reverse("logout"), follow=True)
    assert shows_pin_login(response)
    assert COOKIE_NAME in bob_on_the_terminal.cookies  # still a terminal: only storage is cleared


def test_logging_out_twice_lands_on_the_login_page_both_times(bob_on_the_terminal):
    for _attempt in range(2):
        assert shows_pin_login(bob_on_the_terminal.post(reverse("logout"), follow=True))


def csrf_token(browser, url) -> str:
    page = browser.get(url).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]


def test_the_logout_button_on_a_page_the_previous_worker_left_still_logs_out(
    terminal_client, alice, bob
):
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = terminal_client.cookies
    strict.post(
        reverse("login"),
        {
            "username": "alice",
            "password": PASSWORD,
            "csrfmiddlewaretoken": csrf_token(strict, reverse("login")),
        },
    )
    alices_tab = csrf_token(strict, reverse("home"))
    strict.post(reverse("logout"), {"csrfmiddlewaretoken": alices_tab})
    # Bob logs in on the same terminal; Alice's other tab still shows her logout button.
    bob.set_pin(PIN)
    bob.save(update_fields=["pin"])
    strict.post(
        reverse("pin_login"),
        {
            "personnel_number": bob.personnel_number,
            "pin": PIN,
            "csrfmiddlewaretoken": csrf_token(strict, reverse("login")),
        },
    )
    assert strict.get(reverse("home")).context["user"] == bob
    response = strict.post(reverse("logout"), {"csrfmiddlewaretoken": alices_tab})
    assert response.status_code == 302 and response.url == reverse("login")
    assert strict.get(reverse("home")).status_code == 302


def test_a_page_that_races_a_logout_lands_on_the_login_page_not_on_bad_request(
    bob_on_the_terminal, monkeypatch
):
    key = bob_on_the_terminal.cookies["sessionid"].value
    original_save = SessionStore.save

    def save_after_a_logout_in_another_tab(self, must_create=False):
        Session.objects.filter(session_key=key).delete()
        return original_save(self, must_create)

    monkeypatch.setattr(SessionStore, "save", save_after_a_logout_in_another_tab)
    response = bob_on_the_terminal.get(reverse("home"))
    assert response.status_code == 302 and response.url == reverse("login")
    monkeypatch.undo()
    assert shows_pin_login(bob_on_the_terminal.get(response.url))


def test_pages_on_a_terminal_refresh_to_the_idle_logout_without_javascript(
    bob_on_the_terminal, settings
):
    page = bob_on_the_terminal.get(reverse("home")).content.decode()
    refresh = (
        f'<meta http-equiv="refresh" content="{settings.TERMINAL_IDLE_SECONDS};'
        f'url={reverse("idle_logout")}">'
    )
    # Inside <noscript>: with JavaScript the countdown, which a tap resets, does it.
    assert f"<noscript>{refresh}</noscript>" in page


def test_pages_on_a_personal_device_do_not_refresh_themselves(client, alice):
    client.force_login(alice)
    assert 'http-equiv="refresh"' not in client.get(reverse("home")).content.decode()


def test_the_idle_logout_ends_a_terminal_session_and_lands_on_the_pin_login(bob_on_the_terminal):
    response = bob_on_the_terminal.get(reverse("idle_logout"))
    assert response.status_code == 302 and response.url == reverse("login")
    assert response["Clear-Site-Data"] == CLEAR_SITE_DATA
    follow = bob_on_the_terminal.get(response.url)
    assert shows_pin_login(follow)
    assert "niet gebruikt" in follow.content.decode()
    assert bob_on_the_terminal.get(reverse("home")).status_code == 302


def test_the_idle_logout_after_the_idle_time_lands_on_the_pin_login_too(
    bob_on_the_terminal, settings
):
    later = timezone.now() + timedelta(seconds=settings.TERMINAL_IDLE_SECONDS + 1)
    with time_machine.travel(later):
        response = bob_on_the_terminal.get(reverse("idle_logout"), follow=True)
    assert shows_pin_login(response)


def test_the_idle_logout_leaves_a_personal_device_logged_in(client, alice):
    client.force_login(alice)
    response = client.get(reverse("idle_logout"))
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_reported_activity_keeps_a_terminal_session_alive(bob_on_the_terminal, settings):
    # Reading a long directive, typing in the chat: the page reports the taps.
    start = timezone.now()
    step = timedelta(seconds=settings.TERMINAL_IDLE_SECONDS - 30)
    for n in range(1, 4):
        with time_machine.travel(start + n * step):
            response = bob_on_the_terminal.post(reverse("session_activity"))
            assert response.status_code == 204
    with time_machine.travel(start + 4 * step):
        assert bob_on_the_terminal.get(reverse("home")).status_code == 200


def test_reporting_activity_needs_a_live_session(client, organisation):
    assert client.post(reverse("session_activity")).status_code == 401


def test_logging_out_of_the_admin_clears_the_browser_too(client, organisation):
    verified_login(client, EmployeeFactory(is_staff=True, is_superuser=True))
    response = client.post(reverse("admin:logout"))
    assert response["Clear-Site-Data"] == CLEAR_SITE_DATA
