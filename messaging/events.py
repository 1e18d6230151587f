"""The events messaging sends to open sockets: one payload shape per type.

Every event that concerns a conversation carries its ``conversation`` id, so
that each socket re-checks membership before forwarding (see ``apps.py``);
someone removed from a group receives nothing more, not even in flight.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any, Literal, NotRequired, TypedDict

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from workplace.realtime import user_group


class SenderPayload(TypedDict):
    id: int | None
    username: str
    name: str


class AttachmentPayload(TypedDict):
    name: str
    url: str
    size: int
    image: bool


class MessagePayload(TypedDict):
    id: int
    conversation: int
    sender: SenderPayload
    body: str
    html: str
    created: str
    client_id: str
    edited: str | None
    deleted: bool
    reply_to: int | None
    attachment: AttachmentPayload | None


class MessageNewEvent(TypedDict):
    type: Literal["message.new", "message.update"]
    message: MessagePayload
    conversation: int
    sync: NotRequired[bool]


class ReadEvent(TypedDict):
    type: Literal["read"]
    conversation: int
    user: int
    message: int


class DeliveredEvent(TypedDict):
    """A member's open socket received a message (direct conversations; not stored)."""

    type: Literal["delivered"]
    conversation: int
    user: int
    message: int


class TypingEvent(TypedDict):
    type: Literal["typing"]
    conversation: int
    user: int
    name: str


class ConversationEvent(TypedDict):
    type: Literal["conversation.update", "conversation.removed"]
    conversation: int


SEND_SLICE = 25

# Event types whose delivery is re-checked against the socket user's membership.
MEMBERS_ONLY = (
    "message.new",
    "message.update",
    "read",
    "delivered",
    "typing",
    "conversation.update",
)


async def send_to_users(user_ids: Iterable[int], event: dict[str, Any]) -> None:
    """One hop to the layer for all recipients at once (a 1,000-member group)."""
    layer = get_channel_layer()
    if layer is None:
        return
    message = {"type": "deliver", "event": event}
    groups = [user_group(user_id) for user_id in set(user_ids)]
    # In slices: hundreds of concurrent sends starve the Redis connection pool that
    # this process's sockets receive through (they time out and close with 1011).
    for start in range(0, len(groups), SEND_SLICE):
        await asyncio.gather(
            *(layer.group_send(group, message) for group in groups[start : start + SEND_SLICE])
        )


def broadcast_on_commit(user_ids: Iterable[int], event: dict[str, Any]) -> None:
    """Send ``event`` to the users' sockets once the current transaction commits."""
    recipients = list(user_ids)
    transaction.on_commit(lambda: async_to_sync(send_to_users)(recipients, event))
