"""Messaging over real daphne processes: sockets, round trips and fan-out.

    .venv/bin/python bench/messaging_realtime.py [--sockets 1000] [--group 500] [--redis URL]

Measures, in one run, on a throw-away SQLite database:

- memory per open, authenticated socket on one daphne process (1,000 sockets);
- the direct-message round trip (``message.send`` on Alice's socket until Bob's
  socket has ``message.new``), p50 and p99, beside a bare WebSocket echo served
  by the same daphne (the ratio is what Werkplek adds: auth, a transaction, the
  channel layer, a membership check per delivery);
- fan-out of one message to a 500-member group, each member with an open socket:
  the time until the last socket has it;

with the in-memory channel layer, and with Redis when ``--redis URL`` names a spare
database (the bench empties it first).
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
import uuid
from contextlib import ExitStack
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

# The daphnes, the Django set-up and the figures are the fan-out bench's.
from messaging_fanout import percentile, rss_mib, setup_django  # noqa: E402

# --- the baseline: a bare echo over the same server stack --------------------------


async def echo_application(scope, receive, send):
    """A WebSocket echo and nothing else (no auth, no database, no layer)."""
    if scope["type"] == "http":
        await receive()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})
        return
    if scope["type"] != "websocket":
        return
    while True:
        event = await receive()
        if event["type"] == "websocket.connect":
            await send({"type": "websocket.accept"})
        elif event["type"] == "websocket.receive":
            await send({"type": "websocket.send", "text": event.get("text")})
        else:
            return


# --- setting up ---------------------------------------------------------------------


def make_people(count: int) -> tuple[list, dict[int, str]]:
    """``count`` employees with a logged-in session each; returns them and their cookies."""
    from messaging_fanout import session_cookie

    from workplace.models import Employee

    Employee.objects.bulk_create(
        [
            Employee(
                username=f"bench{n}",
                personnel_number=f"9{n:06d}",
                first_name="Bench",
                last_name=str(n),
                password="!",
            )
            for n in range(count)
        ]
    )
    people = list(Employee.objects.filter(username__startswith="bench").order_by("pk"))
    cookies = {person.pk: session_cookie(person) for person in people}
    return people, cookies


def start(app: str, env: dict[str, str], cwd: Path, stack: ExitStack) -> tuple[Any, str]:
    """A daphne for the rest of ``stack``, in a process group stopped on the way out."""
    from messaging_fanout import daphne

    process, host = stack.enter_context(daphne(env, app, cwd))
    return process, f"ws://{host}/ws/"


# --- measuring ------------------------------------------------------------------------


async def open_sockets(url: str, cookies: list[str]) -> list:
    from websockets.asyncio.client import connect

    sockets = []
    origin = url.replace("ws://", "http://").removesuffix("/ws/")  # the page's own origin
    for start_at in range(0, len(cookies), 50):  # 50 at a time: a login burst, not a DoS
        batch = cookies[start_at : start_at + 50]
        sockets += await asyncio.gather(
            *(
                connect(
                    url,
                    additional_headers={"Cookie": c, "Origin": origin},
                    open_timeout=30,
                    max_queue=None,
                )
                for c in batch
            )
        )
    return sockets


async def next_of(socket, wanted: str) -> dict:
    while True:
        frame = json.loads(await socket.recv())
        if frame["type"] == wanted:
            return frame


async def memory_per_socket(process: subprocess.Popen, url: str, cookies: list[str]) -> dict:
    before = rss_mib(process.pid)
    sockets = await open_sockets(url, cookies)
    await asyncio.sleep(1)
    after = rss_mib(process.pid)
    for socket in sockets:
        await socket.close()
    return {
        "sockets": len(sockets),
        "rss_before": before,
        "rss_after": after,
        "kib_per_socket": (after - before) * 1024 / len(sockets),
    }


async def echo_round_trip(socket, n: int) -> float:
    started = time.perf_counter()
    await socket.send(json.dumps({"type": "message.send", "body": f"ping {n}"}))
    await socket.recv()
    return (time.perf_counter() - started) * 1000


async def direct_round_trips(
    url: str, echo_url: str, cookies: list[str], conversation: int, rounds: int
) -> tuple[list[float], list[float]]:
    """Direct-message round trips with the echo's interleaved: one of each, in turn."""
    from websockets.asyncio.client import connect

    alice, bob = await open_sockets(url, cookies)
    echo = await connect(echo_url)
    times, echo_times = [], []
    for n in range(rounds):
        if n % 2:
            echo_times.append(await echo_round_trip(echo, n))
        started = time.perf_counter()
        await alice.send(
            json.dumps(
                {
                    "type": "message.send",
                    "conversation": conversation,
                    "body": f"Rondje {n}",
                    "client_id": str(uuid.uuid4()),
                }
            )
        )
        await next_of(bob, "message.new")
        times.append((time.perf_counter() - started) * 1000)
        await next_of(alice, "message.ack")
        if not n % 2:
            echo_times.append(await echo_round_trip(echo, n))
        await asyncio.sleep(0.35)  # stay under the per-socket rate limit (3 frames/s)
    await alice.close()
    await bob.close()
    await echo.close()
    return times, echo_times


async def fan_out(url: str, cookies: list[str], conversation: int, rounds: int) -> list[float]:
    sockets = await open_sockets(url, cookies)
    sender, members = sockets[0], sockets[1:]
    times = []
    for n in range(rounds):
        started = time.perf_counter()
        await sender.send(
            json.dumps(
                {
                    "type": "message.send",
                    "conversation": conversation,
                    "body": f"Aan iedereen {n}",
                    "client_id": str(uuid.uuid4()),
                }
            )
        )
        await asyncio.gather(*(next_of(s, "message.new") for s in members))
        times.append((time.perf_counter() - started) * 1000)
        await asyncio.sleep(0.5)
    for socket in sockets:
        await socket.close()
    return times


def run_layer(name: str, env: dict[str, str], people, cookies, args, direct, group) -> dict:
    with ExitStack() as stack:
        echo, echo_url = start("messaging_realtime:echo_application", {}, ROOT / "bench", stack)
        process, url = start("workplace.asgi:application", env, ROOT, stack)
        echo_memory = asyncio.run(memory_per_socket(echo, echo_url, [""] * args.sockets))
        everyone = [cookies[p.pk] for p in people[: args.sockets]]
        memory = asyncio.run(memory_per_socket(process, url, everyone))
        pair = [cookies[people[0].pk], cookies[people[1].pk]]
        direct_ms, echo_ms = asyncio.run(
            direct_round_trips(url, echo_url, pair, direct.pk, args.rounds)
        )
        members = [cookies[p.pk] for p in people[: args.group]]
        fan_ms = asyncio.run(fan_out(url, members, group.pk, args.fanouts))
    return {
        "layer": name,
        "memory": memory,
        "echo_memory": echo_memory,
        "direct": direct_ms,
        "echo": echo_ms,
        "fan": fan_ms,
    }


def main() -> None:
    # A timeout's SIGTERM unwinds like an error, so that every finally stops its daphne.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sockets", type=int, default=1000)
    parser.add_argument("--group", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--fanouts", type=int, default=10)
    parser.add_argument(
        "--redis", default="", help="a spare Redis database: the bench empties it first"
    )
    parser.add_argument("--only-redis", action="store_true")
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="werkplek-bench-")
    setup_django(data_dir)
    from messaging import actions

    people, cookies = make_people(max(args.sockets, args.group))
    direct, _ = actions.get_or_create_direct(people[0], people[1])
    group = actions.create_group(people[0], "Iedereen", people[1 : args.group])
    env = {
        "WERKPLEK_DATA_DIR": data_dir,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "DATABASE_CONN_MAX_AGE": os.environ.get("DATABASE_CONN_MAX_AGE", "60"),
    }
    env.pop("REDIS_URL", None)
    os.environ.pop("REDIS_URL", None)

    print(
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {os.cpu_count()} cores; "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; SQLite; the echo "
        "baseline's round trips interleaved with the direct messages'"
    )
    print(
        "| layer | KiB per socket (echo) | RSS with sockets MiB | DM p50 ms | DM p99 ms "
        "| echo p50 ms | echo p99 ms | x echo p50 | fan-out to the last member, median ms "
        "| max ms |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |", flush=True)
    layers = [] if args.only_redis else [("in-memory", env)]
    if args.redis:
        import redis

        # Channels left in groups by earlier runs would fill up and eat messages.
        redis.Redis.from_url(args.redis).flushdb()
        layers.append(("Redis", {**env, "REDIS_URL": args.redis}))
    for name, layer_env in layers:
        result = run_layer(name, layer_env, people, cookies, args, direct, group)
        direct_p50 = statistics.median(result["direct"])
        echo_p50 = statistics.median(result["echo"])
        print(
            f"| {result['layer']} | {result['memory']['kib_per_socket']:.1f} "
            f"({result['echo_memory']['kib_per_socket']:.1f}) "
            f"| {result['memory']['rss_after']:.0f} "
            f"| {direct_p50:.2f} | {percentile(result['direct'], 0.99):.2f} "
            f"| {echo_p50:.2f} | {percentile(result['echo'], 0.99):.2f} "
            f"| {direct_p50 / echo_p50:.1f} "
            f"| {statistics.median(result['fan']):.0f} | {max(result['fan']):.0f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
