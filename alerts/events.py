"""The urgent-message event on ``/ws/``: its progress, to the senders' sockets.

Sent after the commit of a send or an acknowledgement, to every sender (the
progress page of that message updates itself; other pages ignore it). The
consumer re-checks that the socket's user may still send (``senders_only``).
Payloads are built only by their builder and documented in docs/realtime.md.
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict

from channels.db import database_sync_to_async
from django.db import transaction

from alerts.access import may_send, sender_ids
from alerts.models import UrgentMessage
from alerts.progress import Progress, progress
from workplace import realtime
from workplace.models import Employee


class GroupProgress(TypedDict):
    name: str  # "" for the merged "other departments", which the page names
    other: bool
    acknowledged: int
    total: int


class AlertProgressEvent(TypedDict):
    type: Literal["alerts.progress"]
    message: int
    acknowledged: int
    total: int
    groups: list[GroupProgress]


def progress_event(message_id: int, figures: Progress) -> AlertProgressEvent:
    return {
        "type": "alerts.progress",
        "message": message_id,
        "acknowledged": figures.acknowledged,
        "total": figures.total,
        "groups": [
            {
                "name": "" if group.other else group.name,
                "other": group.other,
                "acknowledged": group.acknowledged,
                "total": group.total,
            }
            for group in figures.groups
        ],
    }


def send_progress_on_commit(message: UrgentMessage) -> None:
    """After commit, the message's figures as they are then, to every sender."""

    def send() -> None:
        realtime.send_event(sender_ids(), progress_event(message.pk, progress(message)))

    transaction.on_commit(send)


def _still_sends(user) -> bool:
    # Read afresh: the socket's user object caches its roles for as long as it is open.
    fresh = Employee.objects.filter(pk=user.pk).first()
    return fresh is not None and may_send(fresh)


async def senders_only(user, event: dict[str, Any]) -> bool:
    return await database_sync_to_async(_still_sends)(user)
