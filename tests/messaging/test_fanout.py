"""One event per conversation: each member's socket is in the conversation's group and
re-checks the membership before it forwards anything."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer

from messaging import actions, consumers
from messaging.events import conversation_group
from messaging.models import Membership
from tests.factories import EmployeeFactory
from tests.messaging.conftest import connect
from tests.messaging.test_protocol import receive_type
from workplace.channel_layers import InMemoryChannelLayer

pytestmark = [pytest.mark.django_db(transaction=True)]


async def test_an_opened_socket_hears_the_messages_of_each_of_its_conversations(
    alice, bob, dave, group, direct
):
    bob_socket = await connect(bob)
    await sync_to_async(actions.send_message)(alice, group.pk, "Aan de werf", "c-1")
    await sync_to_async(actions.send_message)(alice, direct.pk, "Aan Bob", "c-2")
    first = await receive_type(bob_socket, "message.new")
    second = await receive_type(bob_socket, "message.new")
    assert [first["conversation"], second["conversation"]] == [group.pk, direct.pk]
    await bob_socket.disconnect()


async def test_someone_added_to_a_group_hears_its_next_message_without_reconnecting(
    alice, bob, carol, group
):
    carol_socket = await connect(carol)
    await sync_to_async(actions.add_members)(alice, group.pk, [carol])
    assert (await carol_socket.receive_json_from())["type"] == "conversation.update"
    await sync_to_async(actions.send_message)(alice, group.pk, "Welkom Carol", "c-1")
    event = await receive_type(carol_socket, "message.new")
    assert event["message"]["body"] == "Welkom Carol"
    await carol_socket.disconnect()


@pytest.fixture
def crowd(alice, bob):
    """Alice's group one member past per-member delivery: its events go to its group."""
    colleagues = EmployeeFactory.create_batch(actions.PER_MEMBER_DELIVERY_UP_TO - 1)
    return actions.create_group(alice, "Iedereen van de werf", [bob, *colleagues])


async def test_someone_just_added_to_a_big_group_hears_a_message_sent_before_the_socket_joined(
    alice, carol, crowd, monkeypatch
):
    """Her socket reads its join a moment after the commit; a message sent in between
    still reaches it, by her own sockets' group."""
    carol_socket = await connect(carol)
    monkeypatch.setattr(actions, "join_on_commit", lambda users, group: None)  # not read yet
    await sync_to_async(actions.add_members)(alice, crowd.pk, [carol])
    await sync_to_async(actions.send_message)(alice, crowd.pk, "Welkom Carol", "c-1")
    event = await receive_type(carol_socket, "message.new")
    assert event["message"]["body"] == "Welkom Carol"
    await carol_socket.disconnect()


async def test_a_newcomer_whose_socket_joined_in_time_gets_each_message_once(alice, carol, crowd):
    carol_socket = await connect(carol)
    await sync_to_async(actions.add_members)(alice, crowd.pk, [carol])
    assert (await carol_socket.receive_json_from())["type"] == "conversation.update"
    while not await channels_in_group(conversation_group(crowd.pk)):  # hers, the only one
        await asyncio.sleep(0.01)
    await sync_to_async(actions.send_message)(alice, crowd.pk, "Welkom Carol", "c-1")
    event = await receive_type(carol_socket, "message.new")
    assert event["message"]["body"] == "Welkom Carol"
    assert await carol_socket.receive_nothing(timeout=0.3)
    await carol_socket.disconnect()


async def test_a_new_direct_conversation_reaches_the_other_persons_open_socket(alice, carol):
    carol_socket = await connect(carol)
    direct, _created = await sync_to_async(actions.get_or_create_direct)(alice, carol)
    await sync_to_async(actions.send_message)(alice, direct.pk, "Dag Carol", "c-1")
    event = await receive_type(carol_socket, "message.new")
    assert event["conversation"] == direct.pk
    await carol_socket.disconnect()


async def test_a_group_event_for_a_membership_gone_unannounced_is_held_back(alice, dave, group):
    """The removal event never came (the layer is at-most-once) and the trust expired:
    the socket, still in the group, asks the database and forwards nothing."""
    dave_socket = await connect(dave)
    consumers.membership_cache.clear()
    rows = Membership.objects.filter(conversation=group, user=dave)
    await sync_to_async(rows._raw_delete)(rows.db)  # no signal, so no conversation.removed
    await sync_to_async(actions.send_message)(alice, group.pk, "Zonder Dave", "c-1")
    assert await dave_socket.receive_nothing(timeout=0.3)
    await dave_socket.disconnect()


async def channels_in_group(name: str) -> set[str]:
    """The channels the layer holds in group ``name``: the embedded layer's own table, or
    channels-redis' sorted set (the integration tier)."""
    layer = get_channel_layer()
    if isinstance(layer, InMemoryChannelLayer):
        return set(layer.groups.get(name, {}))
    connection = layer.connection(layer.consistent_hash(name))
    return {member.decode() for member in await connection.zrange(layer._group_key(name), 0, -1)}


async def test_a_removed_member_leaves_the_conversations_group(alice, dave, group):
    dave_socket = await connect(dave)
    assert len(await channels_in_group(conversation_group(group.pk))) == 1
    await sync_to_async(actions.remove_member)(alice, group.pk, dave)
    assert (await dave_socket.receive_json_from())["type"] == "conversation.removed"
    # alice and bob have no socket open here
    assert await channels_in_group(conversation_group(group.pk)) == set()
    await dave_socket.disconnect()


async def test_the_sockets_that_ask_together_are_answered_by_one_query(monkeypatch):
    asked = []

    def members_among(conversation_id, user_ids):
        asked.append(sorted(user_ids))
        return {1, 3}

    monkeypatch.setattr(consumers, "_members_among", members_among)
    checks = consumers.MembershipChecks()
    answers = await asyncio.gather(*(checks.is_member(user, 9) for user in (1, 2, 3, 3)))
    assert answers == [True, False, True, True]
    assert asked == [[1, 2, 3]]


def test_a_question_left_unanswered_by_a_closed_loop_does_not_hold_up_the_next(monkeypatch):
    # A test's event loop may close while a socket's question waits for its batch; the
    # next loop's sockets must get their own batch, not wait on one nobody will answer.
    monkeypatch.setattr(consumers, "_members_among", lambda conversation_id, user_ids: {1})
    checks = consumers.MembershipChecks()
    first = asyncio.new_event_loop()
    asked = first.create_task(checks.is_member(1, 9))
    first.call_soon(first.stop)
    first.run_forever()  # one pass: the question is asked, its batch's answer not yet run
    pending = asyncio.all_tasks(first)
    for task in pending:
        task.cancel()  # as pytest-asyncio does at a test's end
    first.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    assert asked.cancelled()
    first.close()
    second = asyncio.new_event_loop()
    try:
        answer = second.run_until_complete(asyncio.wait_for(checks.is_member(1, 9), 2))
    finally:
        second.close()
    assert answer is True
