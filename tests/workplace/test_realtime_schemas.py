"""Every real-time event and client frame has one schema, registered by its app.

The whole suite's payloads are checked by the session's recorder (tests/recording.py,
installed in tests/conftest.py); these tests pin the checker, the registry, the
door and the documentation.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal, NotRequired, TypedDict

import pytest
from asgiref.sync import sync_to_async
from django.core.exceptions import ImproperlyConfigured

from messaging import actions
from messaging.events import MessageNewEvent
from tests.realtime import communicator, session_cookie_for
from tests.recording import Recorder
from workplace import realtime, schemas

DOCS = Path(__file__).resolve().parents[2] / "docs" / "realtime.md"


class Sample(TypedDict):
    type: Literal["sample.thing"]
    count: int
    names: list[str]
    note: NotRequired[str | None]


def test_it_accepts_a_payload_that_fits():
    assert schemas.problems({"type": "sample.thing", "count": 1, "names": ["a"]}, Sample) == []
    assert (
        schemas.problems({"type": "sample.thing", "count": 1, "names": [], "note": None}, Sample)
        == []
    )


@pytest.mark.parametrize(
    ("payload", "path", "kind"),
    [
        ({"type": "sample.thing", "names": []}, "count", "missing"),
        ({"type": "sample.thing", "count": 1, "names": [], "extra": 1}, "extra", "extra"),
        ({"type": "sample.thing", "count": "1", "names": []}, "count", "type"),
        ({"type": "sample.thing", "count": True, "names": []}, "count", "type"),
        ({"type": "sample.thing", "count": 1, "names": [3]}, "names.0", "type"),
        ({"type": "other", "count": 1, "names": []}, "type", "type"),
    ],
    ids=["missing", "extra", "wrong-type", "bool-is-no-int", "in-a-list", "wrong-literal"],
)
def test_it_names_what_does_not_fit(payload, path, kind):
    assert [(p.path, p.kind) for p in schemas.problems(payload, Sample)] == [(path, kind)]


def test_the_recorder_fails_unknown_types_and_payloads_that_drift():
    recorder = Recorder()
    recorder.check_event({"type": "nobody.knows"}, "socket")
    recorder.check_event({"type": "conversation.update", "conversation": "7"}, "layer")
    recorder.check_event({"type": "pong", "extra": 1}, "socket")
    recorder.check_event({"type": "test.probe", "anything": 1}, "socket")  # the tests' own
    problems = recorder.take_problems()
    assert len(problems) == 3
    assert "unknown type 'nobody.knows'" in problems[0]
    assert "conversation has the wrong type" in problems[1]
    assert "extra is not in the schema" in problems[2]


@pytest.mark.django_db(transaction=True)
async def test_the_session_recorder_sees_what_actions_and_sockets_send(
    realtime_recording, alice, bob
):
    before = realtime_recording.events["message.new"], realtime_recording.frames["ping"]
    socket = communicator(await sync_to_async(session_cookie_for)(bob))
    await socket.connect()
    await socket.send_json_to({"type": "ping"})
    assert await socket.receive_json_from() == {"type": "pong"}
    direct, _created = await sync_to_async(actions.get_or_create_direct)(alice, bob)
    await sync_to_async(actions.send_message)(alice, direct.pk, "Dag Bob", "c-1")
    assert (await socket.receive_json_from())["type"] == "message.new"
    await socket.disconnect()
    after = realtime_recording.events["message.new"], realtime_recording.frames["ping"]
    # On the layer and on the socket: two checks of the one event.
    assert (after[0] - before[0], after[1] - before[1]) == (2, 1)


def test_every_frame_handler_has_its_schema():
    assert set(realtime.frame_handlers) == set(realtime.frame_schemas)
    for frame_type, schema in realtime.frame_schemas.items():
        assert schemas.type_of(schema) == frame_type


def test_every_event_type_has_its_schema():
    for event_type, schema in realtime.event_schemas.items():
        assert schemas.type_of(schema) == event_type
    assert realtime.event_schemas["message.new"] is MessageNewEvent
    # What the consumer re-checks or follows up is a known event.
    assert set(realtime.visibility_checks) <= set(realtime.event_schemas)
    assert set(realtime.forwarded_steps) <= set(realtime.event_schemas)


def test_every_event_and_frame_is_documented():
    documented = set(re.findall(r'\{"type": "([a-z_.]+)"', DOCS.read_text()))
    assert set(realtime.event_schemas) <= documented
    assert set(realtime.frame_schemas) <= documented


def test_another_app_registers_its_own_events(monkeypatch):
    class BellEvent(TypedDict):
        type: Literal["bell.rang"]
        unread: int

    monkeypatch.setattr(realtime, "event_schemas", dict(realtime.event_schemas))
    realtime.register_events(BellEvent)
    realtime.register_events(BellEvent)  # ready() may run twice in a process
    assert realtime.event_schemas["bell.rang"] is BellEvent


def test_one_type_cannot_have_two_schemas(monkeypatch):
    class Impostor(TypedDict):
        type: Literal["message.new"]

    monkeypatch.setattr(realtime, "event_schemas", dict(realtime.event_schemas))
    with pytest.raises(ImproperlyConfigured, match="two schemas"):
        realtime.register_events(Impostor)


def test_a_schema_names_exactly_one_type():
    class Two(TypedDict):
        type: Literal["a.one", "a.two"]

    with pytest.raises(TypeError, match="one value"):
        schemas.type_of(Two)


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ({"type": "typing", "conversation": 1, "colour": "red"}, "invalid_frame"),
        ({"type": "read", "message": 1}, "not_found"),
        ({"type": "read", "conversation": "1", "message": 1}, "not_found"),
        ({"type": "presence", "watch": "everyone"}, "invalid_watch"),
        ({"type": "streams.subscribe", "stream": 5}, "unknown_stream"),
        ({"type": "ping", "please": True}, "invalid_frame"),
    ],
    ids=["unknown-field", "missing-field", "id-as-text", "watch-not-a-list", "stream", "ping"],
)
@pytest.mark.django_db(transaction=True)
async def test_a_frame_that_does_not_fit_its_schema_is_refused_at_the_door(alice, frame, code):
    socket = communicator(await sync_to_async(session_cookie_for)(alice))
    await socket.connect()
    await socket.send_json_to(frame)
    error = await socket.receive_json_from()
    assert (error["type"], error["code"]) == ("error", code)
    assert error["detail"]
    await socket.send_json_to({"type": "ping"})
    assert await socket.receive_json_from() == {"type": "pong"}
    await socket.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_the_door_answers_in_the_sockets_language(alice):
    alice.language = "en"
    await sync_to_async(alice.save)(update_fields=["language"])
    socket = communicator(await sync_to_async(session_cookie_for)(alice))
    await socket.connect()
    await socket.send_json_to({"type": "streams.subscribe", "stream": "nowhere:1"})
    assert (await socket.receive_json_from())["detail"] == "This stream does not exist."
    await socket.disconnect()
