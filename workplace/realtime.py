"""Real-time events: how actions reach open WebSockets.

Every open socket joins two channel-layer groups: one for its user and one for
its session. Actions call ``send_event_on_commit`` so that nothing is sent for
a transaction that rolls back; the consumer re-checks visibility per event
type before it forwards anything (see ``register_visibility``).
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Literal, TypedDict

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction


class SessionEndEvent(TypedDict):
    type: Literal["session.end"]
    reason: Literal["logout", "deactivated"]


def user_group(user_id: int) -> str:
    return f"user-{user_id}"


def session_group(session_key: str) -> str:
    # Group names are visible in Redis; never put a usable session key there.
    return "session-" + hashlib.sha256(session_key.encode()).hexdigest()[:40]


def group_send(group: str, message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        async_to_sync(layer.group_send)(group, message)
        return
    # Sync code in a thread that also runs an event loop (a test driving a
    # browser, a command under an async runner): async_to_sync will not block
    # that loop, so a short-lived thread sends instead.
    worker = threading.Thread(target=async_to_sync(layer.group_send), args=(group, message))
    worker.start()
    worker.join()


def send_event(user_ids: Iterable[int], event: dict[str, Any]) -> None:
    for user_id in set(user_ids):
        group_send(user_group(user_id), {"type": "deliver", "event": event})


def send_event_on_commit(user_ids: Iterable[int], event: dict[str, Any]) -> None:
    recipients = list(user_ids)
    transaction.on_commit(lambda: send_event(recipients, event))


def end_session_sockets(session_key: str) -> None:
    group_send(session_group(session_key), {"type": "session.end", "reason": "logout"})


def end_user_sockets(user_id: int) -> None:
    group_send(user_group(user_id), {"type": "session.end", "reason": "deactivated"})


# --- what the consumer dispatches to ---------------------------------------------

FrameHandler = Callable[[Any, dict[str, Any]], Awaitable[None]]
Visibility = Callable[[Any, dict[str, Any]], Awaitable[bool]]

frame_handlers: dict[str, FrameHandler] = {}
visibility_checks: dict[str, Visibility] = {}


def register_frame(frame_type: str) -> Callable[[FrameHandler], FrameHandler]:
    """Route client frames of ``frame_type`` to the decorated coroutine(consumer, frame)."""

    def decorator(handler: FrameHandler) -> FrameHandler:
        frame_handlers[frame_type] = handler
        return handler

    return decorator


def register_visibility(event_type: str) -> Callable[[Visibility], Visibility]:
    """Check each outgoing event of ``event_type`` against the socket's user once more."""

    def decorator(check: Visibility) -> Visibility:
        visibility_checks[event_type] = check
        return check

    return decorator
