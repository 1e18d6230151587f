"""The endpoint's own events on ``/ws/`` and its one frame, ``ping``: one schema each.

The convention every app follows (docs/realtime.md): in ``<app>/events.py`` a
``TypedDict`` per server → client event whose ``type`` is a one-value
``Literal``, and one builder returning it; client → server frames likewise in
``<app>/frames.py``. Each app registers its schemas with ``workplace.realtime``
in its ``AppConfig.ready()``; the test suite checks every event it sees sent
against them.
"""

from __future__ import annotations

from typing import Literal, TypedDict

# The values of workplace.sessions.EndReason.
EndReason = Literal[
    "logout", "idle", "expired", "password_changed", "deactivated", "terminal_removed"
]


class SessionEndEvent(TypedDict):
    type: Literal["session.end"]
    reason: EndReason


class PongEvent(TypedDict):
    type: Literal["pong"]


class ErrorEvent(TypedDict):
    type: Literal["error"]
    code: str
    detail: str
    client_id: str | None  # the refused frame's own, when it sent one as text


class PingFrame(TypedDict):
    type: Literal["ping"]


def session_end(reason: str) -> SessionEndEvent:
    return {"type": "session.end", "reason": str(reason)}  # type: ignore[typeddict-item]


def pong() -> PongEvent:
    return {"type": "pong"}


def error(code: str, detail: str, client_id: object = None) -> ErrorEvent:
    echoed = client_id if isinstance(client_id, str) else None
    return {"type": "error", "code": code, "detail": str(detail), "client_id": echoed}
