"""A real daphne and a real Chromium for end-to-end tests.

``live_daphne`` serves the app from a separate daphne process on the test
database (so tests using it need committed data: ``transactional_db``).
Browser tests drive Debian's Chromium through Playwright; outside CI they are
skipped when Chromium is missing, in CI they fail instead.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlsplit

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_database_url() -> str:
    """The URL of the database the tests run on, for another process to use."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = quote(settings.get("USER") or "")
    password = f":{quote(settings['PASSWORD'])}" if settings.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    host = settings.get("HOST") or "localhost"
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{settings['NAME']}"


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"daphne stopped with {process.returncode}: {process.stderr.read()}")
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError as error:
            if getattr(error, "code", None) == 503:
                return  # up, though a check failed: the test will say what matters
            time.sleep(0.1)
    raise RuntimeError(f"daphne did not answer on {url} within {timeout} s")


def start_daphne(port: int, extra_env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start ``daphne workplace.asgi:application`` on the test database and wait until it answers.

    The caller stops it (or kills it, to test a crash)."""
    env = {**os.environ, "DATABASE_URL": test_database_url(), **(extra_env or {})}
    command = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port)]
    process = subprocess.Popen(
        [*command, "workplace.asgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    wait_until_up(f"http://127.0.0.1:{port}/healthz", process)
    return process


@contextmanager
def run_daphne(extra_env: dict[str, str] | None = None, port: int | None = None) -> Iterator[str]:
    """A daphne for the length of the block; yields its base URL."""
    port = port or free_port()
    process = start_daphne(port, extra_env)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            # A loaded CI machine's daphne can take its whole close timeout (10 s) to
            # see its last sockets out: the test is over, nothing waits for them.
            process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def log_in(page, base_url: str, username: str) -> None:
    """Log in through the real form in a Playwright page and wait for the start page.

    Whoever needs a second factor gives it like a person would: the code of their
    app, or, without one yet, the set-up page's secret typed into a "phone"."""
    from tests.factories import PASSWORD

    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_load_state()
    path = urlsplit(page.url).path
    if path == "/accounts/tweestaps/":
        page.fill("input[name=code]", off_loop(_code_of_the_app, username))
        page.click("main form button[type=submit]")
    elif path == "/profiel/tweestaps/instellen/":
        secret = page.text_content("[data-secret]").replace(" ", "")
        page.fill("input[name=code]", _code_for_secret(secret))
        page.click("main form button[type=submit]")
        page.click("main a.button-primary")  # past the recovery codes
    page.wait_for_url(f"{base_url}/")


def _code_of_the_app(username: str) -> str:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.auth import totp_code

    return totp_code(TOTPDevice.objects.get(user__username=username, confirmed=True))


def _code_for_secret(secret: str) -> str:
    import base64

    from django_otp.oath import totp

    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key):06d}"


def off_loop(function, *args, **kwargs):
    """Run ORM work in a thread of its own and return its result.

    Playwright's sync API keeps an event loop in the test thread, beside which
    Django refuses some synchronous work (``async_to_sync`` in signal receivers)."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    def run():
        try:
            return function(*args, **kwargs)
        finally:
            connections.close_all()  # or the test database cannot be dropped afterwards

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


@contextmanager
def run_production(
    extra_env: dict[str, str] | None = None, port: int | None = None, workers: int = 1
) -> Iterator[str]:
    """The production web shape (docs/deployment.md) for the length of the block: gunicorn
    with ``workers`` uvicorn processes on the test database; yields its base URL.

    More than one worker needs REDIS_URL in the environment (the settings refuse it
    otherwise). The master and its workers share a process group, stopped as one."""
    import signal
    from contextlib import suppress

    port = port or free_port()
    env = {
        **os.environ,
        "DATABASE_URL": test_database_url(),
        "WEB_WORKERS": str(workers),
        **(extra_env or {}),
    }
    command = [sys.executable, "-m", "gunicorn", "-c", "python:workplace.gunicorn_conf"]
    process = subprocess.Popen(
        [*command, "-b", f"127.0.0.1:{port}", "workplace.asgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", process, timeout=40)
        yield f"http://127.0.0.1:{port}"
    finally:
        # SIGINT: gunicorn's quick shutdown (SIGTERM would wait out open WebSockets).
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # a worker the master left behind
