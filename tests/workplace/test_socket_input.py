"""Hostile frames on /ws/: an error frame and an open socket, never a 1011 close."""

from __future__ import annotations

import json
import logging

import pytest
from asgiref.sync import sync_to_async

from messaging import actions as messaging_actions
from messaging.models import Message
from tests.realtime import communicator, session_cookie_for
from workplace import realtime
from workplace.consumers import MESSAGE_TOO_BIG

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fresh_membership_cache():
    from messaging.consumers import membership_cache

    membership_cache.clear()
    yield
    membership_cache.clear()


@pytest.fixture
def direct(alice, bob):
    return messaging_actions.get_or_create_direct(alice, bob)[0]


async def open_socket(user):
    socket = communicator(await sync_to_async(session_cookie_for)(user))
    connected, _code = await socket.connect()
    assert connected
    return socket


async def assert_still_open(socket) -> None:
    await socket.send_json_to({"type": "ping"})
    while (await socket.receive_json_from(timeout=5))["type"] != "pong":
        pass


async def next_error(socket) -> dict:
    while (frame := await socket.receive_json_from(timeout=5))["type"] != "error":
        pass
    return frame


def send(conversation_id, body: str = "Dag Bob", **extra) -> str:
    frame = {
        "type": "message.send",
        "conversation": conversation_id,
        "body": body,
        "client_id": "c-1",
        **extra,
    }
    return json.dumps(frame)


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        (lambda c: send(99999999999999999999), "number_out_of_range"),
        (lambda c: send(c, reply_to=2**63), "number_out_of_range"),
        (lambda c: json.dumps({"type": "typing", "conversation": -(2**63) - 1}), None),
        (lambda c: json.dumps({"type": "presence", "watch": [2**64]}), None),
        (lambda c: json.dumps({"type": "read", "conversation": c, "message": 2**70}), None),
        (lambda c: json.dumps({"type": "sync", "since": 10**30}), None),
        (
            lambda c: json.dumps(
                {"type": "sync", "since": 0, "changed_since": "2026-13-45T25:61:00+01:00"}
            ),
            "invalid_changed_since",
        ),
        (lambda c: '{"type": "sync", "since": 0, "x": ' + "[" * 5000 + "]" * 5000 + "}", None),
        (lambda c: '{"type": "ping", "x": ' + "[" * 11 + "]" * 11 + "}", "too_deep"),
        (lambda c: send(c, "Dag \x00 Bob"), "nul_character"),
        (lambda c: send(c, "Dag \ud800 Bob"), "invalid_unicode"),
        (lambda c: json.dumps({"type": "message.send\x00", "client_id": "c-1"}), None),
        (lambda c: '{"type": "sync", "since": NaN}', "invalid_json"),
        (lambda c: json.dumps({"type": "streams.subscribe", "stream": "space:" + "9" * 30}), None),
    ],
    ids=[
        "huge-conversation",
        "huge-reply",
        "huge-negative",
        "huge-in-list",
        "huge-message",
        "huge-since",
        "bad-date",
        "deep-arrays",
        "eleven-levels",
        "nul-in-body",
        "lone-surrogate",
        "nul-in-type",
        "nan",
        "huge-id-in-a-string",
    ],
)
async def test_a_hostile_frame_gets_an_error_frame_and_the_socket_stays_open(
    alice, direct, frame, code
):
    socket = await open_socket(alice)
    await socket.send_to(text_data=frame(direct.pk))
    error = await next_error(socket)
    assert error["detail"]
    if code is not None:
        assert error["code"] == code
    await assert_still_open(socket)
    assert not await sync_to_async(Message.objects.exists)()
    await socket.disconnect()


async def test_a_frame_over_64_kb_that_reaches_the_consumer_closes_the_socket(alice, direct):
    socket = await open_socket(alice)
    await socket.send_to(text_data=send(direct.pk, "x" * 70_000))
    closed = await socket.receive_output(timeout=5)
    assert closed == {"type": "websocket.close", "code": MESSAGE_TOO_BIG}
    assert not await sync_to_async(Message.objects.exists)()


async def test_a_frame_of_64_kb_in_multibyte_characters_is_refused_too(alice, direct):
    socket = await open_socket(alice)
    await socket.send_to(text_data=send(direct.pk, "é" * 33_000))  # 66,000 bytes
    closed = await socket.receive_output(timeout=5)
    assert closed["code"] == MESSAGE_TOO_BIG


async def test_a_binary_frame_over_64_kb_is_refused_too(alice):
    socket = await open_socket(alice)
    await socket.send_to(bytes_data=b"x" * 70_000)
    assert (await socket.receive_output(timeout=5))["code"] == MESSAGE_TOO_BIG


async def test_a_message_just_under_the_limit_is_still_sent(alice, direct):
    socket = await open_socket(alice)
    await socket.send_to(text_data=send(direct.pk, "x" * 9_000))
    while (await socket.receive_json_from(timeout=5))["type"] != "message.ack":
        pass
    assert await sync_to_async(Message.objects.count)() == 1
    await socket.disconnect()


async def test_a_handler_that_fails_unexpectedly_answers_an_error_and_is_logged(
    alice, monkeypatch, caplog
):
    async def broken(consumer, frame):
        raise RuntimeError("a bug in a handler")

    monkeypatch.setitem(realtime.frame_handlers, "test.broken", broken)
    socket = await open_socket(alice)
    with caplog.at_level(logging.ERROR, logger="werkplek.realtime"):
        await socket.send_json_to({"type": "test.broken", "client_id": "c-9"})
        error = await next_error(socket)
    assert error["code"] == "server_error" and error["client_id"] == "c-9"
    assert "a bug in a handler" not in error["detail"]
    assert "test.broken" in caplog.text and "a bug in a handler" in caplog.text
    await assert_still_open(socket)
    await socket.disconnect()


async def test_a_handler_can_refuse_with_its_own_code(alice, monkeypatch):
    async def picky(consumer, frame):
        raise realtime.FrameError("too_picky", "Dat lukt niet.")

    monkeypatch.setitem(realtime.frame_handlers, "test.picky", picky)
    socket = await open_socket(alice)
    await socket.send_json_to({"type": "test.picky"})
    error = await next_error(socket)
    assert (error["code"], error["detail"]) == ("too_picky", "Dat lukt niet.")
    await assert_still_open(socket)
    await socket.disconnect()


@pytest.mark.integration
async def test_hostile_frames_keep_the_socket_open_on_postgresql(alice, direct):
    """The NUL only breaks PostgreSQL; the suite's integration tier runs this there."""
    socket = await open_socket(alice)
    hostile = (send(direct.pk, "a\x00b"), send(2**63), '{"type": "read", "message": "a\\u0000"}')
    for frame in hostile:
        await socket.send_to(text_data=frame)
        assert (await next_error(socket))["code"]
    await assert_still_open(socket)
    assert not await sync_to_async(Message.objects.exists)()
    await socket.disconnect()


def test_a_real_daphne_closes_an_oversized_frame_with_a_code_not_1011(live_daphne, alice):
    from websockets.exceptions import ConnectionClosed
    from websockets.sync.client import connect

    url = live_daphne.replace("http://", "ws://") + "/ws/"
    headers = {"Cookie": f"sessionid={session_cookie_for(alice)}", "Origin": live_daphne}
    with connect(url, additional_headers=headers, open_timeout=5) as socket:
        socket.send(json.dumps({"type": "ping"}))
        assert json.loads(socket.recv(timeout=5)) == {"type": "pong"}
        socket.send(json.dumps({"type": "ping", "pad": "x" * 70_000}))
        with pytest.raises(ConnectionClosed) as closed:
            socket.recv(timeout=5)
    assert closed.value.rcvd.code == MESSAGE_TOO_BIG


async def test_a_nul_in_the_session_cookie_of_a_handshake_is_an_anonymous_socket(alice):
    """Ignored like a stale cookie; on PostgreSQL the session lookup used to crash."""
    socket = communicator('"abcdefgh\\000ijk"')
    connected, code = await socket.connect()
    assert not connected and code == 4401
