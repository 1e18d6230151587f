"""The composite soak: N employees at once, in steps, until the latency gives way.

    .venv/bin/python bench/soak.py [--scaled] [--steps 10,25,50,100,250,500,1000,1500]
                                   [--step-seconds 60] [--quick] [--all-steps]

Each simulated employee is logged in (a session of their own, made in the bench
database), keeps the WebSocket open as the app's pages do, and in the steady state
opens a page every 30 s in turn (start page, stream, KUS list, a directive, the search
page), asks the as-you-type search once a minute, sends a chat message to a colleague
once a minute (``message.send`` until its ``message.ack``), and acknowledges a directive
once per step ("gelezen en begrepen", a POST with the CSRF token). Everyone's clock
starts at a random moment, so the load is even. Steps of N run ``--step-seconds`` each
after a short settling time; the people of a step stay for the next, which adds more.
Per step: operations, p50/p99 latency, errors (a status other than expected, a refused
frame, a timeout of 10 s, a socket that closed). The largest N whose p99 stays within
500 ms and errors within 0.025 % is the answer; the run stops after the first step that
misses (``--all-steps`` goes on).

Embedded (default): gunicorn with one uvicorn process on SQLite with the in-memory
channel layer, and the job worker beside it, as ``make run``. ``--scaled``: one web
process per core on PostgreSQL and Redis (bench/served.py names the databases, which
the bench empties). Loopback only; the client shares the machine's cores.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import string
import time
import uuid

from served import (
    Connection,
    Processes,
    Shape,
    load_average,
    machine,
    make_site,
    percentile,
    start_server,
    today,
)

P99_LIMIT_MS = 500.0
ERROR_LIMIT = 0.00025
TIMEOUT = 10.0
WORDS = ["afval", "verlof", "veiligheid", "groendienst", "planning", "werkkledij"]


class Step:
    def __init__(self, people: int) -> None:
        self.people = people
        self.measuring = False
        self.latencies: list[float] = []
        self.errors = 0
        self.kinds: dict[str, int] = {}
        self.failed: dict[str, int] = {}

    def record(self, kind: str, started: float, ok: bool) -> None:
        if not self.measuring:
            return
        self.kinds[kind] = self.kinds.get(kind, 0) + 1
        self.latencies.append((time.perf_counter() - started) * 1000)
        if not ok:
            self.errors += 1
            self.failed[kind] = self.failed.get(kind, 0) + 1


class Employee:
    def __init__(self, index: int, port: int, site_data: dict, rng: random.Random) -> None:
        self.index = index
        self.port = port
        csrf = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(32))
        self.csrf = csrf
        cookie = f"{site_data['cookies'][index]}; csrftoken={csrf}"
        self.cookie = cookie
        self.http = Connection(port, cookie)
        self.conversation = site_data["conversations"][index]
        self.directive = site_data["directive"]
        self.version = site_data["version"]
        self.pages = ["/", "/stroom/", "/kus/"]
        if self.directive:
            self.pages.append(f"/kus/{self.directive}/")
        self.pages.append("/zoeken/?q=" + rng.choice(WORDS))
        self.rng = rng
        self.socket = None
        self.pending: dict[str, asyncio.Future] = {}
        self.acknowledged_in: Step | None = None

    async def connect(self, step_of) -> None:
        from websockets.asyncio.client import connect

        origin = f"http://127.0.0.1:{self.port}"
        self.socket = await connect(
            f"ws://127.0.0.1:{self.port}/ws/",
            additional_headers={"Cookie": self.cookie, "Origin": origin},
            open_timeout=30,
            max_queue=None,
        )
        self.reader = asyncio.create_task(self.read(step_of))

    async def read(self, step_of) -> None:
        try:
            async for raw in self.socket:
                frame = json.loads(raw)
                client_id = frame.get("client_id")
                if frame.get("type") in ("message.ack", "error") and client_id in self.pending:
                    future = self.pending.pop(client_id)
                    if not future.done():
                        future.set_result(frame["type"] == "message.ack")
        except Exception:
            pass
        # A socket that closed while the bench runs is an error, as a user would notice.
        step = step_of()
        if step is not None:
            step.record("socket closed", time.perf_counter(), ok=False)
        for future in self.pending.values():
            if not future.done():
                future.set_result(False)

    async def page(self, step: Step, path: str, kind: str) -> None:
        started = time.perf_counter()
        try:
            status, _ = await asyncio.wait_for(self.http.request(path), TIMEOUT)
            ok = status == 200
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
            self.http.close()
            ok = False
        step.record(kind, started, ok)

    async def acknowledge(self, step: Step) -> None:
        started = time.perf_counter()
        body = f"version={self.version}".encode()
        headers = (
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"X-CSRFToken: {self.csrf}\r\nOrigin: http://127.0.0.1:{self.port}\r\n"
        )
        try:
            status, _ = await asyncio.wait_for(
                self.http.request(
                    f"/kus/{self.directive}/gelezen/", "POST", body=body, headers=headers
                ),
                TIMEOUT,
            )
            ok = status in (200, 302)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
            self.http.close()
            ok = False
        step.record("acknowledge", started, ok)

    async def chat(self, step: Step) -> None:
        client_id = str(uuid.uuid4())
        future = asyncio.get_running_loop().create_future()
        self.pending[client_id] = future
        started = time.perf_counter()
        frame = {
            "type": "message.send",
            "conversation": self.conversation,
            "body": f"Even afstemmen over de planning ({self.index})",
            "client_id": client_id,
        }
        try:
            await self.socket.send(json.dumps(frame))
            ok = await asyncio.wait_for(future, TIMEOUT)
        except Exception:
            ok = False
        self.pending.pop(client_id, None)
        step.record("chat", started, ok)

    async def live(self, step_of) -> None:
        """Every 30 s a page, every 60 s a search suggestion and a chat message, and one
        acknowledgement per step, each clock starting at a random moment."""
        now = time.perf_counter()
        next_page = now + self.rng.uniform(0, 30)
        next_chat = now + self.rng.uniform(0, 60)
        next_suggest = now + self.rng.uniform(0, 60)
        next_ack = float("inf")
        turn = self.rng.randrange(len(self.pages))
        while True:
            step = step_of()
            if step is None:
                return
            if self.directive and self.acknowledged_in is not step and step.measuring:
                self.acknowledged_in = step
                # Somewhere within the step's first 20 s: not all at its start.
                next_ack = time.perf_counter() + self.rng.uniform(0, 20)
            wake = min(next_page, next_chat, next_suggest, next_ack)
            # Wake at least each second, to see a new step begin.
            await asyncio.sleep(max(0.0, min(1.0, wake - time.perf_counter())))
            now = time.perf_counter()
            if now >= next_ack:
                next_ack = float("inf")
                await self.acknowledge(step)
            if now >= next_page:
                path = self.pages[turn % len(self.pages)]
                turn += 1
                await self.page(step, path, "page")
                next_page += 30
            if now >= next_suggest:
                word = self.rng.choice(WORDS)[:4]
                await self.page(step, f"/api/v1/search/suggest?q={word}", "suggest")
                next_suggest += 60
            if now >= next_chat:
                await self.chat(step)
                next_chat += 60


async def soak(port: int, site_data: dict, steps: list[int], seconds: float, all_steps: bool):
    rng = random.Random(15)
    people: list[Employee] = []
    tasks: list[asyncio.Task] = []
    current: list[Step | None] = [None]

    def step_of() -> Step | None:
        return current[0]

    results = []
    try:
        for size in steps:
            step = Step(size)
            current[0] = step
            opened = time.perf_counter()
            connect_errors = 0
            while len(people) < size:
                batch = []
                for _ in range(min(50, size - len(people))):  # a login burst, not a flood
                    employee = Employee(len(people), port, site_data, random.Random(rng.random()))
                    people.append(employee)
                    batch.append(employee)
                outcomes = await asyncio.gather(
                    *(employee.connect(step_of) for employee in batch), return_exceptions=True
                )
                for employee, outcome in zip(batch, outcomes, strict=True):
                    if isinstance(outcome, BaseException):
                        connect_errors += 1
                    else:
                        tasks.append(asyncio.create_task(employee.live(step_of)))
            opening = time.perf_counter() - opened
            await asyncio.sleep(min(10.0, seconds / 4))  # the newcomers' first pages settle
            step.measuring = True
            await asyncio.sleep(seconds)
            step.measuring = False
            operations = len(step.latencies)
            errors = step.errors + connect_errors
            rate = errors / max(1, operations + connect_errors)
            p99 = percentile(step.latencies, 0.99)
            holds = p99 <= P99_LIMIT_MS and rate <= ERROR_LIMIT
            results.append(
                {
                    "people": size,
                    "operations": operations,
                    "per_second": operations / seconds,
                    "p50": statistics.median(step.latencies) if step.latencies else float("nan"),
                    "p99": p99,
                    "errors": errors,
                    "rate": rate,
                    "holds": holds,
                    "opening": opening,
                    "kinds": dict(step.kinds),
                    "failed": dict(step.failed),
                    "load": os.getloadavg()[0],
                }
            )
            row = results[-1]
            print(
                f"N={size}: {operations} operations ({row['per_second']:.1f}/s),"
                f" p50 {row['p50']:.0f} ms, p99 {p99:.0f} ms, {errors} errors ({rate:.3%}),"
                f" sockets opened in {opening:.1f} s — {'holds' if holds else 'misses'};"
                f" operations {step.kinds}, failed {step.failed}",
                flush=True,
            )
            if not holds and not all_steps:
                break
    finally:
        current[0] = None
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for employee in people:
            employee.http.close()
            if employee.socket is not None:
                await employee.socket.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--scaled", action="store_true", help="PostgreSQL, Redis, a process per core"
    )
    parser.add_argument("--steps", default="10,25,50,100,250,500,1000,1500")
    parser.add_argument("--step-seconds", type=float, default=60.0)
    parser.add_argument("--quick", action="store_true", help="steps 20,50 of 15 s")
    parser.add_argument("--all-steps", action="store_true", help="go on after a miss")
    options = parser.parse_args()
    steps = [int(n) for n in options.steps.split(",")]
    seconds = options.step_seconds
    if options.quick:
        steps, seconds = [20, 50], 15.0
    cores = os.cpu_count() or 1
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    if options.scaled:
        shape = Shape(f"gunicorn+uvicorn, {cores} processes", "gunicorn", cores, job_worker=True)
    else:
        shape = Shape("gunicorn+uvicorn, 1 process", "gunicorn", 1, job_worker=True)
    with Processes() as processes:
        site = make_site(scaled=options.scaled, people=max(steps))
        port = start_server(processes, site, shape)
        load_before = load_average()  # once prepared: the load the steps start under
        results = asyncio.run(soak(port, site.data, steps, seconds, options.all_steps))
    holding = [row["people"] for row in results if row["holds"]]
    best = max(holding) if holding else 0
    lines = [
        "| N | operations | per s | p50 ms | p99 ms | errors | error rate | failed | holds"
        " | load |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: |",
    ]
    for row in results:
        failed = ", ".join(f"{kind} {count}" for kind, count in row["failed"].items()) or "\u2013"
        lines.append(
            f"| {row['people']} | {row['operations']} | {row['per_second']:.1f} |"
            f" {row['p50']:.0f} | {row['p99']:.0f} | {row['errors']} | {row['rate']:.3%} |"
            f" {failed} | {'yes' if row['holds'] else 'no'} | {row['load']:.1f} |"
        )
    name = "soak-scaled" if options.scaled else "soak"
    flags = (" --scaled" if options.scaled else "") + (" --all-steps" if options.all_steps else "")
    section = [
        f"<!-- bench:{name} -->",
        f"**{shape.label}, {site.label}**, with the job worker. Measured {today()} on"
        f" {machine()}; load average {load_before} as the steps began,"
        f" {load_average()} after (shared with other work; `load` is the 1-minute average"
        f" at the end of each step). Steps of {seconds:.0f} s after a settling time;"
        " the client (one asyncio process: every socket, every page) runs on the same"
        " cores as the servers.",
        "",
        *lines,
        "",
        f"Largest N holding p99 ≤ {P99_LIMIT_MS:.0f} ms and errors ≤ {ERROR_LIMIT:.3%}:"
        f" **{best if best else 'none of the steps'}**"
        + ("" if holding else " (the smallest step already missed)")
        + ".",
        "",
        f"Reproduce: `.venv/bin/python bench/soak.py{flags} --steps"
        f" {','.join(map(str, steps))} --step-seconds {seconds:g}`.",
        f"<!-- /bench:{name} -->",
    ]
    print()
    print("\n".join(section))


if __name__ == "__main__":
    main()
