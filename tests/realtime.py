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


# What a socket is sent arrives within milliseconds on a quiet machine, but CI runs
# the two tiers side by side on two cores, with PostgreSQL and Redis beside them:
# waiting for something that does come may take seconds there. Waiting for nothing
# (``receive_nothing``) keeps its own short timeout.
ARRIVAL_TIMEOUT = 5


class Communicator(WebsocketCommunicator):
    async def connect(self, timeout: float = ARRIVAL_TIMEOUT):
        return await super().connect(timeout)

    async def receive_from(self, timeout: float = ARRIVAL_TIMEOUT):
        return await super().receive_from(timeout)

    async def receive_json_from(self, timeout: float = ARRIVAL_TIMEOUT):
        return await super().receive_json_from(timeout)


def communicator(
    session_key: str | None = None, origin: str | None = "http://localhost"
) -> WebsocketCommunicator:
    headers = [(b"host", b"localhost")]
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    if session_key:
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={session_key}".encode()))
    return Communicator(application, "/ws/", headers=headers)
