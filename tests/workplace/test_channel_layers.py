"""The embedded channel layer: channels' in-memory semantics, without the walk per call.

The first tests hold it to what channels' own layer promises (send, receive, order,
groups, capacity, expiry); the last ones to what it does differently.
"""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from channels.exceptions import ChannelFull
from channels.layers import get_channel_layer

from workplace.channel_layers import InMemoryChannelLayer


@pytest.fixture
async def layer():
    layer = InMemoryChannelLayer(capacity=3)
    yield layer
    await layer.flush()


async def nothing_arrives(layer, channel: str, within: float = 0.2) -> bool:
    try:
        await asyncio.wait_for(layer.receive(channel), within)
    except TimeoutError:
        return True
    return False


async def test_it_is_the_layer_of_the_embedded_default(settings):
    # The integration tier runs on Redis: there the layer is channels-redis'.
    if settings.REDIS_URL:
        from channels_redis.core import RedisChannelLayer

        assert isinstance(get_channel_layer(), RedisChannelLayer)
    else:
        assert isinstance(get_channel_layer(), InMemoryChannelLayer)


async def test_it_hands_a_sent_message_to_its_reader(layer):
    await layer.send("chan-1", {"type": "hello", "text": "Dag!"})
    assert await layer.receive("chan-1") == {"type": "hello", "text": "Dag!"}


async def test_it_hands_a_process_local_channel_its_message(layer):
    name = await layer.new_channel()
    await layer.send(name, {"type": "hello"})
    assert (await layer.receive(name))["type"] == "hello"


async def test_it_keeps_the_order_of_a_channel(layer):
    for n in range(3):
        await layer.send("chan-1", {"type": f"m{n}"})
    assert [(await layer.receive("chan-1"))["type"] for _ in range(3)] == ["m0", "m1", "m2"]


async def test_it_refuses_a_send_beyond_capacity(layer):
    for _ in range(3):
        await layer.send("chan-1", {"type": "m"})
    with pytest.raises(ChannelFull):
        await layer.send("chan-1", {"type": "m"})


async def test_a_group_send_reaches_its_members_and_not_who_left(layer):
    for channel in ("a", "b", "c"):
        await layer.group_add("team", channel)
    await layer.group_discard("team", "b")
    await layer.group_send("team", {"type": "m"})
    assert (await layer.receive("a"))["type"] == "m"
    assert (await layer.receive("c"))["type"] == "m"
    assert await nothing_arrives(layer, "b")


async def test_a_group_send_to_a_full_member_is_dropped_quietly(layer):
    await layer.group_add("team", "a")
    for _ in range(5):
        await layer.group_send("team", {"type": "m"})
    assert layer.channels["a"].qsize() == 3


async def test_each_member_gets_its_own_copy(layer):
    await layer.group_add("team", "a")
    await layer.group_add("team", "b")
    await layer.group_send("team", {"type": "m", "event": {"n": 1}})
    first = await layer.receive("a")
    first["event"]["n"] = 2
    assert (await layer.receive("b"))["event"] == {"n": 1}


async def test_an_unread_message_expires_and_its_channel_goes():
    layer = InMemoryChannelLayer(expiry=0.05)
    await layer.send("chan-1", {"type": "m"})
    await asyncio.sleep(0.1)
    assert await nothing_arrives(layer, "chan-1")
    assert layer.channels == {}


async def test_an_expired_message_of_another_channel_is_cleaned_by_any_call():
    layer = InMemoryChannelLayer(expiry=0.05)
    await layer.send("chan-1", {"type": "m1"})
    await asyncio.sleep(0.1)
    await layer.send("chan-2", {"type": "m2"})
    assert (await layer.receive("chan-2"))["type"] == "m2"
    assert layer.channels == {}


async def test_only_the_expired_messages_of_a_channel_go():
    layer = InMemoryChannelLayer(expiry=0.05)
    for n in (1, 2, 3):
        await layer.send("chan-1", {"type": f"m{n}"})
    assert (await layer.receive("chan-1"))["type"] == "m1"
    await asyncio.sleep(0.1)
    await layer.send("chan-1", {"type": "m4"})
    assert (await layer.receive("chan-1"))["type"] == "m4"
    assert await nothing_arrives(layer, "chan-1")
    assert layer.channels == {}


async def test_a_channel_with_an_expired_message_leaves_all_its_groups():
    layer = InMemoryChannelLayer(expiry=0.05)
    await layer.group_add("team", "gone")
    await layer.group_add("everyone", "gone")
    await layer.group_add("everyone", "here")
    await layer.send("gone", {"type": "m"})
    await asyncio.sleep(0.1)
    await layer.group_send("everyone", {"type": "m"})
    assert layer.groups == {"everyone": {"here": layer.groups["everyone"]["here"]}}
    assert layer.memberships == {"here": {"everyone"}}


async def test_a_membership_ends_after_the_group_expiry():
    layer = InMemoryChannelLayer(group_expiry=0.05)
    await layer.group_add("team", "a")
    await asyncio.sleep(0.1)
    await layer.group_send("team", {"type": "m"})
    assert await nothing_arrives(layer, "a")


async def test_joining_again_renews_a_membership():
    # Wide margins and a bounded wait: on a loaded machine a sleep lasts longer than asked,
    # and a membership that expired after all would leave receive() waiting for ever.
    layer = InMemoryChannelLayer(group_expiry=2)
    await layer.group_add("team", "a")
    await asyncio.sleep(1.2)
    await layer.group_add("team", "a")
    await asyncio.sleep(1.2)  # 2.4 s after the first join, 1.2 s after the second
    await layer.group_send("team", {"type": "m"})
    assert (await asyncio.wait_for(layer.receive("a"), 5))["type"] == "m"


async def test_a_call_does_not_look_at_channels_that_did_not_expire(layer, monkeypatch):
    # Channels' own layer walked every queue here, once per call.
    for n in range(2000):
        await layer.group_add(f"user-{n}", f"socket-{n}")
        await layer.group_add("everyone", f"socket-{n}")
    looked_at = []
    monkeypatch.setattr(layer, "_drop_expired", lambda channel, now: looked_at.append(channel))
    await layer.group_send("everyone", {"type": "m"})
    for n in range(2000):
        await layer.receive(f"socket-{n}")
    assert looked_at == []


async def test_sockets_that_come_and_go_leave_no_pile_of_deadlines(layer):
    for n in range(10_000):
        await layer.group_add("team", f"socket-{n}")
        await layer.group_discard("team", f"socket-{n}")
    assert len(layer.membership_deadlines) < 2_000
    assert layer.groups == {} and layer.memberships == {}


async def test_a_socket_waiting_to_read_still_gets_messages_after_its_read_ones_expire():
    # Every open socket waits in receive() all day. A message it read long ago leaves a
    # deadline behind; when that passes, the socket must keep its queue, or what comes
    # next goes to a queue nobody reads and the socket hears nothing any more.
    layer = InMemoryChannelLayer(expiry=0.05)
    await layer.group_add("conversation-1", "socket-1")
    await layer.group_send("conversation-1", {"type": "m1"})
    assert (await layer.receive("socket-1"))["type"] == "m1"
    waiting = asyncio.ensure_future(layer.receive("socket-1"))
    await asyncio.sleep(0.1)  # m1's deadline passes while the socket waits
    await layer.group_send("conversation-1", {"type": "m2"})
    assert (await asyncio.wait_for(waiting, 1))["type"] == "m2"


async def test_a_job_in_another_thread_reaches_the_sockets_of_this_loop(layer):
    """The background jobs run in threads of the web process without Redis, each send
    on a loop of its own: the socket waiting here must wake up at once all the same."""
    await layer.group_add("user-1", "socket.a")
    received = threading.Event()

    def job() -> None:
        asyncio.run(layer.group_send("user-1", {"type": "deliver", "n": 1}))
        asyncio.run(layer.send("socket.a", {"type": "deliver", "n": 2}))
        received.wait(5)  # the job goes on; nothing else wakes this test's loop

    started = time.monotonic()
    thread = threading.Thread(target=job)
    thread.start()
    try:
        first = await asyncio.wait_for(layer.receive("socket.a"), 3)
        second = await asyncio.wait_for(layer.receive("socket.a"), 3)
        took = time.monotonic() - started
    finally:
        received.set()
        thread.join()
    assert (first["n"], second["n"]) == (1, 2)
    assert took < 1
