"""Sockets end with their session on real daphne processes, also across processes over Redis."""

from __future__ import annotations

import json
import os
import time
import urllib.request
from contextlib import contextmanager

import pytest
from django.test import Client
from django.urls import reverse
from websockets.sync.client import connect as ws_connect

from tests.auth import verified_login
from tests.factories import PASSWORD, EmployeeFactory
from tests.servers import run_daphne
from workplace.terminals import COOKIE_NAME

pytestmark = pytest.mark.django_db(transaction=True)
NEW_PASSWORD = "Nieuw-Paswoord-2025!"
WITHIN = 5


def cookie_header(browser: Client) -> str:
    return "; ".join(f"{name}={morsel.value}" for name, morsel in browser.cookies.items())


@contextmanager
def socket_for(base_url: str, browser: Client):
    url = base_url.replace("http://", "ws://") + "/ws/"
    headers = {"Cookie": cookie_header(browser), "Origin": base_url}
    with ws_connect(url, additional_headers=headers, open_timeout=5) as socket:
        socket.send(json.dumps({"type": "ping"}))
        assert json.loads(socket.recv(timeout=5)) == {"type": "pong"}  # open, in its groups
        yield socket


def ended_within(socket, seconds: float = WITHIN) -> tuple[dict, float]:
    """The session.end frame and how long it took to arrive."""
    start = time.monotonic()
    frame = json.loads(socket.recv(timeout=seconds))
    assert frame["type"] == "session.end"
    return frame, time.monotonic() - start


def logged_in(user) -> Client:
    browser = Client()
    browser.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    return browser


def on_a_terminal(worker) -> Client:
    browser = Client()
    verified_login(browser, EmployeeFactory(is_staff=True, is_superuser=True))
    browser.post(reverse("terminal_setup"), {"name": "Werkplaats Driepikkel 1"})
    browser.post(reverse("logout"))
    worker.set_pin("4826")
    worker.save(update_fields=["pin"])
    browser.post(reverse("pin_login"), {"personnel_number": worker.personnel_number, "pin": "4826"})
    assert COOKIE_NAME in browser.cookies
    return browser


def test_a_real_socket_on_an_idle_terminal_closes_by_itself(bob, settings):
    settings.TERMINAL_IDLE_SECONDS = 2
    with run_daphne({"TERMINAL_IDLE_SECONDS": "2"}) as base:
        terminal = on_a_terminal(bob)  # after daphne is up: two seconds are soon gone
        with socket_for(base, terminal) as socket:
            frame, _took = ended_within(socket)
    assert frame["reason"] in {"idle", "expired"}


@pytest.mark.integration
def test_a_password_change_ends_the_sockets_of_other_sessions_in_every_process(alice):
    redis = {"REDIS_URL": os.environ["REDIS_URL"]}
    phone, tablet, desk = logged_in(alice), logged_in(alice), logged_in(alice)
    with (
        run_daphne(redis) as first,
        run_daphne(redis) as second,
        socket_for(first, phone) as phone_socket,
        socket_for(second, tablet) as tablet_socket,
    ):
        response = desk.post(
            reverse("password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )
        assert response.status_code == 302
        for socket in (phone_socket, tablet_socket):
            frame, took = ended_within(socket)
            assert frame["reason"] == "password_changed" and took < WITHIN
        with socket_for(second, desk):
            pass  # the session that changed it goes on, sockets and all


@pytest.mark.integration
def test_an_idle_logout_in_one_process_ends_the_socket_in_the_other(bob):
    redis = {"REDIS_URL": os.environ["REDIS_URL"]}
    terminal = on_a_terminal(bob)
    with (
        run_daphne(redis) as first,
        run_daphne(redis) as second,
        socket_for(second, terminal) as socket,
    ):
        request = urllib.request.Request(
            first + reverse("idle_logout"), headers={"Cookie": cookie_header(terminal)}
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            assert b'name="pin"' in response.read()  # redirected to the PIN login
        frame, took = ended_within(socket)
        assert frame["reason"] == "idle" and took < WITHIN
