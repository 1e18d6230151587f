"""The scaled configuration: PostgreSQL and Redis, and several daphne processes."""

from __future__ import annotations

import asyncio
import http.cookiejar
import json
import urllib.request

import pytest
import websockets
from django.db import connection

from tests.factories import PASSWORD, EmployeeFactory
from tests.servers import run_daphne

pytestmark = pytest.mark.integration


def test_it_runs_on_postgresql(db):
    assert connection.vendor == "postgresql"


def test_the_health_check_sees_postgresql_and_redis(client, db, settings):
    settings.HEALTHZ_TOKEN = "monitoring-secret"
    body = client.get("/healthz", headers={"Authorization": "Bearer monitoring-secret"}).json()
    assert body["checks"]["database"] == {"ok": True, "vendor": "postgresql"}
    assert body["checks"]["channel_layer"] == {"ok": True, "backend": "RedisChannelLayer"}


def csrf_token(page: str) -> str:
    return page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]


def log_in(base_url: str, username: str) -> tuple[str, urllib.request.OpenerDirector]:
    """Log in through the real login form; return the session key and the browser-like opener."""
    cookies = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))
    token = csrf_token(opener.open(f"{base_url}/accounts/login/").read().decode())
    data = f"csrfmiddlewaretoken={token}&username={username}&password={PASSWORD}".encode()
    opener.open(urllib.request.Request(f"{base_url}/accounts/login/", data=data))
    return {cookie.name: cookie.value for cookie in cookies}["sessionid"], opener


def logout_on(base_url: str, opener: urllib.request.OpenerDirector) -> None:
    token = csrf_token(opener.open(f"{base_url}/meer/").read().decode())
    data = f"csrfmiddlewaretoken={token}".encode()
    opener.open(urllib.request.Request(f"{base_url}/accounts/logout/", data=data))


def test_logging_out_on_one_process_closes_a_socket_on_another(transactional_db, organisation):
    EmployeeFactory(username="ines", department=organisation["civil"])
    with run_daphne() as first, run_daphne() as second:
        session, opener = log_in(first, "ines")

        async def scenario():
            ws_url = first.replace("http", "ws") + "/ws/"
            headers = {"Cookie": f"sessionid={session}", "Origin": first}
            async with websockets.connect(ws_url, additional_headers=headers) as socket:
                await socket.send(json.dumps({"type": "ping"}))
                assert json.loads(await socket.recv()) == {"type": "pong"}
                # Log out through the *other* process, in another thread.
                await asyncio.to_thread(logout_on, second, opener)
                event = json.loads(await asyncio.wait_for(socket.recv(), timeout=10))
                assert event == {"type": "session.end", "reason": "logout"}
                with pytest.raises(websockets.ConnectionClosed) as closed:
                    await asyncio.wait_for(socket.recv(), timeout=10)
                assert closed.value.rcvd.code == 4401

        asyncio.run(scenario())
