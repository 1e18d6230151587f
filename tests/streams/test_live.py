"""Live delivery over /ws/: new items reach open streams of those who may see them, only."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async

from streams import actions
from streams.models import FollowKind
from tests.realtime import communicator, session_cookie_for

pytestmark = [pytest.mark.django_db(transaction=True)]


async def open_stream(user, stream: str = "home", stream_filter: str = "alles"):
    socket = communicator(await sync_to_async(session_cookie_for)(user))
    connected, _code = await socket.connect()
    assert connected
    await socket.send_json_to(
        {"type": "streams.subscribe", "stream": stream, "filter": stream_filter}
    )
    assert (await socket.receive_json_from())["type"] == "streams.subscribed"
    return socket


async def activity_ids(socket) -> set[int]:
    ids = set()
    while not await socket.receive_nothing(timeout=0.2):
        event = await socket.receive_json_from()
        if event["type"] == "stream.activity":
            ids.add(event["activity_id"])
    return ids


async def test_an_all_staff_post_reaches_every_open_home_stream(alice, bob, carol):
    bob_socket = await open_stream(bob)
    carol_socket = await open_stream(carol)
    post = await sync_to_async(actions.create_post)(alice, "Live voor iedereen")
    activity_id = await sync_to_async(lambda: post.activities.get().pk)()
    assert activity_id in await activity_ids(bob_socket)
    assert activity_id in await activity_ids(carol_socket)
    await bob_socket.disconnect()
    await carol_socket.disconnect()


async def test_a_department_post_reaches_only_that_department(organisation, alice, bob, carol):
    await sync_to_async(actions.follow)(carol, FollowKind.EMPLOYEE, alice.pk)
    bob_socket = await open_stream(bob)
    carol_socket = await open_stream(carol)
    await sync_to_async(actions.create_post)(
        alice, "Alleen Facility", audience_kind="department", department=organisation["facility"]
    )
    assert len(await activity_ids(bob_socket)) == 1
    # Carol follows Alice, so her socket is in Alice's group: the re-check holds it back.
    assert await activity_ids(carol_socket) == set()
    await bob_socket.disconnect()
    await carol_socket.disconnect()


async def test_the_followed_filter_hears_only_followed_sources(alice, bob, carol):
    await sync_to_async(actions.follow)(bob, FollowKind.EMPLOYEE, carol.pk)
    socket = await open_stream(bob, stream_filter="gevolgd")
    await sync_to_async(actions.create_post)(alice, "Niet gevolgd")
    assert await activity_ids(socket) == set()
    await sync_to_async(actions.create_post)(carol, "Wel gevolgd")
    assert len(await activity_ids(socket)) == 1
    await socket.disconnect()


async def test_an_outsider_cannot_open_a_closed_space_stream(alice, carol, closed_space):
    socket = communicator(await sync_to_async(session_cookie_for)(carol))
    await socket.connect()
    await socket.send_json_to({"type": "streams.subscribe", "stream": f"space:{closed_space.pk}"})
    error = await socket.receive_json_from()
    assert error["type"] == "error" and error["code"] == "unknown_stream"
    await socket.disconnect()


async def test_a_closed_space_post_reaches_members_only(alice, bob, carol, closed_space):
    await sync_to_async(actions.join_space)(bob, closed_space)  # pending: not a member yet
    bob_socket = await open_stream(bob)
    alice_socket = await open_stream(alice, stream=f"space:{closed_space.pk}")
    await sync_to_async(actions.create_post)(
        alice, "Opbouwplan", audience_kind="space", space=closed_space
    )
    assert len(await activity_ids(alice_socket)) == 1
    assert await activity_ids(bob_socket) == set()
    await bob_socket.disconnect()
    await alice_socket.disconnect()
