"""Real Huey workers (``manage.py run_huey``) on the test database, for end-to-end tests.

The test process itself runs tasks at once (``tests/settings.py``); ``queueing``
switches it to the real queue for the length of a block, so that what it enqueues
is taken by the workers, as in production.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from huey.contrib.djhuey import HUEY

from tests.servers import ROOT, test_database_url


@contextmanager
def queueing() -> Iterator[None]:
    """Enqueue into the configured storage (SQLite file or Redis) instead of running at once."""
    HUEY.immediate = False
    HUEY.flush()
    try:
        yield
    finally:
        HUEY.flush()
        HUEY.immediate = True


@contextmanager
def run_workers(
    count: int = 1,
    threads: int = 2,
    extra_env: dict[str, str] | None = None,
    log: Path | None = None,
    poll: bool = False,
) -> Iterator[list[subprocess.Popen]]:
    """``count`` consumers with ``threads`` workers each; stopped (SIGINT) when the block ends.

    ``poll``: idle consumers look for work every 0.1 s instead of backing off to 10 s."""
    env = {
        **os.environ,
        "DATABASE_URL": test_database_url(),
        "DJANGO_SETTINGS_MODULE": "workplace.settings",
        "HUEY_IMMEDIATE": "false",
        **(extra_env or {}),
    }
    processes = []
    outputs = []
    for number in range(count):
        output = open(log.with_suffix(f".{number}.log") if log else os.devnull, "w")  # noqa: SIM115
        outputs.append(output)
        processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "manage.py",
                    "run_huey",
                    *("-w", str(threads), "-k", "thread"),
                    *(("-d", "0.1", "-m", "0.2") if poll else ()),
                ],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        )
    try:
        yield processes
    finally:
        for process in processes:
            process.send_signal(2)
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        for output in outputs:
            output.close()
