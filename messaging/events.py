"""The events messaging sends to open sockets: one payload shape per type.

Every event that concerns a conversation carries its ``conversation`` id, so
that each socket re-checks membership before forwarding (see ``apps.py``);
someone removed from a group receives nothing more, not even in flight.
"""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict


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


# Event types whose delivery is re-checked against the socket user's membership.
MEMBERS_ONLY = (
    "message.new",
    "message.update",
    "read",
    "delivered",
    "typing",
    "conversation.update",
)
