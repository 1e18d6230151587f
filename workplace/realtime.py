"""Real-time events: how actions reach open WebSockets.

Every open socket joins two channel-layer groups: one for its user and one for
its session; apps may have it join more when it opens (``register_opened``: a
conversation's group for each conversation of its user, say) or later
(``join_on_commit``). Actions call ``send_event_on_commit`` (to users) or
``send_group_event_on_commit`` (to a group's sockets: one layer call for a
thousand members) so that nothing is sent for a transaction that rolls back;
the consumer re-checks visibility per event type before it forwards anything
(see ``register_visibility``), whichever way the event came.

The core imports no feature app: each app registers, in its ``AppConfig.ready()``,
the schemas of the events it sends (``register_events``), its client frames with
their handlers (``register_frame``), its visibility checks and follow-up
steps (``register_visibility``, ``register_forwarded``), and what it does when a
socket closes (``register_closed``).
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from workplace import events, schemas


def user_group(user_id: int) -> str:
    return f"user-{user_id}"


def session_group(session_key: str) -> str:
    # Group names are visible in Redis; never put a usable session key there.
    return "session-" + hashlib.sha256(session_key.encode()).hexdigest()[:40]


# Hundreds of concurrent sends starve the Redis connection pool that this
# process's own sockets receive through (they time out and close with 1011).
SEND_SLICE = 25


def _run_from_sync(coroutine_function, *args) -> None:
    """Run an async layer call from sync code, also where this thread runs a loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        async_to_sync(coroutine_function)(*args)
        return
    # Sync code in a thread that also runs an event loop (a test driving a
    # browser, a command under an async runner): async_to_sync will not block
    # that loop, so a short-lived thread sends instead.
    worker = threading.Thread(target=async_to_sync(coroutine_function), args=args)
    worker.start()
    worker.join()


async def group_send_async(groups: Iterable[str], message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    groups = list(dict.fromkeys(groups))
    for start in range(0, len(groups), SEND_SLICE):
        await asyncio.gather(
            *(layer.group_send(group, message) for group in groups[start : start + SEND_SLICE])
        )


# An event as its builder returns it: a TypedDict of the app's events.py.
Event = Mapping[str, Any]


async def send_event_async(user_ids: Iterable[int], event: Event) -> None:
    """Deliver ``event`` to every open socket of these users, in any process."""
    groups = [user_group(user_id) for user_id in user_ids]
    await group_send_async(groups, {"type": "deliver", "event": event})


async def send_events_async(events_by_user: list[tuple[int, Event]]) -> None:
    """A different event to each user (their own unread count …), in slices like above."""
    for start in range(0, len(events_by_user), SEND_SLICE):
        await asyncio.gather(
            *(
                group_send_async([user_group(user_id)], {"type": "deliver", "event": event})
                for user_id, event in events_by_user[start : start + SEND_SLICE]
            )
        )


def group_send(group: str, message: dict[str, Any]) -> None:
    _run_from_sync(group_send_async, [group], message)


def send_event(user_ids: Iterable[int], event: Event) -> None:
    _run_from_sync(send_event_async, list(user_ids), event)


def send_events(events_by_user: Iterable[tuple[int, Event]]) -> None:
    """One event per user, all in one pass of the event loop (thousands of users: one
    pass, not thousands)."""
    _run_from_sync(send_events_async, list(events_by_user))


def send_event_on_commit(user_ids: Iterable[int], event: Event) -> None:
    recipients = list(user_ids)
    transaction.on_commit(lambda: send_event(recipients, event))


def send_group_event(group: str, event: Event, *, also_to: Iterable[int] = ()) -> None:
    """Deliver ``event`` to every socket that joined ``group``, in any process.

    One layer call, however many sockets: on Redis one script run per shard, the
    message serialized once. ``also_to``: users whose open sockets may not have joined
    the group yet (they were added a moment ago, ``join_on_commit``) get it on their own
    sockets too, under one delivery id that a socket reached both ways forwards once."""
    message: dict[str, Any] = {"type": "deliver", "event": event}
    late = [user_group(user_id) for user_id in also_to]
    if late:
        message["once"] = uuid.uuid4().hex
    _run_from_sync(group_send_async, [group, *late], message)


def send_group_event_on_commit(group: str, event: Event, *, also_to: Iterable[int] = ()) -> None:
    late = list(also_to)
    transaction.on_commit(lambda: send_group_event(group, event, also_to=late))


def join_on_commit(user_ids: Iterable[int], group: str) -> None:
    """Once committed, every open socket of these users joins ``group`` (a socket
    opened later joins it through its app's ``register_opened`` step)."""
    recipients = list(user_ids)
    message = {"type": "group.join", "group": group}
    transaction.on_commit(
        lambda: _run_from_sync(group_send_async, [user_group(u) for u in recipients], message)
    )


def end_session_sockets(session_key: str, reason: str = "logout") -> None:
    group_send(session_group(session_key), dict(events.session_end(reason)))


def end_user_sockets(user_id: int) -> None:
    group_send(user_group(user_id), dict(events.session_end("deactivated")))


def check_user_sockets(user_id: int) -> None:
    """Every socket of this employee re-checks its session (their password changed):
    those of sessions that no longer hold end, the others stay open."""
    group_send(user_group(user_id), {"type": "session.check"})


# --- what the consumer dispatches to ---------------------------------------------


class FrameError(Exception):
    """A handler refuses a frame: the socket answers an ``error`` frame and stays open.

    The consumer treats Django's ``ValidationError``, ``PermissionDenied`` and
    ``Http404`` the same way; any other exception is logged and answered with a
    generic ``server_error``.
    """

    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code, self.detail = code, detail


FrameHandler = Callable[[Any, dict[str, Any]], Awaitable[None]]
Visibility = Callable[[Any, dict[str, Any]], Awaitable[bool]]
Forwarded = Callable[[Any, dict[str, Any]], Awaitable[None]]
Closed = Callable[[Any, int], Awaitable[None]]
Opened = Callable[[Any], Awaitable[None]]

# By type: the schema of every event a socket may be sent, and of every client frame.
event_schemas: dict[str, type] = {}
frame_schemas: dict[str, type] = {}
frame_handlers: dict[str, FrameHandler] = {}
visibility_checks: dict[str, Visibility] = {}
forwarded_steps: dict[str, Forwarded] = {}
closed_steps: list[Closed] = []
opened_steps: list[Opened] = []


def _register_schema(registry: dict[str, type], schema: type) -> str:
    type_name = schemas.type_of(schema)
    if registry.get(type_name, schema) is not schema:
        raise ImproperlyConfigured(
            f"{type_name!r} has two schemas: {registry[type_name].__qualname__} "
            f"and {schema.__qualname__}"
        )
    registry[type_name] = schema
    return type_name


def register_events(*kinds: type) -> None:
    """Declare the events an app sends: ``TypedDict``s with ``type: Literal["…"]``."""
    for schema in kinds:
        _register_schema(event_schemas, schema)


def register_frame(schema: type, handler: FrameHandler) -> None:
    """Route client frames of ``schema``'s type to ``handler(consumer, frame)``.

    The consumer checks each frame against ``schema`` before the handler runs
    (``untrusted.check_frame``): a handler sees only the fields and types its
    schema names.
    """
    frame_handlers[_register_schema(frame_schemas, schema)] = handler


def register_visibility(check: Visibility, *kinds: type) -> None:
    """Before forwarding an event of these types, ask ``check(user, event)`` once more.

    A check decides and does nothing else: whatever follows from a delivery
    belongs in ``register_forwarded``.
    """
    for schema in kinds:
        visibility_checks[schemas.type_of(schema)] = check


def register_forwarded(step: Forwarded, *kinds: type) -> None:
    """Run ``step(consumer, event)`` after an event of these types reached a socket."""
    for schema in kinds:
        forwarded_steps[schemas.type_of(schema)] = step


def register_closed(step: Closed) -> None:
    """Run ``step(consumer, code)`` when an opened socket closes, after it left its groups.

    Only for sockets that were opened for their user (not those refused or ended at
    the door). A step that raises is logged; the others still run. The consumer is
    gone once the steps return: a step that must wait (a re-check in a moment) starts
    a task of its own rather than holding the close.
    """
    if step not in closed_steps:
        closed_steps.append(step)


def register_opened(step: Opened) -> None:
    """Run ``step(consumer)`` when a socket opens for its user, after it joined its user's
    and session's groups and before it is accepted: groups it joins there miss
    nothing sent after the page has its socket. A step that raises refuses the socket
    (the page retries), rather than leaving it deaf to what the step would join."""
    if step not in opened_steps:
        opened_steps.append(step)
