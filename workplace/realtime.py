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
    # The values of workplace.sessions.EndReason.
    reason: Literal[
        "logout", "idle", "expired", "password_changed", "deactivated", "terminal_removed"
    ]


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


async def send_event_async(user_ids: Iterable[int], event: dict[str, Any]) -> None:
    """Deliver ``event`` to every open socket of these users, in any process."""
    groups = [user_group(user_id) for user_id in user_ids]
    await group_send_async(groups, {"type": "deliver", "event": event})


def group_send(group: str, message: dict[str, Any]) -> None:
    _run_from_sync(group_send_async, [group], message)


def send_event(user_ids: Iterable[int], event: dict[str, Any]) -> None:
    _run_from_sync(send_event_async, list(user_ids), event)


def send_event_on_commit(user_ids: Iterable[int], event: dict[str, Any]) -> None:
    recipients = list(user_ids)
    transaction.on_commit(lambda: send_event(recipients, event))


def end_session_sockets(session_key: str, reason: str = "logout") -> None:
    group_send(session_group(session_key), {"type": "session.end", "reason": reason})


def end_user_sockets(user_id: int) -> None:
    group_send(user_group(user_id), {"type": "session.end", "reason": "deactivated"})


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
