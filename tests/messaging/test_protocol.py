"""Every frame of the messaging protocol over the shared /ws/ endpoint."""

from __future__ import annotations

import uuid

import pytest
from asgiref.sync import sync_to_async

from messaging import actions
from messaging.models import Membership, Message
from tests.messaging.conftest import connect

pytestmark = [pytest.mark.django_db(transaction=True)]


def send_frame(conversation, body="Dag Bob", client_id=None, **extra):
    return {
        "type": "message.send",
        "conversation": conversation.pk,
        "body": body,
        "client_id": client_id or str(uuid.uuid4()),
        **extra,
    }


async def receive_type(socket, wanted: str, timeout: float = 5):
    """The next frame of type ``wanted``, skipping others (e.g. message.new before ack)."""
    while True:
        frame = await socket.receive_json_from(timeout=timeout)
        if frame["type"] == wanted:
            return frame


async def test_a_sent_message_is_stored_acknowledged_and_delivered_to_every_member(
    alice, bob, direct
):
    alice_phone, alice_laptop, bob_phone = (
        await connect(alice),
        await connect(alice),
        await connect(bob),
    )
    frame = send_frame(direct, "Kun je om **14 uur** langskomen?")
    await alice_phone.send_json_to(frame)

    ack = await receive_type(alice_phone, "message.ack")
    assert ack["client_id"] == frame["client_id"]
    stored = await sync_to_async(Message.objects.get)(pk=ack["message"]["id"])
    assert stored.body == "Kun je om **14 uur** langskomen?"

    for socket in (bob_phone, alice_laptop):
        event = await receive_type(socket, "message.new")
        message = event["message"]
        assert message["id"] == stored.pk and message["conversation"] == direct.pk
        assert message["sender"]["username"] == "alice"
        assert message["client_id"] == frame["client_id"]
        assert "<strong>14 uur</strong>" in message["html"]
        assert message["created"]
    for socket in (alice_phone, alice_laptop, bob_phone):
        await socket.disconnect()


async def test_a_retry_with_the_same_client_id_returns_the_original_ack_and_creates_nothing(
    alice, bob, direct
):
    alice_socket, bob_socket = await connect(alice), await connect(bob)
    frame = send_frame(direct, "Eén keer, niet twee")
    await alice_socket.send_json_to(frame)
    first = await receive_type(alice_socket, "message.ack")
    await receive_type(bob_socket, "message.new")

    await alice_socket.send_json_to(frame)  # the connection dropped before the ack arrived
    second = await receive_type(alice_socket, "message.ack")

    assert second["message"]["id"] == first["message"]["id"]
    assert await sync_to_async(Message.objects.count)() == 1
    assert await bob_socket.receive_nothing(timeout=0.3)  # no second delivery
    await alice_socket.disconnect()
    await bob_socket.disconnect()


async def test_sync_delivers_everything_missed_in_order_then_sync_done(alice, bob, direct, group):
    first = await sync_to_async(actions.send_message)(alice, direct.pk, "voor", "c-0")
    missed = []
    for number in range(3):
        chat = direct if number % 2 else group
        message, _ = await sync_to_async(actions.send_message)(
            alice, chat.pk, f"gemist {number}", f"c-{number + 1}"
        )
        missed.append(message.pk)
    bob_socket = await connect(bob)
    await bob_socket.send_json_to({"type": "sync", "since": first[0].pk})
    received = []
    while (frame := await bob_socket.receive_json_from())["type"] != "sync.done":
        assert frame["type"] == "message.new" and frame["sync"] is True
        received.append(frame["message"]["id"])
    assert received == missed
    assert frame["last"] == missed[-1]
    await bob_socket.disconnect()


async def test_sync_leaves_out_conversations_i_am_not_in(alice, bob, carol, direct):
    other, _ = await sync_to_async(actions.get_or_create_direct)(alice, carol)
    await sync_to_async(actions.send_message)(alice, other.pk, "alleen voor Carol", "c-1")
    mine, _ = await sync_to_async(actions.send_message)(alice, direct.pk, "voor Bob", "c-2")
    bob_socket = await connect(bob)
    await bob_socket.send_json_to({"type": "sync", "since": 0})
    frame = await bob_socket.receive_json_from()
    assert frame["message"]["id"] == mine.pk
    assert (await bob_socket.receive_json_from())["type"] == "sync.done"
    await bob_socket.disconnect()


async def test_reading_moves_the_pointer_and_tells_the_others(alice, bob, direct):
    message, _ = await sync_to_async(actions.send_message)(alice, direct.pk, "Gelezen?", "c-1")
    alice_socket, bob_socket = await connect(alice), await connect(bob)
    await bob_socket.send_json_to(
        {"type": "read", "conversation": direct.pk, "message": message.pk}
    )
    event = await receive_type(alice_socket, "read")
    assert event == {
        "type": "read",
        "conversation": direct.pk,
        "user": bob.pk,
        "message": message.pk,
    }
    membership = await sync_to_async(Membership.objects.get)(user=bob, conversation=direct)
    assert membership.last_read_id == message.pk
    await alice_socket.disconnect()
    await bob_socket.disconnect()


async def test_someone_who_switched_off_read_receipts_sends_none(alice, bob, direct):
    message, _ = await sync_to_async(actions.send_message)(alice, direct.pk, "Gelezen?", "c-1")
    await sync_to_async(actions.update_preferences)(bob, read_receipts=False, show_presence=True)
    alice_socket, bob_socket = await connect(alice), await connect(bob)
    await bob_socket.send_json_to(
        {"type": "read", "conversation": direct.pk, "message": message.pk}
    )
    assert (await receive_type(bob_socket, "read"))["user"] == bob.pk  # his own devices
    assert await alice_socket.receive_nothing(timeout=0.3)
    await alice_socket.disconnect()
    await bob_socket.disconnect()


async def test_typing_reaches_the_others_once_per_few_seconds_and_is_not_stored(alice, bob, direct):
    alice_socket, bob_socket = await connect(alice), await connect(bob)
    for _ in range(3):
        await alice_socket.send_json_to({"type": "typing", "conversation": direct.pk})
    event = await bob_socket.receive_json_from()
    assert event == {"type": "typing", "conversation": direct.pk, "user": alice.pk, "name": "Alice"}
    assert await bob_socket.receive_nothing(timeout=0.3)
    assert await alice_socket.receive_nothing(timeout=0.1)
    assert await sync_to_async(Message.objects.count)() == 0
    await alice_socket.disconnect()
    await bob_socket.disconnect()


async def test_presence_answers_only_for_people_i_share_a_conversation_with(
    alice, bob, carol, direct
):
    bob_socket = await connect(bob)
    await bob_socket.send_json_to({"type": "presence", "watch": []})
    await bob_socket.receive_json_from()
    alice_socket = await connect(alice)
    await alice_socket.send_json_to({"type": "presence", "watch": [bob.pk, carol.pk]})
    answer = await alice_socket.receive_json_from()
    assert answer["type"] == "presence.state"
    assert [(u["id"], u["online"]) for u in answer["users"]] == [(bob.pk, True)]
    await alice_socket.disconnect()
    await bob_socket.disconnect()


async def test_presence_is_hidden_when_switched_off(alice, bob, direct):
    await sync_to_async(actions.update_preferences)(bob, read_receipts=True, show_presence=False)
    await sync_to_async(actions.touch_presence)(bob.pk)
    alice_socket = await connect(alice)
    await alice_socket.send_json_to({"type": "presence", "watch": [bob.pk]})
    assert (await alice_socket.receive_json_from())["users"] == []
    await alice_socket.disconnect()


BAD_MESSAGES = [
    ({"conversation": "nope"}, "not_found"),
    ({"body": ""}, "empty_body"),
    ({"body": "x" * 10_001}, "body_too_long"),
    ({"body": 42}, "invalid_body"),
    ({"client_id": None}, "client_id_required"),
    ({"client_id": "x" * 65}, "invalid_client_id"),
    ({"reply_to": 999999}, "invalid_reply"),
]


async def test_a_bad_message_gets_an_error_frame_writes_nothing_and_keeps_the_socket(
    alice, bob, direct
):
    # One socket for all cases: each refusal must leave it open for the next.
    socket = await connect(alice)
    for number, (frame, code) in enumerate(BAD_MESSAGES):
        sent = {**send_frame(direct, client_id=f"c-bad-{number}"), **frame}
        await socket.send_json_to(sent)
        error = await socket.receive_json_from()
        assert error["type"] == "error" and error["code"] == code and error["detail"], code
        assert error["client_id"] == sent["client_id"]
    assert await sync_to_async(Message.objects.count)() == 0
    await socket.send_json_to({"type": "ping"})
    assert await socket.receive_json_from() == {"type": "pong"}
    await socket.send_json_to({**send_frame(direct), "body": "x" * 10_001})
    error = await socket.receive_json_from()
    assert error["detail"].startswith("Een bericht heeft hoogstens 10.000 tekens")
    await socket.disconnect()


async def test_a_conversation_that_is_not_mine_gets_not_found_and_nothing_is_written(carol, direct):
    socket = await connect(carol)
    await socket.send_json_to(send_frame(direct, "ingebroken"))
    error = await socket.receive_json_from()
    assert error["code"] == "not_found"
    await socket.send_json_to({"type": "read", "conversation": direct.pk, "message": 1})
    assert (await socket.receive_json_from())["code"] == "not_found"
    await socket.send_json_to({"type": "typing", "conversation": direct.pk})
    assert (await socket.receive_json_from())["code"] == "not_found"
    assert await sync_to_async(Message.objects.count)() == 0
    await socket.disconnect()


async def test_a_flood_is_rate_limited_and_the_socket_stays_open(alice, direct, monkeypatch):
    from messaging import consumers

    monkeypatch.setattr(consumers, "FRAMES_PER_SECOND", 0)  # no refill, however slow the run
    socket = await connect(alice)
    for number in range(40):
        await socket.send_json_to(send_frame(direct, f"spam {number}", client_id=f"c-{number}"))
    acks, refused = 0, []
    while acks + len(refused) < 40:
        frame = await socket.receive_json_from(timeout=5)
        if frame["type"] == "message.ack":
            acks += 1
        elif frame["type"] == "error":
            refused.append(frame["code"])
    assert acks == consumers.FRAMES_AT_ONCE
    assert refused == ["rate_limited"] * (40 - consumers.FRAMES_AT_ONCE)
    assert await sync_to_async(Message.objects.count)() == consumers.FRAMES_AT_ONCE
    await socket.send_json_to({"type": "ping"})
    while (await socket.receive_json_from(timeout=5))["type"] != "pong":
        pass
    await socket.disconnect()


async def test_editing_and_deleting_reach_the_others(alice, bob, direct):
    message, _ = await sync_to_async(actions.send_message)(alice, direct.pk, "Foutje", "c-1")
    alice_socket, bob_socket = await connect(alice), await connect(bob)
    await alice_socket.send_json_to(
        {"type": "message.edit", "message": message.pk, "body": "Juist"}
    )
    edited = await receive_type(bob_socket, "message.update")
    assert edited["message"]["body"] == "Juist" and edited["message"]["edited"]
    await alice_socket.send_json_to({"type": "message.delete", "message": message.pk})
    deleted = await receive_type(bob_socket, "message.update")
    assert deleted["message"]["deleted"] is True and deleted["message"]["body"] == ""
    await alice_socket.disconnect()
    await bob_socket.disconnect()


async def test_bob_cannot_edit_alices_message(alice, bob, direct):
    message, _ = await sync_to_async(actions.send_message)(alice, direct.pk, "Van mij", "c-1")
    bob_socket = await connect(bob)
    await bob_socket.send_json_to(
        {"type": "message.edit", "message": message.pk, "body": "Gekaapt"}
    )
    assert (await bob_socket.receive_json_from())["code"] == "not_yours"
    assert (await sync_to_async(Message.objects.get)(pk=message.pk)).body == "Van mij"
    await bob_socket.disconnect()


async def test_in_a_direct_conversation_the_sender_learns_the_message_was_delivered(
    alice, bob, direct
):
    alice_socket, bob_socket = await connect(alice), await connect(bob)
    await alice_socket.send_json_to(send_frame(direct, "Aangekomen?"))
    ack = await receive_type(alice_socket, "message.ack")
    await receive_type(bob_socket, "message.new")
    delivered = await receive_type(alice_socket, "delivered")
    assert delivered == {
        "type": "delivered",
        "conversation": direct.pk,
        "message": ack["message"]["id"],
        "user": bob.pk,
    }
    await alice_socket.disconnect()
    await bob_socket.disconnect()


async def test_no_delivery_receipt_from_someone_who_shares_no_receipts(alice, bob, direct):
    await sync_to_async(actions.update_preferences)(bob, read_receipts=False, show_presence=True)
    alice_socket, bob_socket = await connect(alice), await connect(bob)
    await alice_socket.send_json_to(send_frame(direct, "Aangekomen?"))
    await receive_type(bob_socket, "message.new")
    frames = []
    while not await alice_socket.receive_nothing(timeout=0.3):
        frames.append((await alice_socket.receive_json_from())["type"])
    assert "delivered" not in frames and "message.ack" in frames
    await alice_socket.disconnect()
    await bob_socket.disconnect()


async def test_sync_replays_edits_and_deletions_of_older_messages_since_the_last_sync(
    alice, bob, direct
):
    kept, _ = await sync_to_async(actions.send_message)(alice, direct.pk, "Om 9 uur", "c-1")
    gone, _ = await sync_to_async(actions.send_message)(alice, direct.pk, "Oeps", "c-2")
    bob_socket = await connect(bob)
    await bob_socket.send_json_to({"type": "sync", "since": 0})
    done = await receive_type(bob_socket, "sync.done")
    await bob_socket.disconnect()

    await sync_to_async(actions.edit_message)(alice, kept.pk, "Om 10 uur")
    await sync_to_async(actions.delete_message)(alice, gone.pk)

    bob_socket = await connect(bob)
    await bob_socket.send_json_to(
        {"type": "sync", "since": done["last"], "changed_since": done["at"]}
    )
    first = await bob_socket.receive_json_from()
    second = await bob_socket.receive_json_from()
    assert (first["type"], first["message"]["body"]) == ("message.update", "Om 10 uur")
    assert (second["message"]["id"], second["message"]["deleted"]) == (gone.pk, True)
    assert (await bob_socket.receive_json_from())["type"] == "sync.done"
    await bob_socket.send_json_to({"type": "sync", "since": 0, "changed_since": "gisteren"})
    assert (await bob_socket.receive_json_from())["code"] == "invalid_changed_since"
    await bob_socket.disconnect()
