"""From posting to live delivery on 1,000 open home streams, over a real daphne.

    .venv/bin/python bench/streams_live.py [--sockets 1000] [--posts 10] [--redis URL]

A throw-away SQLite database with 300 employees in 10 departments, each
following 200 sources (150 colleagues, 50 topics). 1,000 WebSockets (about
three per employee: phone, desktop, terminal) open ``/ws/`` and subscribe to
their home stream. Then one employee posts through the API, and the bench
measures the time from sending the POST until each socket has the
``stream.activity`` event: an all-staff post (no database work per socket)
and a department post (every socket that hears it re-checks visibility in
the database; those of other departments that follow the author must not
get it). The baseline is the same POST with no socket open.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from messaging_fanout import daphne, session_cookie  # noqa: E402


def setup_django(data_dir: str) -> None:
    os.environ["WERKPLEK_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workplace.settings")
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-not-for-production")
    os.environ.setdefault("DEBUG", "false")
    os.environ["HTTPS"] = "false"  # plain http on 127.0.0.1: the daphne's cookie name too
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(sockets: int):
    import random

    from streams.models import Follow, FollowKind, Topic
    from workplace.api import issue_token
    from workplace.models import Department, Employee

    rng = random.Random(2026)
    departments = [Department.objects.create(code=f"B{n}", name=f"Dienst {n}") for n in range(10)]
    Employee.objects.bulk_create(
        Employee(
            username=f"bench{n}",
            personnel_number=f"9{n:06d}",
            first_name="Bench",
            last_name=str(n),
            password="!",
            department=departments[n % 10],
        )
        for n in range(300)
    )
    people = list(Employee.objects.order_by("pk"))
    for person in people:  # bulk_create skips save(): sync the department groups here
        from workplace.groups import sync_department_groups

        sync_department_groups(person)
    topics = Topic.objects.bulk_create(Topic(name=f"onderwerp{n}") for n in range(50))
    Follow.objects.bulk_create(
        [
            Follow(follower=p, kind=FollowKind.EMPLOYEE, target_id=o.pk)
            for p in people
            for o in rng.sample([x for x in people if x != p], 150)
        ]
        + [
            Follow(follower=p, kind=FollowKind.TOPIC, target_id=t.pk)
            for p in people
            for t in topics
        ]
    )
    cookies = []
    for number in range(sockets):
        person = people[number % len(people)]
        cookies.append((person, session_cookie(person)))
    # Posting is rate-limited per employee: the rounds take turns among the
    # 30 employees of the first department.
    tokens = [issue_token(p, "bench") for p in people if p.department_id == departments[0].pk]
    return people, departments, cookies, tokens


def post(host: str, token: str, body: dict) -> tuple[float, int]:
    """Send the POST; return when it was sent and the id of the activity it made."""
    request = urllib.request.Request(
        f"http://{host}/api/v1/streams/posts/",
        data=json.dumps(body).encode(),
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Host": "localhost",
            "X-Forwarded-Proto": "https",  # as behind the TLS proxy: no redirect to https
        },
        method="POST",
    )
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 201, response.status
        post_id = json.loads(response.read())["id"]
    from streams.models import Activity

    return start, Activity.objects.get(post_id=post_id, verb="posted").pk


async def open_streams(host: str, cookies: list[str]) -> list:
    from websockets.asyncio.client import connect

    async def one(cookie: str):
        socket = await connect(
            f"ws://{host}/ws/",
            additional_headers={"Cookie": cookie, "Origin": f"http://{host}"},
            open_timeout=60,
            max_queue=None,
        )
        await socket.send(json.dumps({"type": "streams.subscribe", "stream": "home"}))
        while json.loads(await socket.recv())["type"] != "streams.subscribed":
            pass
        return socket

    sockets = []
    for start_at in range(0, len(cookies), 50):
        sockets += await asyncio.gather(*(one(c) for c in cookies[start_at : start_at + 50]))
    return sockets


async def deliveries(sockets: list, host: str, token: str, body: dict, wait: float) -> dict:
    """Milliseconds from the POST to each socket's ``stream.activity`` for that post."""
    arrived: dict[int, list[tuple[int, float]]] = {}

    async def listen(index: int, socket) -> None:
        try:
            while True:
                frame = json.loads(await asyncio.wait_for(socket.recv(), timeout=wait))
                if frame["type"] == "stream.activity":
                    arrived.setdefault(index, []).append(
                        (frame["activity_id"], time.perf_counter())
                    )
        except TimeoutError:
            return

    listeners = [asyncio.create_task(listen(i, s)) for i, s in enumerate(sockets)]
    await asyncio.sleep(0.2)
    sent, activity_id = await asyncio.to_thread(post, host, token, body)
    await asyncio.gather(*listeners)
    # Only this round's activity counts (a late one of the round before is not a leak).
    return {
        index: (min(at for pk, at in frames if pk == activity_id) - sent) * 1000
        for index, frames in arrived.items()
        if any(pk == activity_id for pk, _at in frames)
    }


def run(layer: str, env: dict[str, str], people, departments, cookies, tokens, posts: int) -> dict:
    # A daphne in a process group of its own, stopped on the way out even when a round
    # fails or times out (one was left running once).
    with daphne(env, "workplace.asgi:application", ROOT) as (_process, host):
        baseline = []
        for number in range(posts + 2):  # the first two warm the process up
            sent, _activity = post(
                host, tokens[number % len(tokens)], {"body": f"Zonder luisteraars {number}"}
            )
            baseline.append((time.perf_counter() - sent) * 1000)
        baseline = baseline[2:]
        everyone, department = [], []
        wrong = 0
        same_department = {
            i for i, (person, _c) in enumerate(cookies) if person.department_id == departments[0].pk
        }

        async def rounds() -> None:
            nonlocal wrong
            sockets = await open_streams(host, [cookie for _person, cookie in cookies])
            print(f"{layer}: {len(sockets)} sockets subscribed")
            for number in range(posts):
                token = tokens[(2 * number + 1) % len(tokens)]
                got = await deliveries(
                    sockets, host, token, {"body": f"Voor iedereen {number}"}, wait=5
                )
                everyone.append(got)
                got = await deliveries(
                    sockets,
                    host,
                    tokens[(2 * number + 2) % len(tokens)],
                    {"body": f"Voor de dienst {number}", "audience": f"dept:{departments[0].pk}"},
                    wait=5,
                )
                department.append(got)
                wrong += len(set(got) - same_department)
            for socket in sockets:
                await socket.close()

        asyncio.run(rounds())
    return {
        "layer": layer,
        "baseline": baseline,
        "everyone": everyone,
        "department": department,
        "department_size": len(same_department),
        "wrong": wrong,
    }


def summary(rounds: list[dict], expected: int) -> str:
    lasts = [max(r.values()) for r in rounds if r]
    medians = [statistics.median(r.values()) for r in rounds if r]
    complete = sum(1 for r in rounds if len(r) == expected)
    return (
        f"{statistics.median(medians):.0f} | {statistics.median(lasts):.0f} | "
        f"{max(lasts):.0f} | {complete}/{len(rounds)}"
    )


def main() -> None:
    # A timeout's SIGTERM unwinds like an error, so that every finally stops its daphne.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sockets", type=int, default=1000)
    parser.add_argument("--posts", type=int, default=10)
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL", ""))
    parser.add_argument("--redis-only", action="store_true")
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="werkplek-bench-")
    setup_django(data_dir)
    people, departments, cookies, tokens = build(args.sockets)
    env = {
        "WERKPLEK_DATA_DIR": data_dir,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "DATABASE_CONN_MAX_AGE": "60",
    }
    results = []
    if not args.redis_only:
        results.append(run("in-memory", env, people, departments, cookies, tokens, args.posts))
    if args.redis:
        redis_env = {**env, "REDIS_URL": args.redis}
        results.append(run("Redis", redis_env, people, departments, cookies, tokens, args.posts))
    print(f"machine: {os.cpu_count()} cores; {time.strftime('%Y-%m-%d')}; SQLite")
    print(
        "| layer | POST alone p50 ms | all staff: median socket ms | last socket ms (median) "
        "| last socket ms (worst) | rounds complete | department: median | last (median) "
        "| last (worst) | complete | leaks |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for result in results:
        print(
            f"| {result['layer']} | {statistics.median(result['baseline']):.0f} "
            f"| {summary(result['everyone'], args.sockets)} "
            f"| {summary(result['department'], result['department_size'])} "
            f"| {result['wrong']} |"
        )


if __name__ == "__main__":
    main()
