"""Real time at city scale: one message to a large conversation, one announcement to all.

    .venv/bin/python bench/messaging_fanout.py --quick  # a minute, while developing
    .venv/bin/python bench/messaging_fanout.py          # 1,000 / 2,000 / 5,000; 8,000 open
    .venv/bin/python bench/messaging_fanout.py --redis redis://127.0.0.1:6379/2

On a throw-away SQLite database, with every bench employee's socket open (``--sockets``),
embedded (one daphne, the in-memory channel layer) or with ``--redis`` (channels-redis,
two daphne processes, the sockets split between them; the bench empties that database).

For each conversation size, rounds alternate between

- **group**: today's delivery, one event to the conversation's group (its members'
  sockets re-check the membership), and
- **member** (the baseline, interleaved): the delivery as it was, one layer send to
  each member's own group in slices of 25,

both from the same ``send_message`` action in the daphne process, started by a bench
trigger (``fanout_app.py``) the way a ``message.send`` frame would start it. Each round
measures, from the trigger to each member's socket, the latency of every member (p50,
p99), the last member, and the sockets that never got it (drops, 10 s). Then an
all-staff announcement (``notify`` to every bench employee, as ``campaigns`` publishes)
until the last socket has its ``notifications.unread``.

Every process it starts runs in a process group of its own and is stopped on the way
out, whatever happened.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DROP_AFTER = 10.0  # seconds: a socket without the frame by then counts as a drop


# --- setting up ---------------------------------------------------------------------


def setup_django(data_dir: str) -> None:
    os.environ["WERKPLEK_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workplace.settings")
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-not-for-production")
    os.environ.setdefault("DEBUG", "false")
    os.environ["HTTPS"] = "false"  # plain http on 127.0.0.1: the daphnes' cookie name too
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)  # the bench process itself needs no layer
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def session_cookie(person) -> str:
    """A logged-in session for ``person``, as the login form leaves it; its cookie."""
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils.module_loading import import_string

    from workplace import sessions

    # The first backend that can load a user (django-axes' comes first and cannot).
    backend = next(
        path
        for path in settings.AUTHENTICATION_BACKENDS
        if hasattr(import_string(path), "get_user")
    )
    session = SessionStore()
    session["_auth_user_id"] = str(person.pk)
    session["_auth_user_backend"] = backend
    session["_auth_user_hash"] = person.get_session_auth_hash()
    sessions.start(session)  # the idle and absolute clocks of a real login
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def make_people(count: int) -> tuple[list, list[str]]:
    """``count`` employees with a logged-in session each; returns them and their cookies."""
    from django.db import transaction

    from workplace.models import Employee

    Employee.objects.bulk_create(
        Employee(
            username=f"bench{n}",
            personnel_number=f"9{n:06d}",
            first_name="Bench",
            last_name=str(n),
            password="!",
        )
        for n in range(count)
    )
    people = list(Employee.objects.filter(username__startswith="bench").order_by("pk"))
    with transaction.atomic():
        cookies = [session_cookie(person) for person in people]
    return people, cookies


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def daphne(env: dict[str, str], app: str = "fanout_app:application", cwd: Path = ROOT / "bench"):
    """One daphne serving ``app`` in a process group of its own, stopped on the way out
    whatever happened; yields the process and its ``host:port``."""
    port = free_port()
    log = open(Path(tempfile.gettempdir()) / "werkplek-bench-daphne.log", "a")  # noqa: SIM115
    command = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), app]
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"daphne stopped with {process.returncode} (see {log.name})")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError as error:
                if getattr(error, "code", None):
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError("daphne did not answer within 60 s") from None
                time.sleep(0.2)
        yield process, f"127.0.0.1:{port}"
    finally:
        stop(process)
        log.close()


def stop(process: subprocess.Popen) -> None:
    """Stop a process started with ``start_new_session`` and all it started: TERM, then KILL."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
    except ProcessLookupError:
        pass


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


# --- the sockets ------------------------------------------------------------------------


class Arrivals:
    """Who of the expected sockets has a frame containing ``token``, and when."""

    def __init__(self) -> None:
        self.token: str | None = None
        self.expected: set[int] = set()
        self.seen: dict[int, float] = {}
        self.complete = asyncio.Event()

    def expect(self, token: str, sockets: range) -> None:
        self.token, self.expected, self.seen = token, set(sockets), {}
        self.complete.clear()

    def arrived(self, index: int, text: str) -> None:
        token = self.token
        if token is None or token not in text or index not in self.expected:
            return
        self.seen.setdefault(index, time.perf_counter())
        if len(self.seen) == len(self.expected):
            self.complete.set()


async def read(index: int, socket, arrivals: Arrivals) -> None:
    try:
        async for text in socket:
            arrivals.arrived(index, text)
    except Exception:  # closed at the end, or dropped: a drop shows in the counts
        return


async def open_sockets(hosts: list[str], cookies: list[str], arrivals: Arrivals):
    from websockets.asyncio.client import connect

    sockets, readers = [], []
    for start_at in range(0, len(cookies), 50):  # 50 at a time: a login burst, not a DoS
        batch = range(start_at, min(len(cookies), start_at + 50))
        opened = await asyncio.gather(
            *(
                connect(
                    f"ws://{hosts[i % len(hosts)]}/ws/",
                    additional_headers={
                        "Cookie": cookies[i],
                        "Origin": f"http://{hosts[i % len(hosts)]}",
                    },
                    open_timeout=60,
                    ping_interval=None,
                    max_queue=None,
                )
                for i in batch
            )
        )
        for i, socket in zip(batch, opened, strict=True):
            sockets.append(socket)
            readers.append(asyncio.create_task(read(i, socket, arrivals)))
    return sockets, readers


def post(host: str, path: str) -> dict:
    request = urllib.request.Request(f"http://{host}{path}", method="POST", data=b"")
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())


async def one_round(arrivals: Arrivals, host: str, path: str, token: str, members: int) -> dict:
    arrivals.expect(token, range(members))
    started = time.perf_counter()
    answer = await asyncio.to_thread(post, host, path)
    with suppress(TimeoutError):
        await asyncio.wait_for(arrivals.complete.wait(), DROP_AFTER)
    latencies = [(seen - started) * 1000 for seen in arrivals.seen.values()]
    arrivals.token = None
    return {
        "latencies": latencies,
        "last": max(latencies, default=float("nan")),
        "drops": members - len(latencies),
        "answer": answer,
    }


# --- the run ------------------------------------------------------------------------------


async def measure(hosts, cookies, groups, args) -> dict:
    arrivals = Arrivals()
    sockets, readers = await open_sockets(hosts, cookies, arrivals)
    results: dict = {"fan": {}, "announce": []}
    try:
        await asyncio.sleep(1)
        for size, conversation in groups:
            paths = {"group": [], "member": []}
            for n in range(args.rounds):
                # Interleaved: the baseline runs beside today's path, round by round.
                for path in ("group", "member") if n % 2 == 0 else ("member", "group"):
                    token = f"fan-{size}-{path}-{n}"
                    query = f"/__bench__/send?conversation={conversation}&body={token}&path={path}"
                    paths[path].append(await one_round(arrivals, hosts[0], query, token, size))
                    await asyncio.sleep(0.3)
            results["fan"][size] = paths
        for n in range(1, args.announcements + 1):
            token = f'"unread": {n}}}'
            query = f"/__bench__/announce?title=Aan+iedereen+{n}"
            results["announce"].append(
                await one_round(arrivals, hosts[0], query, token, len(cookies))
            )
            await asyncio.sleep(0.5)
    finally:
        for socket in sockets:
            await socket.close()
        for reader in readers:
            reader.cancel()
    return results


def summary(rounds: list[dict]) -> dict:
    latencies = [ms for r in rounds for ms in r["latencies"]]
    return {
        "p50": statistics.median(latencies) if latencies else float("nan"),
        "p99": percentile(latencies, 0.99),
        "last": statistics.median(r["last"] for r in rounds),
        "worst": max(r["last"] for r in rounds),
        "drops": sum(r["drops"] for r in rounds),
        "ack": statistics.median(r["answer"]["sent_ms"] for r in rounds),
    }


def main() -> None:
    # A timeout's SIGTERM unwinds like an error, so that every finally stops its daphne.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200/500 members, 600 sockets")
    parser.add_argument("--sizes", default="", help="conversation sizes, e.g. 1000,2000,5000")
    parser.add_argument("--sockets", type=int, default=0, help="open sockets (all employees)")
    parser.add_argument("--rounds", type=int, default=0, help="rounds per size and path")
    parser.add_argument("--announcements", type=int, default=3)
    parser.add_argument("--redis", default="", help="a spare Redis database: emptied first")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s] or (
        [200, 500] if args.quick else [1000, 2000, 5000]
    )
    args.sockets = max(args.sockets or (600 if args.quick else 8000), max(sizes))
    args.rounds = args.rounds or (4 if args.quick else 10)

    data_dir = tempfile.mkdtemp(prefix="werkplek-bench-fanout-")
    setup_django(data_dir)
    from messaging import actions

    people, cookies = make_people(args.sockets)
    groups = [
        (size, actions.create_group(people[0], f"Groep van {size}", people[1:size]).pk)
        for size in sizes
    ]
    env = {
        "WERKPLEK_DATA_DIR": data_dir,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "DATABASE_CONN_MAX_AGE": "60",
        "HTTPS": "false",  # plain http on 127.0.0.1: no redirect to https
        # The bench's announcements reach sockets; their e-mail and push wait in the queue.
        "HUEY_IMMEDIATE": "false",
    }
    processes = 1
    if args.redis:
        import redis

        # Channels left in groups by earlier runs would fill up and eat messages.
        redis.Redis.from_url(args.redis).flushdb()
        env["REDIS_URL"] = args.redis
        processes = 2

    with ExitStack() as stack:
        started = [stack.enter_context(daphne(env)) for _ in range(processes)]
        hosts = [host for _process, host in started]
        before = sum(rss_mib(process.pid) for process, _host in started)
        results = asyncio.run(measure(hosts, cookies, groups, args))
        after = sum(rss_mib(process.pid) for process, _host in started)

    layer = "Redis, 2 daphne" if args.redis else "in-memory, 1 daphne"
    print(
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {os.cpu_count()} cores; "
        "load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; SQLite; {layer}; "
        f"{args.sockets} sockets open; RSS after the run {after:.0f} MiB (at start {before:.0f})"
    )
    print(
        "| members | path | p50 ms | p99 ms | last member, median ms | worst ms | drops "
        "| action until handed to the layer (the ack), median ms | rounds |"
    )
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size, paths in results["fan"].items():
        for path, rounds in paths.items():
            s = summary(rounds)
            name = "group (today)" if path == "group" else "per member (baseline)"
            print(
                f"| {size} | {name} | {s['p50']:.0f} | {s['p99']:.0f} | {s['last']:.0f} "
                f"| {s['worst']:.0f} | {s['drops']} | {s['ack']:.0f} | {len(rounds)} |"
            )
    if results["announce"]:
        s = summary(results["announce"])
        commits = [r["answer"]["commit_ms"] for r in results["announce"]]
        after_commit = [r["last"] - r["answer"]["commit_ms"] for r in results["announce"]]
        print(
            f"announcement to {args.sockets} sockets: last socket median {s['last']:.0f} ms, "
            f"worst {s['worst']:.0f} ms, p99 {s['p99']:.0f} ms, drops {s['drops']} "
            f"(of which writing {args.sockets} notifications until commit: median "
            f"{statistics.median(commits):.0f} ms; from commit to the last socket: median "
            f"{statistics.median(after_commit):.0f} ms), {len(commits)} rounds"
        )


if __name__ == "__main__":
    main()
