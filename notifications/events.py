"""The notification event on ``/ws/``: the unread count, to every socket of its user.

Payloads are built only by their builder and documented in docs/realtime.md.
"""

from __future__ import annotations

from typing import Literal, TypedDict

from django.db import transaction

from notifications.queries import unread_counts
from workplace import realtime


class NotificationEvent(TypedDict):
    type: Literal["notifications.unread"]
    unread: int


def notification_event(unread: int) -> NotificationEvent:
    return {"type": "notifications.unread", "unread": unread}


def send_unread_on_commit(user_ids: list[int]) -> None:
    """After commit, tell each user their unread count.

    The counts are read after the commit, not before, so that two transactions
    committing close together cannot leave a badge with the older number.
    """
    recipients = list(user_ids)

    def send() -> None:
        counts = unread_counts(recipients)
        realtime.send_events(
            (user_id, notification_event(counts.get(user_id, 0))) for user_id in set(recipients)
        )

    transaction.on_commit(send)
