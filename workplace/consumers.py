"""The one WebSocket endpoint, ``/ws/``, shared by every module."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from typing import Any, TypeVar

from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from workplace import events, mfa, realtime, sessions, untrusted

logger = logging.getLogger("werkplek.realtime")

UNAUTHENTICATED = 4401
# Look just after a session's deadline, not just before it.
DEADLINE_MARGIN = 0.5
# After a failed check (the database unreachable, say): soon again, rather than never.
RETRY_SECONDS = 5
# Delivery ids a socket remembers to forward an event that came two ways only once: a
# few seconds' worth of a busy group's messages.
DELIVERED_ONCE_KEPT = 64
# RFC 6455's own code, 1009, cannot be used: daphne's autobahn lets an application
# close only with 1000 or 3000-4999 (1009 would go out as 1011), and its own size
# limit (1 MB by default) drops the connection without any code. So, as 4401 mirrors
# HTTP 401, 4413 mirrors 413 Payload Too Large.
MESSAGE_TOO_BIG = 4413
# The socket carries chat messages and small commands; JSON deeper than this is a probe.
FRAME_MAX_DEPTH = 8


State = TypeVar("State")


def _utf8_size(text: str) -> int:
    if len(text) * 4 <= settings.WEBSOCKET_MAX_MESSAGE_BYTES:
        return len(text)  # cannot be over the limit: skip the copy
    return len(text.encode("utf-8", "surrogatepass"))


class WorkplaceConsumer(AsyncJsonWebsocketConsumer):
    """Authenticates, joins the user's and the session's groups, routes frames.

    A socket lives no longer than its session: it closes on ``session.end`` from
    the layer, re-checks its session on ``session.check`` (a password changed), and
    watches the session's deadline itself, since a session can expire without
    any request arriving to end it.

    Apps reach it through a small API: ``join(group)`` and ``leave(group)`` for
    channel-layer groups, ``state(Kind)`` for their own per-socket state, ``user``,
    ``language()``, ``send_json`` and ``send_error``. Their frame handlers, event
    checks and steps after a close are registered in ``workplace.realtime``.
    """

    session_watch: asyncio.Task | None = None
    ended = False
    opened = False  # joined its groups for its user: the closed steps run for it

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.groups_joined: list[str] = []
        self.app_state: dict[type, Any] = {}
        self.delivered_once: deque[str] = deque(maxlen=DELIVERED_ONCE_KEPT)

    # --- what apps may use -------------------------------------------------------------

    async def join(self, group: str) -> None:
        if group not in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
            self.groups_joined.append(group)

    async def leave(self, group: str) -> None:
        if group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)
            self.groups_joined.remove(group)

    def state(self, kind: type[State]) -> State:
        """This socket's instance of an app's state class, made on first use."""
        if kind not in self.app_state:
            self.app_state[kind] = kind()
        return self.app_state[kind]

    async def connect(self) -> None:
        self.user = self.scope.get("user")
        session = self.scope.get("session")
        if self.user is None or not self.user.is_authenticated or not session:
            await self.close(code=UNAUTHENTICATED)
            return
        if await database_sync_to_async(mfa.session_owes_code)(self.user, session):
            await self.close(code=UNAUTHENTICATED)  # the login is not finished yet
            return
        self.session_key = session.session_key
        # The idle and absolute limits are not the store's: check them before joining.
        reason, self.check_at = await database_sync_to_async(sessions.socket_check)(
            self.session_key, self.user.pk
        )
        if reason is not None:
            # Accepted only to say why, so that the page (a laptop back from sleep,
            # say) clears itself and leaves instead of retrying: it joins nothing.
            await self.accept()
            await self.end_session(reason)
            return
        await self.join(realtime.user_group(self.user.pk))
        await self.join(realtime.session_group(self.session_key))
        for step in realtime.opened_steps:
            await step(self)
        await self.accept()
        self.opened = True
        self.session_watch = asyncio.create_task(self.watch_session())

    async def disconnect(self, code: int) -> None:
        await self.stop_watching()
        for group in list(self.groups_joined):
            await self.leave(group)
        if not self.opened:
            return
        self.opened = False
        for step in realtime.closed_steps:
            try:
                await step(self, code)
            except Exception:
                logger.exception(
                    "A step after the close of a socket of user %s failed", self.user.pk
                )

    # --- the session behind the socket ---------------------------------------------

    async def watch_session(self) -> None:
        while True:
            await asyncio.sleep(max(0.0, self.check_at - time.time()) + DEADLINE_MARGIN)
            try:
                if await self.check_session():
                    return
            except Exception:
                logger.exception("Could not check the session of a socket")
                self.check_at = time.time() + RETRY_SECONDS

    async def check_session(self) -> bool:
        """Ask the database whether the session still holds; end the socket if not."""
        reason, self.check_at = await database_sync_to_async(sessions.socket_check)(
            self.session_key, self.user.pk
        )
        if reason is None:
            return False
        await self.end_session(reason)
        return True

    async def end_session(self, reason: str) -> None:
        if self.ended:
            return
        self.ended = True
        await self.send_json(events.session_end(reason))
        await self.close(code=UNAUTHENTICATED)
        await self.stop_watching()

    async def websocket_receive(self, message: dict[str, Any]) -> None:
        # Nothing more from a socket whose session has ended, not even a frame on its way.
        if not self.ended:
            await super().websocket_receive(message)

    async def stop_watching(self) -> None:
        watch = self.session_watch
        if watch is None or watch is asyncio.current_task():
            return
        watch.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watch

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None):
        size = len(bytes_data) if bytes_data is not None else _utf8_size(text_data or "")
        if size > settings.WEBSOCKET_MAX_MESSAGE_BYTES:
            # Refused unparsed: no frame of ours comes near the limit (a message is
            # at most 10,000 characters), so this one is a mistake or an attack.
            await self.close(code=MESSAGE_TOO_BIG)
            return
        with self.language():
            try:
                # Strict: no NUL, lone surrogate or 64-bit overflow reaches a handler.
                frame = untrusted.loads(text_data or "", max_depth=FRAME_MAX_DEPTH)
            except untrusted.UnsafeInput as problem:
                await self.send_error(problem.code, problem.detail)
                return
            except ValueError:
                await self.send_error("invalid_json", _("The message is not valid JSON."))
                return
            if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
                await self.send_error("invalid_frame", _("A message needs a field 'type'."))
                return
        await self.receive_json(frame)

    async def receive_json(self, content: dict[str, Any], **kwargs) -> None:
        frame_type = content["type"]
        handler = realtime.frame_handlers.get(frame_type)
        if handler is None:
            with self.language():
                detail = _("Unknown message type: %(type)s") % {"type": frame_type[:50]}
            await self.send_error("unknown_type", detail, content)
            return
        try:
            schema = realtime.frame_schemas.get(frame_type)
            if schema is not None:
                with self.language():
                    untrusted.check_frame(content, schema)
            await handler(self, content)
        except StopConsumer:
            raise
        except Exception as error:
            # Whatever a handler does wrong, this socket stays open for the next frame.
            await self.send_error(*self.describe_failure(frame_type, error), content)

    def describe_failure(self, frame_type: str, error: Exception) -> tuple[str, str]:
        with self.language():
            if isinstance(error, realtime.FrameError | untrusted.UnsafeInput):
                return error.code, str(error.detail)
            if isinstance(error, ValidationError):
                return "invalid", " ".join(error.messages)
            if isinstance(error, PermissionDenied):
                return "forbidden", _("You may not do this.")
            if isinstance(error, Http404):
                return "not_found", _("Not found.")
            logger.exception("Frame %r of user %s failed", frame_type[:50], self.user.pk)
            return "server_error", _("Something went wrong on our side; try again.")

    def language(self):
        return translation.override(getattr(self.user, "language", None) or "nl")

    async def send_error(self, code: str, detail: str, frame: dict | None = None) -> None:
        await self.send_json(events.error(code, detail, (frame or {}).get("client_id")))

    # --- messages from the channel layer -------------------------------------------

    async def deliver(self, message: dict[str, Any]) -> None:
        once = message.get("once")
        if once is not None:
            # The same event by two ways (``realtime.send_group_event``'s ``also_to``).
            if once in self.delivered_once:
                return
            self.delivered_once.append(once)
        event = message["event"]
        event_type = event.get("type", "")
        check = realtime.visibility_checks.get(event_type)
        if check is not None and not await check(self.user, event):
            return
        await self.send_json(event)
        step = realtime.forwarded_steps.get(event_type)
        if step is not None:
            await step(self, event)

    async def group_join(self, message: dict[str, Any]) -> None:
        """Sent by ``realtime.join_on_commit`` (someone was added to a conversation)."""
        await self.join(message["group"])

    async def session_end(self, message: dict[str, Any]) -> None:
        await self.end_session(message.get("reason") or sessions.EndReason.LOGOUT)

    async def session_check(self, message: dict[str, Any]) -> None:
        await self.check_session()


async def pong(consumer: WorkplaceConsumer, frame: dict[str, Any]) -> None:
    await consumer.send_json(events.pong())
