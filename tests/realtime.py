"""Helpers to open the /ws/ endpoint as a logged-in browser would."""

from __future__ import annotations

from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from workplace.asgi import application


def session_cookie_for(user) -> str:
    from tests.auth import verified_login

    client = Client()
    verified_login(client, user)  # with the second factor, where the account needs one
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def communicator(
    session_key: str | None = None, origin: str | None = "http://localhost"
) -> WebsocketCommunicator:
    headers = [(b"host", b"localhost")]
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    if session_key:
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={session_key}".encode()))
    return WebsocketCommunicator(application, "/ws/", headers=headers)
