"""Sockets end with the session behind them: password changes, idle and absolute limits.

A socket must learn of its session's end within 5 seconds, also when no request
arrives to end it (an idle terminal, a session past its limit), and also when the
"check your session" event never reached it.
"""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.backends.db import SessionStore
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.auth import verified_login
from tests.factories import PASSWORD, EmployeeFactory
from tests.realtime import communicator, session_cookie_for
from workplace import sessions
from workplace.models import Employee

pytestmark = [pytest.mark.django_db(transaction=True)]
NEW_PASSWORD = "Nieuw-Paswoord-2025!"
WITHIN = 5  # seconds: the promise of finding 6


@pytest.fixture(autouse=True)
async def _close_the_worker_threads_connections():
    yield
    # channels.testing patches close_old_connections away, so the connection of
    # sync_to_async's thread outlives the test; on PostgreSQL the test database
    # could then not be dropped.
    await sync_to_async(connections.close_all)()


def logged_in_browser(user) -> Client:
    browser = Client()
    browser.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert browser.get(reverse("home")).status_code == 200
    return browser


async def open_socket(session_key: str):
    socket = communicator(session_key)
    connected, _code = await socket.connect()
    assert connected
    return socket


async def assert_ended(socket, *reasons: str) -> None:
    frame = await socket.receive_json_from(timeout=WITHIN)
    assert frame["type"] == "session.end" and frame["reason"] in reasons
    assert (await socket.receive_output(timeout=1))["type"] == "websocket.close"


# A terminal session's own expiry in the store is its idle time: the socket may
# find it idle, or already gone from the store.
TERMINAL_IDLE = ("idle", "expired")


async def test_changing_my_password_ends_my_other_sessions_sockets_and_keeps_this_one(alice):
    desk = await sync_to_async(logged_in_browser)(alice)
    phone = await open_socket(await sync_to_async(session_cookie_for)(alice))
    response = await sync_to_async(desk.post)(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    await assert_ended(phone, "password_changed")
    # The desk keeps working, and its next page opens a socket that stays open.
    assert (await sync_to_async(desk.get)(reverse("home"))).status_code == 200
    desk_socket = await open_socket(desk.cookies["sessionid"].value)
    await desk_socket.send_json_to({"type": "ping"})
    assert await desk_socket.receive_json_from() == {"type": "pong"}
    await desk_socket.disconnect()


async def test_a_password_reset_ends_every_socket_of_that_employee(alice):
    phone = await open_socket(await sync_to_async(session_cookie_for)(alice))
    desk = await open_socket(await sync_to_async(session_cookie_for)(alice))

    def reset() -> int:
        browser = Client()
        uid = urlsafe_base64_encode(force_bytes(alice.pk))
        token = default_token_generator.make_token(alice)
        form = browser.get(reverse("password_reset_confirm", args=[uid, token]), follow=True)
        return browser.post(
            form.redirect_chain[-1][0],
            {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        ).status_code

    assert await sync_to_async(reset)() == 302
    for socket in (phone, desk):
        await assert_ended(socket, "password_changed")


async def test_an_administrator_changing_a_password_ends_that_employees_sockets(alice):
    phone = await open_socket(await sync_to_async(session_cookie_for)(alice))

    def admin_changes_it() -> int:
        admin = Client()
        verified_login(admin, EmployeeFactory(username="root", is_staff=True, is_superuser=True))
        return admin.post(
            reverse("admin:auth_user_password_change", args=[alice.pk]),
            {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
        ).status_code

    assert await sync_to_async(admin_changes_it)() == 302
    await assert_ended(phone, "password_changed")


async def test_saving_an_employee_without_a_new_password_leaves_their_sockets_alone(alice):
    phone = await open_socket(await sync_to_async(session_cookie_for)(alice))

    def rename():
        employee = Employee.objects.get(pk=alice.pk)
        employee.job_title = "Diensthoofd"
        employee.save()

    await sync_to_async(rename)()
    assert await phone.receive_nothing(timeout=0.5)
    await phone.disconnect()


async def test_a_socket_notices_a_password_changed_behind_the_signals_back(alice, settings):
    settings.SESSION_RECHECK_SECONDS = 1
    phone = await open_socket(await sync_to_async(session_cookie_for)(alice))
    await sync_to_async(Employee.objects.filter(pk=alice.pk).update)(
        password=make_password(NEW_PASSWORD)
    )
    await assert_ended(phone, "password_changed")


async def test_a_socket_ends_by_itself_when_a_personal_session_goes_idle(alice, settings):
    settings.SESSION_IDLE_SECONDS = 2
    browser = await sync_to_async(logged_in_browser)(alice)
    socket = await open_socket(browser.cookies["sessionid"].value)
    await assert_ended(socket, "idle")  # no request arrived: the socket knew by itself


async def test_a_socket_ends_at_the_absolute_limit_however_busy_it_is(alice, settings):
    settings.SESSION_ABSOLUTE_SECONDS = 2
    browser = await sync_to_async(logged_in_browser)(alice)
    socket = await open_socket(browser.cookies["sessionid"].value)
    for _second in range(3):
        await socket.send_json_to({"type": "ping"})
        frame = await socket.receive_json_from(timeout=WITHIN)
        if frame["type"] == "session.end":
            assert frame["reason"] == "expired"
            return
        await asyncio.sleep(1)
    await assert_ended(socket, "expired")


async def test_a_socket_ends_by_itself_when_its_terminal_session_goes_idle(bob, settings):
    settings.TERMINAL_IDLE_SECONDS = 2
    terminal = await sync_to_async(terminal_browser)(bob)
    socket = await open_socket(terminal.cookies["sessionid"].value)
    await assert_ended(socket, *TERMINAL_IDLE)


async def test_a_socket_stays_open_while_its_terminal_is_in_use(bob, settings):
    settings.TERMINAL_IDLE_SECONDS = 2
    terminal = await sync_to_async(terminal_browser)(bob)
    socket = await open_socket(terminal.cookies["sessionid"].value)
    for _second in range(4):
        # The page reports the worker's taps; the socket's deadline moves on with them.
        response = await sync_to_async(terminal.post)(reverse("session_activity"))
        assert response.status_code == 204
        assert await socket.receive_nothing(timeout=1)
    await assert_ended(socket, *TERMINAL_IDLE)


def terminal_browser(worker) -> Client:
    """``worker`` logged in with their PIN on a freshly registered terminal."""
    browser = Client()
    verified_login(browser, EmployeeFactory(is_staff=True, is_superuser=True))
    browser.post(reverse("terminal_setup"), {"name": "Werkplaats Driepikkel 1"})
    browser.post(reverse("logout"))
    worker.set_pin("4826")
    worker.save(update_fields=["pin"])
    browser.post(reverse("pin_login"), {"personnel_number": worker.personnel_number, "pin": "4826"})
    assert browser.get(reverse("home")).context["on_terminal"]
    return browser


async def test_a_socket_of_a_session_past_its_idle_time_is_told_so_and_closed(alice, settings):
    browser = await sync_to_async(logged_in_browser)(alice)
    key = browser.cookies["sessionid"].value

    def make_idle():
        session = SessionStore(key)
        session[sessions.ACTIVITY] -= settings.SESSION_IDLE_SECONDS + 60
        session.save()

    await sync_to_async(make_idle)()
    socket = await open_socket(key)
    await assert_ended(socket, "idle")


async def test_a_socket_whose_session_was_deleted_meanwhile_ends_by_itself(alice, settings):
    settings.SESSION_RECHECK_SECONDS = 1
    key = await sync_to_async(session_cookie_for)(alice)
    socket = await open_socket(key)
    await sync_to_async(SessionStore(key).delete)()  # e.g. `manage.py clearsessions`, an admin
    await assert_ended(socket, "expired")


async def test_a_frame_still_on_its_way_after_the_session_ended_is_dropped(alice, bob):
    from messaging import actions
    from messaging.models import Message

    chat, _ = await sync_to_async(actions.get_or_create_direct)(alice, bob)
    phone = await open_socket(await sync_to_async(session_cookie_for)(alice))

    def change_password():
        employee = Employee.objects.get(pk=alice.pk)
        employee.set_password(NEW_PASSWORD)
        employee.save()

    await sync_to_async(change_password)()
    await assert_ended(phone, "password_changed")
    await phone.send_json_to(
        {"type": "message.send", "conversation": chat.pk, "body": "Toch nog?", "client_id": "c-9"}
    )
    assert await phone.receive_nothing(timeout=0.5)
    assert not await sync_to_async(Message.objects.exists)()
