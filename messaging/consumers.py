"""Messaging's frames on the shared ``/ws/`` endpoint (protocol: docs/realtime.md).

Each handler runs the same action a page or the API would, in a worker thread,
and answers only after that action's transaction has committed: an ``ack`` is a
promise that the message is in the database.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from channels.db import database_sync_to_async
from django.http import Http404
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from messaging import access, actions, events, queries
from messaging.frames import (
    CLIENT_ID_REQUIRED,
    INVALID_CHANGED_SINCE,
    INVALID_SINCE,
    INVALID_WATCH,
    NOT_FOUND,
)
from messaging.models import Membership, Preferences
from workplace.realtime import send_event_async

logger = logging.getLogger("werkplek.realtime")

SYNC_BATCH = 200
SYNC_MAX_BATCHES = 25
TYPING_EVERY = 3.0  # seconds between typing events per conversation and socket
PRESENCE_WATCH_MAX = 50
# After a heartbeating socket closes, how long the next page has to open its own.
AWAY_RECHECK_SECONDS = 3.0

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
    """Messaging's own per-socket state (``consumer.state(SocketState)``)."""

    bucket: TokenBucket = field(default_factory=TokenBucket)
    typing_sent: dict[int, float] = field(default_factory=dict)
    heartbeat: bool = False  # sent a presence heartbeat: its close may mean going away


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
        with consumer.language():
            detail = _(NOT_FOUND)
        await consumer.send_error("not_found", detail, frame)
        return False, None
    return True, result


async def rate_limited(consumer, frame: dict[str, Any]) -> bool:
    if consumer.state(SocketState).bucket.take():
        return False
    with consumer.language():
        detail = _("Slow down: you are sending too many messages at once.")
    await consumer.send_error("rate_limited", detail, frame)
    return True


async def refuse(consumer, frame: dict[str, Any], code: str, detail: str) -> None:
    with consumer.language():
        await consumer.send_error(code, str(_(detail)), frame)


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
        await consumer.send_json(events.message_ack(payload))


def _send_and_describe(user, conversation_id, body, client_id, reply_to) -> dict:
    message, _created = actions.send_message(
        user, conversation_id, body, client_id, reply_to=reply_to
    )
    return queries.message_payload(message)


async def message_edit(consumer, frame: dict[str, Any]) -> None:
    if await rate_limited(consumer, frame):
        return
    await call(consumer, frame, actions.edit_message, frame.get("message"), frame.get("body"))


async def message_delete(consumer, frame: dict[str, Any]) -> None:
    if await rate_limited(consumer, frame):
        return
    await call(consumer, frame, actions.delete_message, frame.get("message"))


def _sync_batch(user, since: int) -> list[events.MessageNewEvent]:
    return [
        events.message_new(queries.message_payload(message), sync=True)
        for message in queries.messages_since(user, since, SYNC_BATCH)
    ]


def _changes(user, since: int, moment) -> list[events.MessageUpdateEvent]:
    return [
        events.message_update(queries.message_payload(message), sync=True)
        for message in queries.changed_since(user, since, moment)
    ]


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
        batch = await database_sync_to_async(_sync_batch)(consumer.user, last)
        for event in batch:
            await consumer.send_json(event)
        if batch:
            last = batch[-1]["message"]["id"]
        if len(batch) < SYNC_BATCH:
            await consumer.send_json(events.sync_done(last, False, started.isoformat()))
            return
    await consumer.send_json(events.sync_done(last, True, started.isoformat()))


async def read(consumer, frame: dict[str, Any]) -> None:
    if await rate_limited(consumer, frame):
        return
    await call(consumer, frame, actions.mark_read, frame.get("conversation"), frame.get("message"))


def _typing_event(user, conversation_id) -> tuple[list[int], events.TypingEvent]:
    membership = access.access_conversation(user, conversation_id)
    others = [uid for uid in queries.member_ids(membership.conversation_id) if uid != user.pk]
    event = events.typing(membership.conversation_id, user.pk, user.first_name or str(user))
    return others, event


async def typing(consumer, frame: dict[str, Any]) -> None:
    """Not stored; at most one event per conversation every few seconds per socket."""
    sent = consumer.state(SocketState).typing_sent
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


def _presence(user, watch: list[int], socket: str) -> list[events.PresencePayload]:
    actions.touch_presence(user.pk, socket)
    # Only people I share a conversation with: presence is nobody else's business.
    known = Membership.objects.filter(
        conversation__in=access.my_conversation_ids(user), user_id__in=watch
    ).select_related("user")
    people = {m.user_id: m.user for m in known if m.user_id != user.pk}
    answer: list[events.PresencePayload] = []
    for person in people.values():
        seen = queries.presence_of(person, user)
        if seen:
            last = seen["last_seen"]
            answer.append(
                {"id": person.pk, "online": seen["online"], "last_seen": last and last.isoformat()}
            )
    return answer


async def presence(consumer, frame: dict[str, Any]) -> None:
    """A heartbeat (I am here) that answers who of ``watch`` is online."""
    if await rate_limited(consumer, frame):
        return
    watch = frame.get("watch") or []
    if not isinstance(watch, list) or not all(isinstance(i, int) for i in watch):
        await refuse(consumer, frame, "invalid_watch", INVALID_WATCH)
        return
    ok, users = await call(
        consumer, frame, _presence, watch[:PRESENCE_WATCH_MAX], consumer.channel_name
    )
    if ok:
        consumer.state(SocketState).heartbeat = True
        await consumer.send_json(events.presence_state(users))


# Tasks waiting to re-check someone's presence (a reference, so they are not collected).
_away_checks: set[asyncio.Task] = set()


async def socket_closed(consumer, code: int) -> None:
    """A socket that sent heartbeats closed: in a moment, if it was their last, say so.

    The moment (``AWAY_RECHECK_SECONDS``) lets a reload or the next page open its own
    socket first: going to another page is no going away.
    """
    if not consumer.state(SocketState).heartbeat:
        return
    closed_at = timezone.now()
    await database_sync_to_async(actions.forget_socket)(consumer.channel_name)
    task = asyncio.create_task(_away_later(consumer.user.pk, closed_at))
    _away_checks.add(task)
    task.add_done_callback(_away_checks.discard)


async def _away_later(user_id: int, closed_at) -> None:
    await asyncio.sleep(AWAY_RECHECK_SECONDS)
    try:
        await database_sync_to_async(actions.announce_if_away)(user_id, closed_at)
    except Exception:
        # Not said now, their partners' next heartbeat learns it.
        logger.exception("Could not check whether user %s went away", user_id)


def _may_see_presence(viewer_id: int, user_ids: list[int]) -> bool:
    if Preferences.objects.filter(user_id=viewer_id, show_presence=False).exists():
        return False
    return set(user_ids) <= set(queries.presence_partners(viewer_id))


async def presence_visible(user, event: dict[str, Any]) -> bool:
    """A pushed ``presence.state`` (someone came online), checked again on arrival:
    nobody hears of it who hid their own presence since, or is no direct partner.
    (Answers to a heartbeat go straight to the socket and were checked when made.)"""
    ids = [person.get("id") for person in event.get("users") or []]
    if not ids or not all(isinstance(i, int) for i in ids):
        return False
    return await database_sync_to_async(_may_see_presence)(user.pk, ids)


def _members_among(conversation_id: int, user_ids: list[int]) -> set[int]:
    return set(
        Membership.objects.filter(
            conversation_id=conversation_id, user_id__in=user_ids
        ).values_list("user_id", flat=True)
    )


class MembershipChecks:
    """The re-checks of one conversation that arrive together, asked in one query.

    A message to a group of 1,000 reaches this process's sockets in one pass of
    the event loop (or, from Redis, in quick succession): each socket asks, and one
    query per conversation answers all who asked meanwhile, instead of a thousand
    queries in line for the one database thread.
    """

    def __init__(self) -> None:
        # By event loop, then conversation: a batch left behind by a loop that closed
        # before answering (a test's) is never joined by a socket of another loop,
        # whose question nobody would then answer.
        self.waiting: dict[
            tuple[asyncio.AbstractEventLoop, int], dict[int, asyncio.Future[bool]]
        ] = {}
        self.tasks: set[asyncio.Task] = set()

    async def is_member(self, user_id: int, conversation_id: int) -> bool:
        loop = asyncio.get_running_loop()
        key = (loop, conversation_id)
        batch = self.waiting.get(key)
        if batch is None:
            for stale in [k for k in self.waiting if k[0] is not loop]:
                del self.waiting[stale]
            batch = self.waiting[key] = {}
            task = loop.create_task(self._answer(key, conversation_id))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)
        if user_id not in batch:
            batch[user_id] = loop.create_future()
        return await asyncio.shield(batch[user_id])

    async def _answer(
        self, key: tuple[asyncio.AbstractEventLoop, int], conversation_id: int
    ) -> None:
        await asyncio.sleep(0)  # let the other sockets woken with this one ask too
        batch = self.waiting.pop(key, {})
        try:
            members = await database_sync_to_async(_members_among)(conversation_id, list(batch))
        except Exception as error:
            for future in batch.values():
                if not future.done():
                    future.set_exception(error)
            return
        for user_id, future in batch.items():
            if not future.done():
                future.set_result(user_id in members)


membership_checks = MembershipChecks()


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
    member = await membership_checks.is_member(user.pk, conversation_id)
    if member:
        membership_cache.remember(user.pk, conversation_id, generation)
    return member


async def forget_membership(consumer, event: dict[str, Any]) -> None:
    """Always forwarded, then this process trusts the membership no more.

    The layer hands this socket its events one at a time, so the next event of
    the conversation is checked against the database (and refused).
    """
    if isinstance(event.get("conversation"), int):
        membership_cache.forget(consumer.user.pk, event["conversation"])
        await consumer.leave(events.conversation_group(event["conversation"]))


def _conversation_ids(user_id: int) -> list[int]:
    return list(
        Membership.objects.filter(user_id=user_id).values_list("conversation_id", flat=True)
    )


async def join_conversations(consumer) -> None:
    """A socket opens: it joins the group of each of its user's conversations.

    The query that finds them also confirms the memberships, so the first message
    of each conversation needs no second look (``members_only``)."""
    user_id = consumer.user.pk
    generation = membership_cache.generation.get(user_id, 0)
    conversation_ids = await database_sync_to_async(_conversation_ids)(user_id)
    # One after the other: dozens of concurrent group_adds on channels-redis kept a
    # socket of someone in many conversations from opening (the chat XSS browser test,
    # integration tier); in sequence they are a few milliseconds.
    for conversation_id in conversation_ids:
        await consumer.join(events.conversation_group(conversation_id))
    for conversation_id in conversation_ids:
        membership_cache.remember(user_id, conversation_id, generation)


def _receipt_shared(user_id: int, sender_id: int) -> bool:
    """Do both share read receipts (and so delivery receipts)?"""
    return not Preferences.objects.filter(
        user_id__in=[user_id, sender_id], read_receipts=False
    ).exists()


async def tell_delivered(consumer, event: dict[str, Any]) -> None:
    """After a new direct message reached this socket, its sender learns it arrived.

    A step of its own after forwarding, not part of the visibility check: the
    check only decides, and the receipt is true only once the message is sent on.
    """
    sender = (event.get("message") or {}).get("sender", {}).get("id")
    if not event.get("direct") or event.get("sync") or sender in (None, consumer.user.pk):
        return
    if await database_sync_to_async(_receipt_shared)(consumer.user.pk, sender):
        receipt = events.delivered(event["conversation"], event["message"]["id"], consumer.user.pk)
        await send_event_async([sender], receipt)
