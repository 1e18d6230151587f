"""Going away is pushed too: when someone's last heartbeating socket closes, the other
person of each direct conversation sees it, and nobody else does."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from django.urls import reverse

from messaging import actions, consumers
from messaging.models import PresenceSocket
from tests.messaging.conftest import connect
from tests.messaging.test_presence import heartbeat

pytestmark = pytest.mark.django_db(transaction=True)

RECHECK = 0.2  # the moment a next page has to open its socket, shortened for the tests


@pytest.fixture(autouse=True)
def _short_recheck(monkeypatch):
    monkeypatch.setattr(consumers, "AWAY_RECHECK_SECONDS", RECHECK)


async def online_together(alice, bob):
    """Alice and Bob each with a heartbeating socket; Alice has heard Bob come."""
    alice_socket = await connect(alice)
    await heartbeat(alice_socket)
    bob_socket = await connect(bob)
    await heartbeat(bob_socket)
    came = await alice_socket.receive_json_from(timeout=5)
    assert [(u["id"], u["online"]) for u in came["users"]] == [(bob.pk, True)]
    return alice_socket, bob_socket


async def test_when_bob_closes_his_last_socket_alice_sees_him_go_away(alice, bob, direct):
    alice_socket, bob_socket = await online_together(alice, bob)
    await bob_socket.disconnect()
    gone = await alice_socket.receive_json_from(timeout=RECHECK + 2)
    assert gone["type"] == "presence.state"
    [state] = gone["users"]
    assert state["id"] == bob.pk and state["online"] is False and state["last_seen"]
    # Her next heartbeat agrees, though Bob's last one was seconds ago.
    assert await heartbeat(alice_socket, bob.pk) == {bob.pk: False}
    await alice_socket.disconnect()


async def test_closing_one_of_two_sockets_is_no_going_away(alice, bob, direct):
    alice_socket, bob_phone = await online_together(alice, bob)
    bob_laptop = await connect(bob)
    await heartbeat(bob_laptop)
    await bob_phone.disconnect()
    assert await alice_socket.receive_nothing(timeout=RECHECK + 0.5)
    assert await heartbeat(alice_socket, bob.pk) == {bob.pk: True}
    # Positive control: the laptop was the last one.
    await bob_laptop.disconnect()
    gone = await alice_socket.receive_json_from(timeout=RECHECK + 2)
    assert [(u["id"], u["online"]) for u in gone["users"]] == [(bob.pk, False)]
    await alice_socket.disconnect()


async def test_moving_to_the_next_page_is_no_going_away(alice, bob, direct, monkeypatch):
    # The real moment: the next page's socket opening and beating within a fifth of a
    # second, as the other tests allow, is more than a loaded CI machine promises.
    monkeypatch.setattr(consumers, "AWAY_RECHECK_SECONDS", 3.0)
    alice_socket, bob_inbox = await online_together(alice, bob)
    await bob_inbox.disconnect()
    bob_conversation = await connect(bob)  # the page he tapped, within the moment
    await heartbeat(bob_conversation)
    assert await alice_socket.receive_nothing(timeout=3.5)
    await bob_conversation.disconnect()
    await alice_socket.disconnect()


async def test_a_colleague_without_a_conversation_hears_nothing(alice, bob, carol, direct):
    alice_socket, bob_socket = await online_together(alice, bob)
    carol_socket = await connect(carol)
    await heartbeat(carol_socket, bob.pk)
    await bob_socket.disconnect()
    # Positive control: Alice hears it; Carol, who shares nothing with Bob, does not.
    gone = await alice_socket.receive_json_from(timeout=RECHECK + 2)
    assert gone["users"][0]["id"] == bob.pk and gone["users"][0]["online"] is False
    assert await carol_socket.receive_nothing(timeout=0.3)
    await alice_socket.disconnect()
    await carol_socket.disconnect()


async def test_nothing_is_said_of_someone_who_hides_presence(alice, bob, direct):
    alice_socket, bob_socket = await online_together(alice, bob)
    await sync_to_async(actions.update_preferences)(bob, read_receipts=True, show_presence=False)
    await bob_socket.disconnect()
    assert await alice_socket.receive_nothing(timeout=RECHECK + 0.5)
    await alice_socket.disconnect()


async def test_a_socket_that_never_sent_a_heartbeat_says_nothing_by_closing(alice, bob, direct):
    alice_socket, bob_messages = await online_together(alice, bob)
    bob_stream = await connect(bob)  # a page without messaging: no heartbeat
    await bob_stream.disconnect()
    assert await alice_socket.receive_nothing(timeout=RECHECK + 0.5)
    await bob_messages.disconnect()
    await alice_socket.receive_json_from(timeout=RECHECK + 2)  # positive control
    await alice_socket.disconnect()


async def test_coming_back_after_going_away_is_announced_at_once(alice, bob, direct):
    alice_socket, bob_socket = await online_together(alice, bob)
    await bob_socket.disconnect()
    await alice_socket.receive_json_from(timeout=RECHECK + 2)  # away
    bob_socket = await connect(bob)
    await heartbeat(bob_socket)  # seconds after his last one, yet he came back
    back = await alice_socket.receive_json_from()
    assert [(u["id"], u["online"]) for u in back["users"]] == [(bob.pk, True)]
    await bob_socket.disconnect()
    await alice_socket.disconnect()


def test_the_pages_say_not_online_once_the_last_socket_closed(client, alice, bob, direct):
    actions.touch_presence(bob.pk, "socket-1")
    actions.forget_socket("socket-1")
    from django.utils import timezone

    assert actions.announce_if_away(bob.pk, timezone.now())
    client.force_login(alice)
    page = client.get(reverse("messaging:inbox")).content.decode()
    assert f'data-presence="{bob.pk}" data-online="0"' in page
    assert "laatst gezien" in page


def test_a_socket_of_a_process_that_died_keeps_no_one_online_for_ever(alice, bob, direct):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    actions.touch_presence(bob.pk, "died-with-its-process")
    actions.touch_presence(bob.pk, "phone")
    actions.forget_socket("phone")
    assert not actions.announce_if_away(bob.pk, timezone.now())  # unsure: say nothing
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        actions.touch_presence(bob.pk, "laptop")
        assert list(PresenceSocket.objects.values_list("channel", flat=True)) == ["laptop"]
        actions.forget_socket("laptop")
        assert actions.announce_if_away(bob.pk, timezone.now())
