"""The one WebSocket endpoint, ``/ws/``, shared by every module."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from workplace import mfa, realtime, sessions

UNAUTHENTICATED = 4401
# Look just after a session's deadline, not just before it.
DEADLINE_MARGIN = 0.5
# After a failed check (the database unreachable, say): soon again, rather than never.
RETRY_SECONDS = 5

logger = logging.getLogger(__name__)


class WorkplaceConsumer(AsyncJsonWebsocketConsumer):
    """Authenticates, joins the user's and the session's groups, routes frames.

    A socket lives no longer than its session: it closes on ``session.end`` from
    the layer, re-checks its session on ``session.check`` (a password changed), and
    watches the session's deadline itself, since a session can expire without
    any request arriving to end it.
    """

    session_watch: asyncio.Task | None = None
    ended = False

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
        self.groups_joined = [
            realtime.user_group(self.user.pk),
            realtime.session_group(self.session_key),
        ]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        self.session_watch = asyncio.create_task(self.watch_session())

    async def disconnect(self, code: int) -> None:
        await self.stop_watching()
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

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
        await self.send_json({"type": "session.end", "reason": str(reason)})
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
        try:
            frame = json.loads(text_data or "")
        except ValueError:
            await self.send_error("invalid_json", "Het bericht is geen geldige JSON.")
            return
        if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
            await self.send_error("invalid_frame", "Een bericht heeft een veld 'type' nodig.")
            return
        await self.receive_json(frame)

    async def receive_json(self, content: dict[str, Any], **kwargs) -> None:
        frame_type = content["type"]
        if frame_type == "ping":
            await self.send_json({"type": "pong"})
            return
        handler = realtime.frame_handlers.get(frame_type)
        if handler is None:
            await self.send_error(
                "unknown_type", f"Onbekend berichttype: {frame_type[:50]}", content
            )
            return
        await handler(self, content)

    async def send_error(self, code: str, detail: str, frame: dict | None = None) -> None:
        await self.send_json(
            {
                "type": "error",
                "code": code,
                "detail": detail,
                "client_id": (frame or {}).get("client_id"),
            }
        )

    # --- messages from the channel layer -------------------------------------------

    async def deliver(self, message: dict[str, Any]) -> None:
        event = message["event"]
        check = realtime.visibility_checks.get(event.get("type", ""))
        if check is not None and not await check(self.user, event):
            return
        await self.send_json(event)

    async def session_end(self, message: dict[str, Any]) -> None:
        await self.end_session(message.get("reason") or sessions.EndReason.LOGOUT)

    async def session_check(self, message: dict[str, Any]) -> None:
        await self.check_session()
