"""Without Redis the web process runs the background jobs itself (workplace/jobs.py):
what a job sends reaches the sockets that process holds, in the production shape."""

from __future__ import annotations

import asyncio
import json

import websockets
from huey.contrib.djhuey import HUEY
from huey.storage import SqliteStorage

from campaigns import tasks
from tests.campaigns.conftest import scheduled
from tests.factories import EmployeeFactory
from tests.integration.test_services import log_in
from tests.servers import run_production
from workplace.models import Audience
from workplace.roles import Role


def test_a_scheduled_announcement_lights_the_badge_of_an_open_page(
    transactional_db, organisation, alice, tmp_path
):
    """The job that publishes it runs in the web process: its unread count reaches
    Alice's open socket through the in-memory channel layer, without a reload."""
    author = EmployeeFactory(username="lies", roles=[Role.COMMUNICATION])
    audience = Audience.objects.create()
    audience.departments.add(organisation["facility"])
    embedded = {"REDIS_URL": "", "HUEY_IMMEDIATE": "false", "WERKPLEK_DATA_DIR": str(tmp_path)}
    with run_production(embedded) as server:
        session, _opener = log_in(server, "alice")
        item = scheduled(author, audience, title="Nieuwe werkkledij", minutes=-1)
        # The server's own queue, in its data directory (the test's jobs run at once).
        queue = SqliteStorage("werkplek", filename=str(tmp_path / "jobs.sqlite3"))
        job = tasks.publish_due.s(once_per_slot=False)  # not the scheduler's

        async def scenario() -> dict:
            headers = {"Cookie": f"sessionid={session}", "Origin": server}
            url = server.replace("http", "ws") + "/ws/"
            async with websockets.connect(url, additional_headers=headers) as socket:
                await socket.send(json.dumps({"type": "ping"}))
                assert json.loads(await socket.recv()) == {"type": "pong"}
                queue.enqueue(HUEY.serialize_task(job), job.priority)
                while True:
                    event = json.loads(await asyncio.wait_for(socket.recv(), timeout=15))
                    if event["type"] == "notifications.unread":
                        return event

        assert asyncio.run(scenario()) == {"type": "notifications.unread", "unread": 1}
    item.refresh_from_db()
    assert item.published is not None
