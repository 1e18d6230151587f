"""The events messaging sends to open sockets: one schema and one builder per type.

Every event that concerns a conversation carries its ``conversation`` id, so
that each socket re-checks membership before forwarding (see ``consumers.py``);
someone removed from a group receives nothing more, not even in flight. The
schemas are registered in ``apps.py`` and documented in docs/realtime.md.
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
    width: int  # a photo's pixels; 0 when unknown (and for every other file)
    height: int
    thumbnail: str | None  # a photo's small copy, if it has one (else show ``url``)


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
    type: Literal["message.new"]
    conversation: int
    direct: NotRequired[bool]  # announced on commit; a sync answer leaves it out
    message: MessagePayload
    sync: NotRequired[bool]


class MessageUpdateEvent(TypedDict):
    type: Literal["message.update"]
    conversation: int
    message: MessagePayload
    sync: NotRequired[bool]


class MessageAckEvent(TypedDict):
    type: Literal["message.ack"]
    client_id: str
    message: MessagePayload


class SyncDoneEvent(TypedDict):
    type: Literal["sync.done"]
    last: int
    more: bool
    at: str


class ReadEvent(TypedDict):
    type: Literal["read"]
    conversation: int
    user: int
    message: int


class DeliveredEvent(TypedDict):
    """A member's open socket received a message (direct conversations; not stored)."""

    type: Literal["delivered"]
    conversation: int
    message: int
    user: int


class TypingEvent(TypedDict):
    type: Literal["typing"]
    conversation: int
    user: int
    name: str


class PresencePayload(TypedDict):
    id: int
    online: bool
    last_seen: str | None


class PresenceStateEvent(TypedDict):
    type: Literal["presence.state"]
    users: list[PresencePayload]


class ConversationUpdateEvent(TypedDict):
    type: Literal["conversation.update"]
    conversation: int


class ConversationRemovedEvent(TypedDict):
    type: Literal["conversation.removed"]
    conversation: int


EVENTS = (
    MessageNewEvent,
    MessageUpdateEvent,
    MessageAckEvent,
    SyncDoneEvent,
    ReadEvent,
    DeliveredEvent,
    TypingEvent,
    PresenceStateEvent,
    ConversationUpdateEvent,
    ConversationRemovedEvent,
)
# Re-checked against the socket user's membership before they are forwarded.
MEMBERS_ONLY = (
    MessageNewEvent,
    MessageUpdateEvent,
    ReadEvent,
    DeliveredEvent,
    TypingEvent,
    ConversationUpdateEvent,
)


def conversation_group(conversation_id: int) -> str:
    """The channel-layer group of a conversation's open sockets (each member's, joined
    when a socket opens or the member is added; left when they are removed)."""
    return f"conversation-{conversation_id}"


def message_new(
    message: MessagePayload, *, direct: bool | None = None, sync: bool = False
) -> MessageNewEvent:
    event: MessageNewEvent = {
        "type": "message.new",
        "conversation": message["conversation"],
        "message": message,
    }
    if direct is not None:
        event["direct"] = direct
    if sync:
        event["sync"] = True
    return event


def message_update(message: MessagePayload, *, sync: bool = False) -> MessageUpdateEvent:
    event: MessageUpdateEvent = {
        "type": "message.update",
        "conversation": message["conversation"],
        "message": message,
    }
    if sync:
        event["sync"] = True
    return event


def message_ack(message: MessagePayload) -> MessageAckEvent:
    return {"type": "message.ack", "client_id": message["client_id"], "message": message}


def sync_done(last: int, more: bool, at: str) -> SyncDoneEvent:
    return {"type": "sync.done", "last": last, "more": more, "at": at}


def read(conversation_id: int, user_id: int, message_id: int) -> ReadEvent:
    return {"type": "read", "conversation": conversation_id, "user": user_id, "message": message_id}


def delivered(conversation_id: int, message_id: int, user_id: int) -> DeliveredEvent:
    return {
        "type": "delivered",
        "conversation": conversation_id,
        "message": message_id,
        "user": user_id,
    }


def typing(conversation_id: int, user_id: int, name: str) -> TypingEvent:
    return {"type": "typing", "conversation": conversation_id, "user": user_id, "name": name}


def presence_state(users: list[PresencePayload]) -> PresenceStateEvent:
    return {"type": "presence.state", "users": users}


def conversation_update(conversation_id: int) -> ConversationUpdateEvent:
    return {"type": "conversation.update", "conversation": conversation_id}


def conversation_removed(conversation_id: int) -> ConversationRemovedEvent:
    return {"type": "conversation.removed", "conversation": conversation_id}
