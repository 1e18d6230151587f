"""Apps hear when a socket closes (``realtime.register_closed``): once, for opened sockets."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async

from tests.realtime import communicator, session_cookie_for
from workplace import realtime

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def closed(monkeypatch):
    """Who closed with which code, as a step registered like an app's would be."""
    heard: list[tuple[int, int]] = []

    async def broken(consumer, code):
        raise RuntimeError("an app's bug")

    async def step(consumer, code):
        heard.append((consumer.user.pk, code))

    monkeypatch.setattr(realtime, "closed_steps", [])
    realtime.register_closed(broken)
    realtime.register_closed(step)
    realtime.register_closed(step)  # registered twice, run once
    return heard


async def test_each_step_hears_the_close_of_an_opened_socket_even_after_a_broken_one(
    alice, closed, caplog
):
    socket = communicator(await sync_to_async(session_cookie_for)(alice))
    assert (await socket.connect())[0]
    await socket.disconnect(code=1001)
    assert closed == [(alice.pk, 1001)]
    assert "after the close of a socket" in caplog.text  # the broken step is logged, not fatal


async def test_a_socket_refused_at_the_door_runs_no_step(organisation, closed):
    socket = communicator()  # anonymous
    connected, _code = await socket.connect()
    assert not connected
    await socket.disconnect()
    assert closed == []
