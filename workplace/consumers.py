"""The one WebSocket endpoint, ``/ws/``, shared by every module."""

from __future__ import annotations

import json
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from workplace import mfa, realtime

UNAUTHENTICATED = 4401


class WorkplaceConsumer(AsyncJsonWebsocketConsumer):
    """Authenticates, joins the user's and the session's groups, routes frames."""

    async def connect(self) -> None:
        self.user = self.scope.get("user")
        session = self.scope.get("session")
        if self.user is None or not self.user.is_authenticated or not session:
            await self.close(code=UNAUTHENTICATED)
            return
        if await database_sync_to_async(mfa.session_owes_code)(self.user, session):
            await self.close(code=UNAUTHENTICATED)  # the login is not finished yet
            return
        self.groups_joined = [
            realtime.user_group(self.user.pk),
            realtime.session_group(session.session_key),
        ]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

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
        await self.send_json({"type": "session.end", "reason": message.get("reason")})
        await self.close(code=UNAUTHENTICATED)
