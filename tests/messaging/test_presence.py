"""Presence shows on both sides of a direct conversation, live, and to nobody else."""

from __future__ import annotations

import pytest
import time_machine
from asgiref.sync import sync_to_async
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from messaging import actions
from messaging.models import Membership
from tests.factories import EmployeeFactory
from tests.messaging.conftest import connect

pytestmark = pytest.mark.django_db(transaction=True)


async def heartbeat(socket, *watch):
    await socket.send_json_to({"type": "presence", "watch": list(watch)})
    # A heartbeat writes to the database first: on a loaded machine (CI runs two suites
    # side by side) that can take longer than the communicator's one second.
    answer = await socket.receive_json_from(timeout=5)
    assert answer["type"] == "presence.state"
    return {user["id"]: user["online"] for user in answer["users"]}


async def test_both_sides_of_a_direct_conversation_see_each_other_come_online(alice, bob, direct):
    alice_socket = await connect(alice)
    assert await heartbeat(alice_socket, bob.pk) == {bob.pk: False}  # Bob is not there yet
    bob_socket = await connect(bob)
    # Bob learns at once that Alice is online, and Alice that Bob just came.
    assert await heartbeat(bob_socket, alice.pk) == {alice.pk: True}
    pushed = await alice_socket.receive_json_from()
    assert pushed["type"] == "presence.state"
    assert [(u["id"], u["online"]) for u in pushed["users"]] == [(bob.pk, True)]
    assert pushed["users"][0]["last_seen"]
    await alice_socket.disconnect()
    await bob_socket.disconnect()


async def test_a_heartbeat_of_someone_already_online_is_not_announced_again(alice, bob, direct):
    alice_socket = await connect(alice)
    await heartbeat(alice_socket)
    bob_socket = await connect(bob)
    await heartbeat(bob_socket)
    assert (await alice_socket.receive_json_from())["type"] == "presence.state"
    await heartbeat(bob_socket)
    assert await alice_socket.receive_nothing(timeout=0.3)
    await alice_socket.disconnect()
    await bob_socket.disconnect()


async def test_someone_who_comes_back_after_going_away_is_announced_again(alice, bob, direct):
    alice_socket = await connect(alice)
    await heartbeat(alice_socket)
    bob_socket = await connect(bob)
    await heartbeat(bob_socket)
    await alice_socket.receive_json_from()
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=3)):
        assert await heartbeat(alice_socket, bob.pk) == {bob.pk: False}  # gone away
        await heartbeat(bob_socket)
        pushed = await alice_socket.receive_json_from()
    assert [(u["id"], u["online"]) for u in pushed["users"]] == [(bob.pk, True)]
    await alice_socket.disconnect()
    await bob_socket.disconnect()


@pytest.mark.parametrize("hidden_by", ["bob", "alice"])
async def test_nothing_is_announced_when_either_side_hides_presence(alice, bob, direct, hidden_by):
    hider = {"alice": alice, "bob": bob}[hidden_by]
    await sync_to_async(actions.update_preferences)(hider, read_receipts=True, show_presence=False)
    alice_socket = await connect(alice)
    await heartbeat(alice_socket)
    bob_socket = await connect(bob)
    await heartbeat(bob_socket)
    assert await alice_socket.receive_nothing(timeout=0.3)
    await alice_socket.disconnect()
    await bob_socket.disconnect()


async def test_group_members_and_strangers_are_not_told(alice, bob, carol, dave, group):
    dave_socket = await connect(dave)  # in a group with Bob, no direct conversation
    carol_socket = await connect(carol)  # shares nothing with Bob
    bob_socket = await connect(bob)
    await heartbeat(bob_socket)
    assert await dave_socket.receive_nothing(timeout=0.3)
    assert await carol_socket.receive_nothing(timeout=0.1)
    for socket in (dave_socket, carol_socket, bob_socket):
        await socket.disconnect()


async def test_an_announcement_in_flight_is_dropped_once_presence_is_hidden(alice, bob, direct):
    from messaging import events
    from workplace.realtime import send_event_async

    alice_socket = await connect(alice)
    await sync_to_async(actions.update_preferences)(alice, read_receipts=True, show_presence=False)
    await send_event_async(
        [alice.pk], events.presence_state([{"id": bob.pk, "online": True, "last_seen": None}])
    )
    assert await alice_socket.receive_nothing(timeout=0.3)
    await alice_socket.disconnect()


def test_the_list_shows_the_other_persons_presence_for_direct_conversations_only(
    client, alice, bob, group, direct
):
    actions.touch_presence(bob.pk)
    client.force_login(alice)
    page = client.get(reverse("messaging:inbox")).content.decode()
    assert f'data-presence="{bob.pk}" data-online="1"' in page
    assert page.count("data-presence=") == 1  # not for the group
    assert ">online<" in page
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=5)):
        page = client.get(reverse("messaging:inbox")).content.decode()
    assert "laatst gezien 5\xa0minuten geleden" in page
    assert f'data-presence="{bob.pk}" data-online="0"' in page


def test_both_sides_see_presence_in_the_conversation_header(client, alice, bob, direct):
    actions.touch_presence(alice.pk)
    actions.touch_presence(bob.pk)
    for viewer, other in ((alice, bob), (bob, alice)):
        client.force_login(viewer)
        page = client.get(direct.get_absolute_url()).content.decode()
        assert f'data-presence="{other.pk}" data-online="1"' in page
        assert ">online<" in page


def test_the_list_hides_presence_from_whoever_switched_it_off(client, alice, bob, direct):
    actions.touch_presence(bob.pk)
    actions.update_preferences(alice, read_receipts=True, show_presence=False)
    client.force_login(alice)
    page = client.get(reverse("messaging:inbox")).content.decode()
    assert ">online<" not in page and "laatst gezien" not in page


def test_the_list_with_presence_costs_the_same_queries_for_2_or_12_colleagues(client, alice):
    def queries_of_the_list(colleagues: int) -> int:
        for _ in range(colleagues):
            other = EmployeeFactory()
            actions.get_or_create_direct(alice, other)
            actions.touch_presence(other.pk)
        client.get(reverse("messaging:inbox"))  # caches of the page around the list
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("messaging:inbox")).content.decode()
        assert page.count(">online<") == Membership.objects.filter(user=alice).count()
        return len(queries)

    client.force_login(alice)
    assert queries_of_the_list(2) == queries_of_the_list(10)
