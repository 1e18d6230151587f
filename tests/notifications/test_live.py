"""The unread count over /ws/: it reaches every socket of its user."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async

from streams import actions
from tests.realtime import communicator, session_cookie_for

pytestmark = [pytest.mark.django_db(transaction=True)]


async def test_the_unread_count_arrives_live(alice, bob):
    socket = communicator(await sync_to_async(session_cookie_for)(alice))
    await socket.connect()
    post = await sync_to_async(actions.create_post)(alice, "Reageer maar")
    await sync_to_async(actions.add_comment)(bob, post, "Gedaan")
    events = []
    while not await socket.receive_nothing(timeout=0.2):
        events.append(await socket.receive_json_from())
    assert {"type": "notifications.unread", "unread": 1} in events
    await socket.disconnect()
