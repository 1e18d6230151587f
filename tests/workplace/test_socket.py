"""The shared /ws/ endpoint: who may connect, bad frames, and sockets closing with the session."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from django.test import Client
from django.urls import reverse

from tests.realtime import communicator, session_cookie_for
from workplace import realtime
from workplace.models import Employee

pytestmark = [pytest.mark.django_db(transaction=True)]


async def test_an_anonymous_socket_is_closed(organisation):
    socket = communicator()
    connected, code = await socket.connect()
    assert not connected and code == 4401


async def test_a_socket_from_a_foreign_origin_is_refused(alice):
    socket = communicator(
        await sync_to_async(session_cookie_for)(alice), origin="https://evil.example"
    )
    connected, _code = await socket.connect()
    assert not connected


async def test_a_socket_without_origin_is_refused(alice):
    socket = communicator(await sync_to_async(session_cookie_for)(alice), origin=None)
    connected, _code = await socket.connect()
    assert not connected


async def test_a_logged_in_employee_connects_and_gets_pong(alice):
    socket = communicator(await sync_to_async(session_cookie_for)(alice))
    connected, _ = await socket.connect()
    assert connected
    await socket.send_json_to({"type": "ping"})
    assert await socket.receive_json_from() == {"type": "pong"}
    await socket.disconnect()


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("{niet json", "invalid_json"),
        ("[1, 2]", "invalid_frame"),
        ('{"type": 5}', "invalid_frame"),
        ('{"type": "vliegende.schotel", "client_id": "c-1"}', "unknown_type"),
    ],
)
async def test_a_bad_frame_gets_an_error_and_the_socket_stays_open(alice, frame, code):
    socket = communicator(await sync_to_async(session_cookie_for)(alice))
    await socket.connect()
    await socket.send_to(text_data=frame)
    error = await socket.receive_json_from()
    assert error["type"] == "error" and error["code"] == code and error["detail"]
    if "c-1" in frame:
        assert error["client_id"] == "c-1"
    await socket.send_json_to({"type": "ping"})
    assert await socket.receive_json_from() == {"type": "pong"}
    await socket.disconnect()


async def test_events_reach_only_their_recipients(alice, bob):
    alice_socket = communicator(await sync_to_async(session_cookie_for)(alice))
    bob_socket = communicator(await sync_to_async(session_cookie_for)(bob))
    await alice_socket.connect()
    await bob_socket.connect()
    await sync_to_async(realtime.send_event)([bob.pk], {"type": "test.hello", "text": "dag Bob"})
    assert await bob_socket.receive_json_from() == {"type": "test.hello", "text": "dag Bob"}
    assert await alice_socket.receive_nothing()
    await alice_socket.disconnect()
    await bob_socket.disconnect()


async def test_a_visibility_check_can_hold_back_an_event(alice, monkeypatch):
    async def only_for_bob(user, event) -> bool:
        return user.username == "bob"

    monkeypatch.setitem(realtime.visibility_checks, "test.secret", only_for_bob)
    socket = communicator(await sync_to_async(session_cookie_for)(alice))
    await socket.connect()
    await sync_to_async(realtime.send_event)([alice.pk], {"type": "test.secret"})
    assert await socket.receive_nothing()
    await socket.disconnect()


async def test_logging_out_closes_that_sessions_sockets(alice):
    browser = Client()
    await sync_to_async(browser.force_login)(alice)
    session_key = browser.cookies["sessionid"].value
    other_device = communicator(await sync_to_async(session_cookie_for)(alice))
    socket = communicator(session_key)
    await socket.connect()
    await other_device.connect()
    await sync_to_async(browser.post)(reverse("logout"))
    assert await socket.receive_json_from() == {"type": "session.end", "reason": "logout"}
    assert (await socket.receive_output())["type"] == "websocket.close"
    assert await other_device.receive_nothing()  # the phone in the pocket stays logged in
    await other_device.disconnect()


async def test_deactivating_an_employee_closes_all_their_sockets(alice):
    phone = communicator(await sync_to_async(session_cookie_for)(alice))
    desk = communicator(await sync_to_async(session_cookie_for)(alice))
    await phone.connect()
    await desk.connect()

    def deactivate():
        employee = Employee.objects.get(pk=alice.pk)
        employee.is_active = False
        employee.save()

    await sync_to_async(deactivate)()
    for socket in (phone, desk):
        assert await socket.receive_json_from() == {"type": "session.end", "reason": "deactivated"}
        assert (await socket.receive_output())["type"] == "websocket.close"
