"""A real WebSocket client against real daphne processes: crashes and several processes."""

from __future__ import annotations

import json
import os
import signal
import uuid
from contextlib import contextmanager

import pytest
from django.conf import settings
from websockets.sync.client import connect as ws_connect

from messaging.models import Message
from tests import servers
from tests.realtime import session_cookie_for
from tests.servers import free_port, run_daphne

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def socket_for(base_url: str, user):
    url = base_url.replace("http://", "ws://") + "/ws/"
    cookie = f"{settings.SESSION_COOKIE_NAME}={session_cookie_for(user)}"
    with ws_connect(
        url, additional_headers={"Cookie": cookie, "Origin": base_url}, open_timeout=5
    ) as socket:
        yield socket


def receive(socket, wanted: str, timeout: float = 5) -> dict:
    while True:
        frame = json.loads(socket.recv(timeout=timeout))
        if frame["type"] == wanted:
            return frame


def send(socket, conversation, body, client_id=None) -> dict:
    frame = {
        "type": "message.send",
        "conversation": conversation.pk,
        "body": body,
        "client_id": client_id or str(uuid.uuid4()),
    }
    socket.send(json.dumps(frame))
    return frame


def test_a_real_client_sends_and_the_other_receives_over_a_real_daphne(
    live_daphne, alice, bob, direct
):
    with socket_for(live_daphne, alice) as alice_socket, socket_for(live_daphne, bob) as bob_socket:
        frame = send(alice_socket, direct, "Via een echte daphne")
        ack = receive(alice_socket, "message.ack")
        event = receive(bob_socket, "message.new")
    assert ack["client_id"] == frame["client_id"] == event["message"]["client_id"]
    assert event["message"]["body"] == "Via een echte daphne"
    assert Message.objects.get().pk == ack["message"]["id"]


def test_nothing_acknowledged_is_lost_when_the_server_is_killed_and_restarted(alice, bob, direct):
    port = free_port()
    server = servers.start_daphne(port)
    base = f"http://127.0.0.1:{port}"
    try:
        acked = []
        with socket_for(base, alice) as alice_socket:
            frames = [send(alice_socket, direct, f"bericht {n}") for n in range(5)]
            for _ in frames:
                acked.append(receive(alice_socket, "message.ack")["message"]["id"])
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)

        server = servers.start_daphne(port)
        with socket_for(base, bob) as bob_socket:
            bob_socket.send(json.dumps({"type": "sync", "since": 0}))
            synced = []
            while (frame := json.loads(bob_socket.recv(timeout=5)))["type"] != "sync.done":
                synced.append(frame["message"]["id"])
        assert synced == acked
        with socket_for(base, alice) as alice_socket:
            # The client never saw the last ack, say: its retry creates nothing new.
            alice_socket.send(json.dumps(frames[-1]))
            assert receive(alice_socket, "message.ack")["message"]["id"] == acked[-1]
        assert Message.objects.count() == 5
    finally:
        server.kill()
        server.wait(timeout=10)


@pytest.mark.integration
def test_two_daphne_processes_share_events_over_redis(alice, bob, group):
    redis = {"REDIS_URL": os.environ["REDIS_URL"]}
    with (
        run_daphne(redis) as first,
        run_daphne(redis) as second,
        socket_for(first, alice) as alice_socket,
        socket_for(second, bob) as bob_socket,
    ):
        bob_socket.send(json.dumps({"type": "ping"}))
        receive(bob_socket, "pong")  # connected and in its groups
        send(alice_socket, group, "Over twee processen")
        receive(alice_socket, "message.ack")
        event = receive(bob_socket, "message.new")
        assert event["message"]["body"] == "Over twee processen"
        bob_socket.send(json.dumps({"type": "typing", "conversation": group.pk}))
        assert receive(alice_socket, "typing")["user"] == bob.pk


def test_a_real_socket_from_a_foreign_origin_or_without_a_session_is_refused(live_daphne, alice):
    from websockets.exceptions import InvalidStatus

    url = live_daphne.replace("http://", "ws://") + "/ws/"
    cookie = f"{settings.SESSION_COOKIE_NAME}={session_cookie_for(alice)}"
    for headers in (
        {"Cookie": cookie, "Origin": "https://evil.example"},
        {"Cookie": cookie, "Origin": live_daphne.replace("http://", "https://")},
        {"Origin": live_daphne},
    ):
        with pytest.raises(InvalidStatus) as refused:
            ws_connect(url, additional_headers=headers, open_timeout=5).close()
        assert refused.value.response.status_code == 403


@pytest.mark.integration
def test_going_away_is_decided_across_daphne_processes(alice, bob, direct):
    """Bob on his phone (one process) and his laptop (the other): only the last close
    is going away, whichever process saw the other socket."""
    from contextlib import ExitStack

    redis = {"REDIS_URL": os.environ["REDIS_URL"]}

    def heartbeat(socket, *watch):
        socket.send(json.dumps({"type": "presence", "watch": list(watch)}))
        return receive(socket, "presence.state")

    with run_daphne(redis) as first, run_daphne(redis) as second, ExitStack() as sockets:
        alice_socket = sockets.enter_context(socket_for(first, alice))
        heartbeat(alice_socket)
        with socket_for(first, bob) as phone:
            heartbeat(phone)
            came = receive(alice_socket, "presence.state")
            assert [(u["id"], u["online"]) for u in came["users"]] == [(bob.pk, True)]
            laptop = sockets.enter_context(socket_for(second, bob))
            heartbeat(laptop)
        # The phone closed; the laptop, in the other process, keeps Bob online.
        with pytest.raises(TimeoutError):
            receive(alice_socket, "presence.state", timeout=5)
        laptop.close()  # his last socket
        gone = receive(alice_socket, "presence.state", timeout=10)
        assert [(u["id"], u["online"]) for u in gone["users"]] == [(bob.pk, False)]
