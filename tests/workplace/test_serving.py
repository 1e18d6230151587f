"""The production web shape embedded: gunicorn with one uvicorn process, no Redis."""

from __future__ import annotations

import asyncio
import json

import pytest
import websockets

from tests.factories import EmployeeFactory
from tests.integration.test_services import log_in, logout_on
from tests.servers import run_production
from tests.workplace.test_settings import run_manage


def test_more_than_one_web_process_without_redis_is_refused_with_the_reason(tmp_path):
    env = {"DEBUG": "true", "WERKPLEK_DATA_DIR": str(tmp_path), "WEB_WORKERS": "2"}
    env["REDIS_URL"] = ""
    result = run_manage(["check"], env)
    assert result.returncode != 0
    assert "WEB_WORKERS=2 needs REDIS_URL" in result.stderr


def test_the_embedded_shape_is_one_web_process(tmp_path):
    env = {"DEBUG": "true", "WERKPLEK_DATA_DIR": str(tmp_path), "REDIS_URL": ""}
    result = run_manage(
        ["shell", "-c", "from django.conf import settings; print(settings.WEB_WORKERS)"], env
    )
    assert result.stdout.strip().splitlines()[-1] == "1", result.stderr


@pytest.mark.parametrize("workers", ["0", "veel"])
def test_a_web_worker_count_that_makes_no_sense_stops_the_start(tmp_path, workers):
    env = {"DEBUG": "true", "WERKPLEK_DATA_DIR": str(tmp_path), "WEB_WORKERS": workers}
    result = run_manage(["check"], env)
    assert result.returncode != 0 and "WEB_WORKERS must" in result.stderr


def test_logging_out_over_http_ends_the_socket_the_same_process_serves(
    transactional_db, organisation, monkeypatch
):
    monkeypatch.delenv("REDIS_URL", raising=False)
    EmployeeFactory(username="ines", department=organisation["civil"])
    with run_production() as server:
        session, opener = log_in(server, "ines")
        assert "Werkplek" in opener.open(f"{server}/").read().decode()

        async def scenario():
            headers = {"Cookie": f"sessionid={session}", "Origin": server}
            async with websockets.connect(
                server.replace("http", "ws") + "/ws/", additional_headers=headers
            ) as socket:
                await socket.send(json.dumps({"type": "ping"}))
                assert json.loads(await socket.recv()) == {"type": "pong"}
                await asyncio.to_thread(logout_on, server, opener)
                event = json.loads(await asyncio.wait_for(socket.recv(), timeout=10))
                assert event == {"type": "session.end", "reason": "logout"}
                with pytest.raises(websockets.ConnectionClosed) as closed:
                    await asyncio.wait_for(socket.recv(), timeout=10)
                assert closed.value.rcvd.code == 4401

        asyncio.run(scenario())
