"""The production web shape scaled: gunicorn with several uvicorn processes on Redis."""

from __future__ import annotations

import asyncio
import json

import pytest
import websockets

from tests.factories import EmployeeFactory
from tests.integration.test_services import log_in, logout_on
from tests.servers import run_production

pytestmark = pytest.mark.integration


def test_an_event_sent_over_http_in_one_web_process_reaches_a_socket_in_another(
    transactional_db, organisation
):
    """Two gunicorn masters of two workers each: the socket is held by one of the first's
    processes, the HTTP request is served by one of the second's, whatever the kernel
    chose within each; only the Redis channel layer joins them."""
    EmployeeFactory(username="ines", department=organisation["civil"])
    with run_production(workers=2) as first, run_production(workers=2) as second:
        session, opener = log_in(first, "ines")

        async def scenario():
            headers = {"Cookie": f"sessionid={session}", "Origin": first}
            url = first.replace("http", "ws") + "/ws/"
            sockets = [await websockets.connect(url, additional_headers=headers) for _ in range(4)]
            try:
                for socket in sockets:
                    await socket.send(json.dumps({"type": "ping"}))
                    assert json.loads(await socket.recv()) == {"type": "pong"}
                await asyncio.to_thread(logout_on, second, opener)
                for socket in sockets:
                    event = json.loads(await asyncio.wait_for(socket.recv(), timeout=10))
                    assert event == {"type": "session.end", "reason": "logout"}
            finally:
                for socket in sockets:
                    await socket.close()

        asyncio.run(scenario())
