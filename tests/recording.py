"""Every real-time payload the test suite sees, held to its schema (as Zulip's event_schema).

Installed for the whole session by ``tests/conftest.py``. It records

- every event handed to the channel layer (``realtime.group_send_async``: what
  actions send on commit, and the socket's own layer messages),
- every frame a socket sends its client (``WorkplaceConsumer.send_json``: forwarded
  events, answers, errors),
- every client frame that reaches a registered handler,

and checks each against the schema its app registered in ``AppConfig.ready()``:
an unknown type, a missing or extra key or a wrong type fails the test that sent
it. Two kinds of payload are the tests' own business and are not checked: types
under ``test.`` (probes of the consumer itself) and events a test hands to the
layer directly (forged on purpose, say to prove that a stale one is held back).
Events sent inside a real daphne process are not seen here; the same actions
run in-process in the communicator tests.
"""

from __future__ import annotations

import functools
import sys
import threading
from collections import Counter
from typing import Any

from workplace import realtime, schemas
from workplace.consumers import WorkplaceConsumer

PROBE_PREFIX = "test."
# Layer messages that are no event for a client: the consumer's own handlers.
LAYER_ONLY = {"session.check": {"type": "session.check"}}


def _forged_by_a_test() -> bool:
    """Was the layer called from test code itself rather than from the application?"""
    frame = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__") in (__name__, realtime.__name__):
        frame = frame.f_back
    return frame is not None and str(frame.f_globals.get("__name__", "")).startswith("tests.")


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.problems: list[str] = []
        self.events: Counter[str] = Counter()
        self.frames: Counter[str] = Counter()
        self.undo: list[tuple[Any, str, Any]] = []

    def fail(self, problem: str) -> None:
        with self.lock:
            self.problems.append(problem)

    def take_problems(self) -> list[str]:
        with self.lock:
            found, self.problems = self.problems, []
        return found

    # --- the checks --------------------------------------------------------------

    def check_event(self, event: Any, where: str) -> None:
        event_type = event.get("type") if isinstance(event, dict) else None
        if isinstance(event_type, str) and event_type.startswith(PROBE_PREFIX):
            return
        schema = realtime.event_schemas.get(event_type)  # type: ignore[arg-type]
        if schema is None:
            self.fail(f"{where}: an event of unknown type {event_type!r}: {event!r}")
            return
        with self.lock:
            self.events[event_type] += 1  # type: ignore[index]
        for problem in schemas.problems(event, schema):
            self.fail(f"{where}: {event_type} does not fit {schema.__qualname__}: {problem}")

    def check_layer_message(self, message: dict[str, Any]) -> None:
        kind = message.get("type")
        if kind == "deliver":
            # "once": the delivery id of an event sent two ways (realtime.send_group_event).
            extra = set(message) - {"type", "event"}
            if extra - {"once"} or not isinstance(message.get("once", ""), str):
                self.fail(f"layer: a deliver message with other keys: {message!r}")
            self.check_event(message.get("event"), "layer")
        elif kind == "group.join":  # realtime.join_on_commit: join a group, say nothing
            if set(message) != {"type", "group"} or not isinstance(message["group"], str):
                self.fail(f"layer: {message!r} is no group.join of one group")
        elif kind in LAYER_ONLY:
            if message != LAYER_ONLY[kind]:
                self.fail(f"layer: {message!r} is not {LAYER_ONLY[kind]!r}")
        else:
            self.check_event(message, "layer")  # session.end goes to the consumer as it is

    def check_frame(self, frame: dict[str, Any]) -> None:
        frame_type = frame.get("type")
        schema = realtime.frame_schemas.get(frame_type)  # type: ignore[arg-type]
        if schema is None:
            self.fail(f"frame {frame_type!r} reached a handler without a schema")
            return
        with self.lock:
            self.frames[frame_type] += 1  # type: ignore[index]
        for problem in schemas.problems(frame, schema):
            self.fail(f"frame {frame_type} reached its handler unchecked: {problem}")

    # --- where they are hooked in --------------------------------------------------

    def patch(self, owner: Any, name: str, replacement: Any) -> None:
        self.undo.append((owner, name, getattr(owner, name)))
        setattr(owner, name, replacement)

    def install(self) -> None:
        recorder = self
        group_send_async = realtime.group_send_async
        send_json = WorkplaceConsumer.send_json

        @functools.wraps(group_send_async)
        async def recorded_group_send(groups, message):
            if not _forged_by_a_test():
                recorder.check_layer_message(message)
            await group_send_async(groups, message)

        @functools.wraps(send_json)
        async def recorded_send_json(consumer, content, close=False):
            recorder.check_event(content, "socket")
            await send_json(consumer, content, close=close)

        self.patch(realtime, "group_send_async", recorded_group_send)
        self.patch(WorkplaceConsumer, "send_json", recorded_send_json)
        for frame_type, handler in list(realtime.frame_handlers.items()):
            realtime.frame_handlers[frame_type] = self.recorded_handler(handler)

    def recorded_handler(self, handler):
        @functools.wraps(handler)
        async def recorded(consumer, frame):
            self.check_frame(frame)
            await handler(consumer, frame)

        return recorded

    def uninstall(self) -> None:
        while self.undo:
            owner, name, original = self.undo.pop()
            setattr(owner, name, original)
        # The handlers dict is the registry itself: unwrap its entries.
        for frame_type, handler in list(realtime.frame_handlers.items()):
            realtime.frame_handlers[frame_type] = getattr(handler, "__wrapped__", handler)
