"""Real servers for bench/serving.py and bench/soak.py, and a cheap keep-alive client.

A *site* is a prepared database: a throw-away data directory (SQLite, the Whoosh index,
the job queue) and, scaled, a fresh PostgreSQL database and an emptied Redis database.
The preparation runs in a process of its own (``served.py prepare``) on the same
environment as the servers, so the bench process itself never loads Django: its cores
go to the load it generates. Every process started here is in a process group of its
own and is stopped, with its children, however the bench ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import platform
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
# Scaled runs: a database the bench drops and creates, and a Redis database it empties.
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/werkplek_bench_serving"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3")
SESSION_COOKIE = "sessionid"  # HTTPS=false in the served settings


# --- machine and figures ------------------------------------------------------------


def machine() -> str:
    model = platform.processor() or platform.machine()
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} cores ({model}), Python {platform.python_version()}"


def load_average() -> str:
    return " / ".join(f"{value:.2f}" for value in os.getloadavg())


def today() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


# --- processes ------------------------------------------------------------------------


class Processes:
    """Every process a bench starts, each the leader of its own group."""

    def __init__(self) -> None:
        self.started: list[subprocess.Popen] = []
        self.log = Path(tempfile.gettempdir()) / "werkplek-bench-servers.log"

    def start(self, command: list[str], env: dict[str, str]) -> subprocess.Popen:
        with open(self.log, "a") as log:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=log,
                start_new_session=True,
            )
        self.started.append(process)
        return process

    def stop(self, process: subprocess.Popen) -> None:
        # SIGINT: gunicorn's quick shutdown, daphne's and huey's ordinary one.
        self._signal(process, signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._signal(process, signal.SIGKILL)
            process.wait()
        self._signal(process, signal.SIGKILL)  # a child the leader left behind
        if process in self.started:
            self.started.remove(process)

    def stop_all(self) -> None:
        for process in list(self.started):
            self.stop(process)

    @staticmethod
    def _signal(process: subprocess.Popen, number: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, number)

    def __enter__(self) -> Processes:
        # A SIGTERM (a CI timeout, kill) unwinds like ^C, so the finally blocks run.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        signal.signal(signal.SIGHUP, lambda *_: sys.exit(129))
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop_all()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped with {process.returncode}; see the log")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return
        except OSError as error:
            if getattr(error, "code", None) == 503:
                return
            time.sleep(0.2)
    raise RuntimeError(f"no answer on port {port} within {timeout} s")


# --- sites and server shapes ---------------------------------------------------------


@dataclass
class Site:
    """A prepared database with ``people`` logged-in employees (see ``prepare``)."""

    scaled: bool
    env: dict[str, str] = field(default_factory=dict)
    data: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return "PostgreSQL, Redis" if self.scaled else "SQLite, in-memory layer"


def make_site(scaled: bool, people: int) -> Site:
    data_dir = tempfile.mkdtemp(prefix="werkplek-bench-served-")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "SEARCH_URL", "WEB_WORKERS"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="served_settings",
        PYTHONPATH=f"{BENCH}{os.pathsep}{ROOT}",
        WERKPLEK_DATA_DIR=data_dir,
        DEBUG="false",
        HTTPS="false",
        SECRET_KEY="bench-secret-key-not-for-production",
        LOG_LEVEL="WARNING",
    )
    if scaled:
        fresh_postgres(POSTGRES_URL)
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()
        env.update(DATABASE_URL=POSTGRES_URL, REDIS_URL=REDIS_URL)
    out = Path(data_dir) / "site.json"
    subprocess.run(
        [sys.executable, str(BENCH / "served.py"), "prepare", str(out), str(people)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return Site(scaled=scaled, env=env, data=json.loads(out.read_text()))


def fresh_postgres(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


@dataclass
class Shape:
    label: str
    server: str  # "gunicorn" (production) or "daphne" (before)
    workers: int = 1
    job_worker: bool = False


def start_server(processes: Processes, site: Site, shape: Shape) -> int:
    """Start the shape's web processes (and its job worker) on ``site``; return the port."""
    port = free_port()
    env = {**site.env, "WEB_WORKERS": str(shape.workers)}
    if shape.server == "daphne":
        command = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port)]
    else:
        command = [sys.executable, "-m", "gunicorn", "-c", "python:workplace.gunicorn_conf"]
        command += ["-b", f"127.0.0.1:{port}"]
    process = processes.start([*command, "workplace.asgi:application"], env)
    if shape.job_worker:
        processes.start([sys.executable, "manage.py", "run_huey", "--quiet"], env)
    wait_until_up(port, process)
    return port


# --- the client ------------------------------------------------------------------------


class HttpError(Exception):
    pass


class Connection:
    """One keep-alive HTTP/1.1 connection, as a browser keeps one per tab."""

    _length = re.compile(rb"\r\ncontent-length:\s*(\d+)", re.IGNORECASE)

    def __init__(self, port: int, cookie: str) -> None:
        self.port = port
        self.cookie = cookie
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self, path: str, method: str = "GET", body: bytes = b"", headers: str = ""
    ) -> tuple[int, bytes]:
        reused = self.writer is not None
        try:
            return await self._request(path, method, body, headers)
        except (ConnectionError, asyncio.IncompleteReadError):
            self.close()
            if not reused:
                raise
            # The server closed the idle connection as we sent: a browser sends again.
            return await self._request(path, method, body, headers)

    async def _request(self, path: str, method: str, body: bytes, headers: str):
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nAccept-Language: nl\r\n"
            f"Cookie: {self.cookie}\r\n{headers}"
        )
        if method != "GET":
            head += f"Content-Length: {len(body)}\r\n"
        self.writer.write(head.encode() + b"\r\n" + body)
        response = await self.reader.readuntil(b"\r\n\r\n")
        status = int(response[9:12])
        lowered = response.lower()
        match = self._length.search(response)
        if match:
            content = await self.reader.readexactly(int(match[1]))
        elif b"transfer-encoding: chunked" in lowered:
            content = b""
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readuntil(b"\r\n")
                    break
                content += (await self.reader.readexactly(size + 2))[:-2]
        else:
            content = b""
        if b"\r\nconnection: close" in lowered:
            self.close()
        return status, content

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


# --- preparing a site (in its own process, with the site's environment) ---------------


def prepare(out: Path, people: int) -> None:
    """Migrate, seed the demo organisation and index it, add ``people`` employees in the
    demo's departments with a session each and a direct conversation in pairs, and
    write what the benches need to ``out``."""
    import io
    import random

    sys.path[:0] = [str(BENCH), str(ROOT)]
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.test import Client

    from messaging import actions
    from workplace import sessions
    from workplace.groups import sync_department_groups
    from workplace.models import Department, Employee

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=io.StringIO())
    call_command("search_check", "--fix", stdout=io.StringIO())
    departments = list(Department.objects.all())
    rng = random.Random(15)
    Employee.objects.bulk_create(
        [
            Employee(
                username=f"soak{n}",
                personnel_number=f"8{n:06d}",
                first_name="Soak",
                last_name=f"Medewerker {n}",
                department=rng.choice(departments),
                is_field_worker=rng.random() < 0.33,
                job_title=rng.choice(["Tuinier", "Veger", "Administratief medewerker"]),
                password="!",
            )
            for n in range(people)
        ],
        batch_size=1000,
    )
    staff = list(Employee.objects.filter(username__startswith="soak").select_related("department"))
    staff.sort(key=lambda person: int(person.username[4:]))
    for person in staff:
        sync_department_groups(person)  # what the staff import does for each new person

    def cookie(person: Employee) -> str:
        session = SessionStore()
        session[SESSION_KEY] = str(person.pk)
        session[BACKEND_SESSION_KEY] = "workplace.backends.UsernameOrPersonnelNumberBackend"
        session[HASH_SESSION_KEY] = person.get_session_auth_hash()
        sessions.start(session)
        session.create()
        return f"{SESSION_COOKIE}={session.session_key}"

    cookies = [cookie(person) for person in staff]
    partners = []
    for first, second in zip(staff[0::2], staff[1::2], strict=False):
        conversation, _ = actions.get_or_create_direct(first, second)
        partners += [conversation.pk, conversation.pk]
    office = cookie(Employee.objects.get(username="kantoor"))

    # What a soak employee reads and acknowledges: a directive their KUS list shows.
    client = Client(HTTP_HOST="127.0.0.1")
    directive, version = "", ""
    if cookies:
        client.cookies[SESSION_COOKIE] = cookies[0].split("=", 1)[1]
        listing = client.get("/kus/").content.decode()
        for number in re.findall(r'href="/kus/([A-Za-z0-9.-]+)/"', listing):
            page = client.get(f"/kus/{number}/").content.decode()
            found = re.search(r'name="version" value="(\d+)"', page)
            if found:
                directive, version = number, found[1]
                break
        for path in ("/", "/stroom/", "/kus/", "/zoeken/?q=afval"):
            status = client.get(path).status_code
            assert status == 200, (path, status)
    client.cookies[SESSION_COOKIE] = office.split("=", 1)[1]
    assert client.get("/").status_code == 200, "kantoor's start page"
    out.write_text(
        json.dumps(
            {
                "cookies": cookies,
                "conversations": partners,
                "office": office,
                "directive": directive,
                "version": version,
            }
        )
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["prepare"]:
        prepare(Path(sys.argv[2]), int(sys.argv[3]))
