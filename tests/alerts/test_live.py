"""The progress of an urgent message over /ws/: to the senders, in its schema."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth.models import Group

from alerts import actions
from alerts.events import AlertProgressEvent
from tests.realtime import communicator, session_cookie_for
from workplace import realtime, schemas
from workplace.roles import Role

pytestmark = [pytest.mark.django_db(transaction=True)]


async def events_on(socket) -> list[dict]:
    found = []
    while not await socket.receive_nothing(timeout=0.3):
        found.append(await socket.receive_json_from())
    return found


async def test_the_senders_see_each_acknowledgement_live(draft, lies, alice, carol):
    assert realtime.event_schemas["alerts.progress"] is AlertProgressEvent
    await sync_to_async(actions.do_send)(draft)
    sender = communicator(await sync_to_async(session_cookie_for)(lies))
    bystander = communicator(await sync_to_async(session_cookie_for)(carol))
    await sender.connect()
    await bystander.connect()

    await sync_to_async(actions.do_acknowledge)(alice, draft)
    [event] = [e for e in await events_on(sender) if e["type"] == "alerts.progress"]
    assert schemas.problems(event, AlertProgressEvent) == []
    assert event == {
        "type": "alerts.progress",
        "message": draft.pk,
        "acknowledged": 1,
        "total": 2,
        "groups": [{"name": "", "other": True, "acknowledged": 1, "total": 2}],
    }
    assert [e for e in await events_on(bystander) if e["type"] == "alerts.progress"] == []
    await sender.disconnect()
    await bystander.disconnect()


async def test_the_socket_checks_afresh_that_its_user_still_sends(lies, alice):
    from alerts.events import senders_only

    event = {"type": "alerts.progress"}
    assert await senders_only(lies, event) is True
    assert await senders_only(alice, event) is False
    group = await sync_to_async(Group.objects.get)(name=Role.COMMUNICATION)
    await sync_to_async(lies.groups.remove)(group)
    # The socket's user object still holds its old roles; the check reads them again.
    assert await senders_only(lies, event) is False
