"""Who is in a conversation decides who reads, sends and receives — at once."""

from __future__ import annotations

import uuid

import pytest
from asgiref.sync import sync_to_async
from django.http import Http404

from messaging import access, actions, queries
from messaging.actions import MessagingError
from messaging.models import MAX_GROUP_MEMBERS, Conversation, MemberRole, Membership
from tests.messaging.conftest import connect
from workplace.models import Employee


@pytest.mark.django_db
def test_a_pair_has_only_one_direct_conversation(alice, bob):
    first, created = actions.get_or_create_direct(alice, bob)
    again, created_again = actions.get_or_create_direct(bob, alice)
    assert created and not created_again and first == again
    assert Conversation.objects.count() == 1


@pytest.mark.django_db
def test_nobody_starts_a_conversation_with_someone_who_left(alice, bob):
    bob.is_active = False
    bob.save()
    with pytest.raises(MessagingError) as error:
        actions.get_or_create_direct(alice, bob)
    assert error.value.code == "inactive_member"


@pytest.mark.django_db
def test_only_an_admin_adds_and_removes_members(alice, bob, carol, dave, group):
    with pytest.raises(MessagingError) as error:
        actions.add_members(bob, group.pk, [carol])
    assert error.value.code == "not_admin"
    assert actions.add_members(alice, group.pk, [carol, bob]) == 1
    with pytest.raises(MessagingError):
        actions.remove_member(bob, group.pk, dave)
    actions.remove_member(alice, group.pk, dave)
    assert set(group.memberships.values_list("user__username", flat=True)) == {
        "alice",
        "bob",
        "carol",
    }


@pytest.mark.django_db
def test_a_group_stops_at_its_member_cap(alice, group, settings):
    present = group.memberships.count()
    newcomers = Employee.objects.bulk_create(
        Employee(username=f"nieuw{n}", personnel_number=f"8{n:05d}", password="!")
        for n in range(MAX_GROUP_MEMBERS - present + 1)
    )
    with pytest.raises(MessagingError) as error:
        actions.add_members(alice, group.pk, newcomers)
    assert error.value.code == "too_many_members"
    assert group.memberships.count() == present  # nothing half-written
    actions.add_members(alice, group.pk, newcomers[:-1])
    assert group.memberships.count() == MAX_GROUP_MEMBERS


@pytest.mark.django_db
def test_when_the_last_admin_leaves_the_longest_member_takes_over(alice, bob, dave, group):
    actions.remove_member(alice, group.pk, alice)
    assert Membership.objects.get(conversation=group, user=bob).role == MemberRole.ADMIN
    with pytest.raises(Http404):
        access.access_conversation(alice, group.pk)


@pytest.mark.django_db
def test_a_direct_conversation_cannot_be_left(alice, direct):
    with pytest.raises(MessagingError) as error:
        actions.remove_member(alice, direct.pk, alice)
    assert error.value.code == "direct"


@pytest.mark.django_db
def test_new_members_see_the_history_but_not_as_unread(alice, bob, carol, group):
    actions.send_message(alice, group.pk, "Van voor Carols tijd", "c-1")
    actions.add_members(alice, group.pk, [carol])
    assert queries.unread_total(carol) == 0
    assert queries.messages_since(carol, 0)[0].body == "Van voor Carols tijd"


@pytest.mark.django_db(transaction=True)
async def test_a_removed_member_gets_nothing_more_on_an_open_socket(alice, bob, dave, group):
    dave_socket = await connect(dave)
    await sync_to_async(actions.remove_member)(alice, group.pk, dave)
    removed = await dave_socket.receive_json_from()
    assert removed == {"type": "conversation.removed", "conversation": group.pk}

    await sync_to_async(actions.send_message)(alice, group.pk, "Zonder Dave", "c-1")
    assert await dave_socket.receive_nothing(timeout=0.3)

    await dave_socket.send_json_to(
        {
            "type": "message.send",
            "conversation": group.pk,
            "body": "Ik ben er nog",
            "client_id": str(uuid.uuid4()),
        }
    )
    assert (await dave_socket.receive_json_from())["code"] == "not_found"
    await dave_socket.send_json_to({"type": "sync", "since": 0})
    assert (await dave_socket.receive_json_from())["type"] == "sync.done"
    await dave_socket.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_an_event_sent_after_the_removal_is_held_back_even_when_trusted_before(
    alice, dave, group
):
    """A send that read the member list just before the removal committed."""
    from workplace.realtime import send_event_async

    dave_socket = await connect(dave)
    await sync_to_async(actions.send_message)(alice, group.pk, "Nog voor Dave", "c-1")
    assert (await dave_socket.receive_json_from())["type"] == "message.new"  # now trusted
    await sync_to_async(actions.remove_member)(alice, group.pk, dave)
    assert (await dave_socket.receive_json_from())["type"] == "conversation.removed"
    late = {"type": "message.new", "conversation": group.pk, "message": {"id": 99}}
    await send_event_async([dave.pk], late)
    assert await dave_socket.receive_nothing(timeout=0.3)
    await dave_socket.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_removing_a_member_in_the_admin_also_stops_delivery(alice, dave, group):
    dave_socket = await connect(dave)
    await sync_to_async(actions.send_message)(alice, group.pk, "Nog voor Dave", "c-1")
    await dave_socket.receive_json_from()
    await sync_to_async(Membership.objects.filter(user=dave).delete)()
    assert (await dave_socket.receive_json_from())["type"] == "conversation.removed"
    await sync_to_async(actions.send_message)(alice, group.pk, "Zonder Dave", "c-2")
    assert await dave_socket.receive_nothing(timeout=0.3)
    await dave_socket.disconnect()


def test_a_membership_check_in_flight_during_a_removal_is_not_trusted():
    from messaging.consumers import MembershipCache

    cache = MembershipCache()
    generation = cache.generation.get(7, 0)  # a check for user 7 starts...
    cache.forget(7, 3)  # ...the removal arrives meanwhile...
    cache.remember(7, 3, generation)  # ...and the check's answer comes back
    assert not cache.fresh(7, 3)
    cache.remember(7, 3, cache.generation[7])
    assert cache.fresh(7, 3)


@pytest.mark.django_db(transaction=True)
async def test_a_deactivated_employees_socket_is_closed(alice, bob, direct):
    bob_socket = await connect(bob)
    bob.is_active = False
    await sync_to_async(bob.save)()
    frame = await bob_socket.receive_json_from()
    assert frame == {"type": "session.end", "reason": "deactivated"}
    assert (await bob_socket.receive_output())["type"] == "websocket.close"
