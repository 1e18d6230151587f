from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async

from messaging import actions
from tests.factories import EmployeeFactory
from tests.realtime import communicator, session_cookie_for


@pytest.fixture(autouse=True)
def _fresh_membership_cache():
    # Ids are reused between tests; trust built up in one must not leak into the next.
    from messaging.consumers import membership_cache

    membership_cache.clear()
    yield
    membership_cache.clear()


@pytest.fixture
def dave(organisation):
    """A colleague of Alice's who is in her group but not in her direct talks."""
    return EmployeeFactory(
        username="dave",
        first_name="Dave",
        last_name="Wouters",
        department=organisation["buildings"],
    )


@pytest.fixture
def direct(alice, bob):
    return actions.get_or_create_direct(alice, bob)[0]


@pytest.fixture
def group(alice, bob, dave):
    return actions.create_group(alice, "Werf Dampoort", [bob, dave])


async def connect(user):
    """An open, logged-in socket for ``user``."""
    socket = communicator(await sync_to_async(session_cookie_for)(user))
    connected, _code = await socket.connect()
    assert connected
    return socket


@pytest.fixture
def second_phone(chromium):
    """A second phone (360 x 740) for the colleague at the other end of a conversation."""
    context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="nl-BE")
    yield context
    context.close()
