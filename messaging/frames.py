"""The frames a client may send messaging: one schema per type (docs/realtime.md).

The socket holds each frame to its schema before the handler in ``consumers.py``
runs (``workplace.untrusted.check_frame``). A field's ``Refuse`` is the error
the client gets when that field is missing or of the wrong type: the same code
the action gives for a bad value of it, so that a client learns one code per
mistake whichever check found it.
"""

from __future__ import annotations

from typing import Annotated, Literal, NotRequired, TypedDict

from django.utils.translation import gettext_noop

from workplace.schemas import Refuse

CLIENT_ID_REQUIRED = gettext_noop("Send a client_id (a UUID) with every message.")
INVALID_CLIENT_ID = gettext_noop("client_id is a text of at most 64 characters, e.g. a UUID.")
INVALID_SINCE = gettext_noop("'since' is the id of the last message you have.")
INVALID_CHANGED_SINCE = gettext_noop(
    "'changed_since' is a time with a zone, as in sync.done's 'at'."
)
INVALID_WATCH = gettext_noop("'watch' is a list of employee ids.")
INVALID_BODY = gettext_noop("The message must be text.")
INVALID_REPLY = gettext_noop("The message you reply to is not here.")
INVALID_MESSAGE = gettext_noop("Say which message you have read.")
NOT_FOUND = gettext_noop("This conversation does not exist or you are not a member.")

ConversationId = Annotated[int, Refuse("not_found", NOT_FOUND)]
MessageId = Annotated[int, Refuse("not_found", NOT_FOUND)]
Body = Annotated[str, Refuse("invalid_body", INVALID_BODY)]
# Every frame that concerns a message may carry one; errors echo it.
ClientId = Annotated[str | None, Refuse("invalid_client_id", INVALID_CLIENT_ID)]


class MessageSendFrame(TypedDict):
    type: Literal["message.send"]
    conversation: ConversationId
    body: Body
    client_id: NotRequired[ClientId]  # required in effect: the handler answers client_id_required
    reply_to: NotRequired[Annotated[int | None, Refuse("invalid_reply", INVALID_REPLY)]]


class MessageEditFrame(TypedDict):
    type: Literal["message.edit"]
    message: MessageId
    body: Body
    client_id: NotRequired[ClientId]


class MessageDeleteFrame(TypedDict):
    type: Literal["message.delete"]
    message: MessageId
    client_id: NotRequired[ClientId]


class SyncFrame(TypedDict):
    type: Literal["sync"]
    since: NotRequired[Annotated[int, Refuse("invalid_since", INVALID_SINCE)]]
    changed_since: NotRequired[
        Annotated[str | None, Refuse("invalid_changed_since", INVALID_CHANGED_SINCE)]
    ]
    client_id: NotRequired[ClientId]


class ReadFrame(TypedDict):
    type: Literal["read"]
    conversation: ConversationId
    message: Annotated[int, Refuse("invalid_message", INVALID_MESSAGE)]
    client_id: NotRequired[ClientId]


class TypingFrame(TypedDict):
    type: Literal["typing"]
    conversation: ConversationId
    client_id: NotRequired[ClientId]


class PresenceFrame(TypedDict):
    type: Literal["presence"]
    watch: NotRequired[Annotated[list[int] | None, Refuse("invalid_watch", INVALID_WATCH)]]
    client_id: NotRequired[ClientId]
