"""Messaging's frames on the shared ``/ws/`` endpoint (protocol: docs/realtime.md).

Each handler runs the same action a page or the API would, in a worker thread,
and answers only after that action's transaction has committed: an ``ack`` is a
promise that the message is in the database.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from channels.db import database_sync_to_async
from django.http import Http404
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from messaging import access, actions, queries
from messaging.events import MEMBERS_ONLY
from messaging.models import Membership, Preferences
from workplace.realtime import register_frame, register_visibility, send_event_async

SYNC_BATCH = 200
SYNC_MAX_BATCHES = 25
TYPING_EVERY = 3.0  # seconds between typing events per conversation and socket
PRESENCE_WATCH_MAX = 50

CLIENT_ID_REQUIRED = gettext_noop("Send a client_id (a UUID) with every message.")
INVALID_SINCE = gettext_noop("'since' is the id of the last message you have.")
INVALID_CHANGED_SINCE = gettext_noop(
    "'changed_since' is a time with a zone, as in sync.done's 'at'."
)
INVALID_WATCH = gettext_noop("'watch' is a list of employee ids.")


FRAMES_AT_ONCE = 30
FRAMES_PER_SECOND = 3


@dataclass
class TokenBucket:
    """Allows ``FRAMES_AT_ONCE`` frames in a burst, then ``FRAMES_PER_SECOND``."""

    tokens: float = FRAMES_AT_ONCE
    stamp: float = field(default_factory=time.monotonic)

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(FRAMES_AT_ONCE, self.tokens + (now - self.stamp) * FRAMES_PER_SECOND)
        self.stamp = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


@dataclass
class SocketState:
    bucket: TokenBucket = field(default_factory=TokenBucket)
    typing_sent: dict[int, float] = field(default_factory=dict)


def state(consumer) -> SocketState:
    if not hasattr(consumer, "messaging_state"):
        consumer.messaging_state = SocketState()
    return consumer.messaging_state


def _in_language(user, function, *args, **kwargs):
    with translation.override(getattr(user, "language", None) or "nl"):
        return function(*args, **kwargs)


async def call(consumer, frame: dict[str, Any], function, *args, **kwargs) -> tuple[bool, Any]:
    """Run an action for the socket's user; on refusal answer an error frame."""
    try:
        result = await database_sync_to_async(_in_language)(
            consumer.user, function, consumer.user, *args, **kwargs
        )
    except actions.MessagingError as error:
        await consumer.send_error(error.code, error.detail, frame)
        return False, None
    except Http404:
        with translation.override(getattr(consumer.user, "language", None) or "nl"):
            detail = _("This conversation does not exist or you are not a member.")
        await consumer.send_error("not_found", detail, frame)
        return False, None
    return True, result


async def rate_limited(consumer, frame: dict[str, Any]) -> bool:
    if state(consumer).bucket.take():
        return False
    with translation.override(getattr(consumer.user, "language", None) or "nl"):
        detail = _("Slow down: you are sending too many messages at once.")
    await consumer.send_error("rate_limited", detail, frame)
    return True


async def refuse(consumer, frame: dict[str, Any], code: str, detail: str) -> None:
    with translation.override(getattr(consumer.user, "language", None) or "nl"):
        await consumer.send_error(code, str(_(detail)), frame)


@register_frame("message.send")
async def message_send(consumer, frame: dict[str, Any]) -> None:
    if await rate_limited(consumer, frame):
        return
    if not frame.get("client_id"):
        # Over the socket a client_id is required: without one a retry could duplicate.
        await refuse(consumer, frame, "client_id_required", CLIENT_ID_REQUIRED)
        return
    ok, payload = await call(
        consumer,
        frame,
        _send_and_describe,
        frame.get("conversation"),
        frame.get("body"),
        frame.get("client_id"),
        frame.get("reply_to"),
    )
    if ok:
        await consumer.send_json(
            {"type": "message.ack", "client_id": payload["client_id"], "message": payload}
        )


def _send_and_describe(user, conversation_id, body, client_id, reply_to) -> dict:
    message, _created = actions.send_message(
        user, conversation_id, body, client_id, reply_to=reply_to
    )
    return queries.message_payload(message)


@register_frame("message.edit")
async def message_edit(consumer, frame: dict[str, Any]) -> None:
    if await rate_limited(consumer, frame):
        return
    await call(consumer, frame, actions.edit_message, frame.get("message"), frame.get("body"))


@register_frame("message.delete")
async def message_delete(consumer, frame: dict[str, Any]) -> None:
    if await rate_limited(consumer, frame):
        return
    await call(consumer, frame, actions.delete_message, frame.get("message"))


def _sync_batch(user, since: int) -> list[dict]:
    return [
        {
            "type": "message.new",
            "conversation": message.conversation_id,
            "message": queries.message_payload(message),
            "sync": True,
        }
        for message in queries.messages_since(user, since, SYNC_BATCH)
    ]


def _changes(user, since: int, moment) -> list[dict]:
    return [
        {
            "type": "message.update",
            "conversation": message.conversation_id,
            "message": queries.message_payload(message),
            "sync": True,
        }
        for message in queries.changed_since(user, since, moment)
    ]


@register_frame("sync")
async def sync(consumer, frame: dict[str, Any]) -> None:
    """Everything after ``since`` from the database, in id order, then ``sync.done``."""
    if await rate_limited(consumer, frame):
        return
    since = frame.get("since", 0)
    if not isinstance(since, int) or isinstance(since, bool) or since < 0:
        await refuse(consumer, frame, "invalid_since", INVALID_SINCE)
        return
    changes_from = frame.get("changed_since")
    try:
        moment = parse_datetime(changes_from) if isinstance(changes_from, str) else None
    except ValueError:  # well-formed but impossible, as 2026-13-45
        moment = None
    if changes_from is not None and (moment is None or moment.tzinfo is None):
        await refuse(consumer, frame, "invalid_changed_since", INVALID_CHANGED_SINCE)
        return
    started = timezone.now()
    if moment is not None:
        for event in await database_sync_to_async(_changes)(consumer.user, since, moment):
            await consumer.send_json(event)
    last = since
    for _batch in range(SYNC_MAX_BATCHES):
        events = await database_sync_to_async(_sync_batch)(consumer.user, last)
        for event in events:
            await consumer.send_json(event)
        if events:
            last = events[-1]["message"]["id"]
        if len(events) < SYNC_BATCH:
            await consumer.send_json(
                {"type": "sync.done", "last": last, "more": False, "at": started.isoformat()}
            )
            return
    await consumer.send_json(
        {"type": "sync.done", "last": last, "more": True, "at": started.isoformat()}
    )


@register_frame("read")
async def read(consumer, frame: dict[str, Any]) -> None:
    if await rate_limited(consumer, frame):
        return
    await call(consumer, frame, actions.mark_read, frame.get("conversation"), frame.get("message"))


def _typing_event(user, conversation_id) -> tuple[list[int], dict]:
    membership = access.access_conversation(user, conversation_id)
    others = [uid for uid in queries.member_ids(membership.conversation_id) if uid != user.pk]
    event = {
        "type": "typing",
        "conversation": membership.conversation_id,
        "user": user.pk,
        "name": user.first_name or str(user),
    }
    return others, event


@register_frame("typing")
async def typing(consumer, frame: dict[str, Any]) -> None:
    """Not stored; at most one event per conversation every few seconds per socket."""
    sent = state(consumer).typing_sent
    key = frame.get("conversation")
    now = time.monotonic()
    if isinstance(key, int) and now - sent.get(key, 0) < TYPING_EVERY:
        return
    if await rate_limited(consumer, frame):
        return
    ok, result = await call(consumer, frame, lambda user, cid: _typing_event(user, cid), key)
    if ok:
        sent[key] = now
        others, event = result
        await send_event_async(others, event)


def _presence(user, watch: list[int]) -> list[dict]:
    actions.touch_presence(user.pk)
    # Only people I share a conversation with: presence is nobody else's business.
    known = Membership.objects.filter(
        conversation__in=access.my_conversation_ids(user), user_id__in=watch
    ).select_related("user")
    people = {m.user_id: m.user for m in known if m.user_id != user.pk}
    answer = []
    for person in people.values():
        seen = queries.presence_of(person, user)
        if seen:
            last = seen["last_seen"]
            answer.append(
                {"id": person.pk, "online": seen["online"], "last_seen": last and last.isoformat()}
            )
    return answer


@register_frame("presence")
async def presence(consumer, frame: dict[str, Any]) -> None:
    """A heartbeat (I am here) that answers who of ``watch`` is online."""
    if await rate_limited(consumer, frame):
        return
    watch = frame.get("watch") or []
    if not isinstance(watch, list) or not all(isinstance(i, int) for i in watch):
        await refuse(consumer, frame, "invalid_watch", INVALID_WATCH)
        return
    ok, users = await call(consumer, frame, _presence, watch[:PRESENCE_WATCH_MAX])
    if ok:
        await consumer.send_json({"type": "presence.state", "users": users})


def _is_member(user_id: int, conversation_id: int) -> bool:
    return Membership.objects.filter(user_id=user_id, conversation_id=conversation_id).exists()


class MembershipCache:
    """Recently confirmed memberships in this process, so that a message to a group of
    500 does not cost 500 database round trips.

    Removal is announced as ``conversation.removed`` on the user's own channel, which
    the layer delivers in order, so every later event of that conversation finds
    the entry gone. A check that was in flight while a removal arrived is not
    cached (the generation moved). Should the layer drop the removal event (it is
    at-most-once), the entry expires after ``ttl`` seconds anyway.
    """

    def __init__(self, ttl: float = 30, limit: int = 100_000):
        self.ttl, self.limit = ttl, limit
        self.confirmed: dict[tuple[int, int], float] = {}
        self.generation: dict[int, int] = {}

    def fresh(self, user_id: int, conversation_id: int) -> bool:
        confirmed = self.confirmed.get((user_id, conversation_id))
        return confirmed is not None and time.monotonic() - confirmed < self.ttl

    def remember(self, user_id: int, conversation_id: int, generation: int) -> None:
        if self.generation.get(user_id, 0) != generation:
            return
        if len(self.confirmed) >= self.limit:
            self.confirmed.clear()
        self.confirmed[(user_id, conversation_id)] = time.monotonic()

    def forget(self, user_id: int, conversation_id: int) -> None:
        self.generation[user_id] = self.generation.get(user_id, 0) + 1
        self.confirmed.pop((user_id, conversation_id), None)

    def clear(self) -> None:
        self.confirmed.clear()
        self.generation.clear()


membership_cache = MembershipCache()


async def members_only(user, event: dict[str, Any]) -> bool:
    """Re-checked per socket: someone removed a moment ago gets nothing more."""
    conversation_id = event.get("conversation")
    if not isinstance(conversation_id, int):
        return False
    if membership_cache.fresh(user.pk, conversation_id):
        return True
    generation = membership_cache.generation.get(user.pk, 0)
    member = await database_sync_to_async(_is_member)(user.pk, conversation_id)
    if member:
        membership_cache.remember(user.pk, conversation_id, generation)
    return member


async def removed(user, event: dict[str, Any]) -> bool:
    """Always forwarded; first it ends this process's trust in the membership."""
    if isinstance(event.get("conversation"), int):
        membership_cache.forget(user.pk, event["conversation"])
    return True


def _delivery_receipt(user_id: int, event: dict[str, Any]) -> tuple[bool, int | None]:
    """Is the user a member, and whom to tell that it arrived (direct conversations)."""
    if not _is_member(user_id, event["conversation"]):
        return False, None
    sender = event["message"]["sender"]["id"]
    shares = not Preferences.objects.filter(
        user_id__in=[user_id, sender], read_receipts=False
    ).exists()
    return True, sender if shares else None


async def new_message_visible(user, event: dict[str, Any]) -> bool:
    """Members only; and in a direct conversation the sender learns it was delivered."""
    sender = (event.get("message") or {}).get("sender", {}).get("id")
    if not event.get("direct") or event.get("sync") or sender in (None, user.pk):
        return await members_only(user, event)
    visible, tell = await database_sync_to_async(_delivery_receipt)(user.pk, event)
    if tell is not None:
        await send_event_async(
            [tell],
            {
                "type": "delivered",
                "conversation": event["conversation"],
                "message": event["message"]["id"],
                "user": user.pk,
            },
        )
    return visible


for _event_type in MEMBERS_ONLY:
    register_visibility(_event_type)(members_only)
register_visibility("message.new")(new_message_visible)
register_visibility("conversation.removed")(removed)
