"""Serving: 20 concurrent keep-alive clients against the real servers.

    .venv/bin/python bench/serving.py [--seconds 5] [--rounds 3] [--clients 20] [--embedded-only]

Starts the web processes as production does (gunicorn with uvicorn workers,
workplace/gunicorn_conf.py) and, for the figures from before, daphne as ``make run``
started it; then, interleaved round after round, drives each with ``--clients``
keep-alive connections that each ask for the next page as soon as the last arrived:
the start page of a logged-in office worker (``kantoor``) and the bare Django view of
bench/common.py behind the same middleware, same cookie (the baseline). Prints pages/s,
p50/p99 latency and errors per server and page, the start page's throughput as a share
of the bare view's on the same server, and a markdown section for docs/performance.md.

Servers: embedded (SQLite, in-memory layer: one process, the only shape it allows),
daphne there for comparison, and scaled (PostgreSQL and Redis, see served.py for the
databases it uses) with one process and with one per core.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from collections import defaultdict

from common import BARE_URL
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

PAGES = [("bare Django view (baseline)", BARE_URL), ("start page", "/")]


async def drive(port: int, cookie: str, path: str, clients: int, seconds: float):
    """``clients`` connections asking for ``path`` back to back for ``seconds``."""
    connections = [Connection(port, cookie) for _ in range(clients)]
    await asyncio.gather(*(connection.request(path) for connection in connections))  # warm
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def client(connection: Connection) -> None:
        nonlocal errors
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                status, _ = await connection.request(path)
            except (OSError, asyncio.IncompleteReadError, ValueError):
                errors += 1
                connection.close()
                continue
            if status != 200:
                errors += 1
            latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(client(connection) for connection in connections))
    elapsed = time.perf_counter() - started
    for connection in connections:
        connection.close()
    return len(latencies), elapsed, latencies, errors


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0, help="per server, page and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--embedded-only", action="store_true", help="no PostgreSQL/Redis")
    options = parser.parse_args()
    cores = os.cpu_count() or 1
    try:
        import uvloop

        uvloop.install()  # the client's own overhead as small as it gets
    except ImportError:
        pass

    with Processes() as processes:
        embedded = make_site(scaled=False, people=0)
        servers = [
            (embedded, Shape("daphne, 1 process (before)", "daphne")),
            (embedded, Shape("gunicorn+uvicorn, 1 process", "gunicorn")),
        ]
        if not options.embedded_only:
            scaled = make_site(scaled=True, people=0)
            servers += [
                (scaled, Shape("gunicorn+uvicorn, 1 process", "gunicorn")),
                (scaled, Shape(f"gunicorn+uvicorn, {cores} processes", "gunicorn", cores)),
            ]
        ports = [start_server(processes, site, shape) for site, shape in servers]
        load_before = load_average()  # once prepared: the load the rounds start under
        totals: dict[tuple[int, str], list] = defaultdict(lambda: [0, 0.0, [], 0])
        for _ in range(options.rounds):
            for index, (site, _shape) in enumerate(servers):
                for _label, path in PAGES:
                    count, elapsed, latencies, errors = asyncio.run(
                        drive(
                            ports[index],
                            site.data["office"],
                            path,
                            options.clients,
                            options.seconds,
                        )
                    )
                    total = totals[(index, path)]
                    total[0] += count
                    total[1] += elapsed
                    total[2] += latencies
                    total[3] += errors

    rows = []
    for index, (site, shape) in enumerate(servers):
        bare_rate = totals[(index, BARE_URL)][0] / totals[(index, BARE_URL)][1]
        for label, path in PAGES:
            count, elapsed, latencies, errors = totals[(index, path)]
            rate = count / elapsed
            rows.append(
                (
                    f"{shape.label} ({site.label})",
                    label,
                    rate,
                    statistics.median(latencies),
                    percentile(latencies, 0.99),
                    errors,
                    rate / bare_rate,
                )
            )
    header = "| server (databases) | page | pages/s | p50 ms | p99 ms | errors | x bare |"
    lines = [header, "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    for server, page, rate, p50, p99, errors, share in rows:
        lines.append(
            f"| {server} | {page} | {rate:.0f} | {p50:.1f} | {p99:.1f} | {errors} | {share:.0%} |"
        )
    print("\n".join(lines))
    start_rates = {row[0]: row[2] for row in rows if row[1] == "start page"}
    section = [
        "<!-- bench:serving -->",
        f"Measured {today()} on {machine()}; load average {load_before} as the rounds began,"
        f" {load_average()} after them (shared with other work). {options.clients} keep-alive"
        f" clients, each asking for the next page as soon as the last arrived;"
        f" {options.rounds} rounds of {options.seconds:.0f} s per server and page,"
        " interleaved; the client runs on the same machine and takes a core's share.",
        "`x bare` is the page's throughput as a share of the bare Django view's (same"
        " middleware, same logged-in cookie) on the same server in the same run.",
        "",
        *lines,
        "",
        "Start pages per second, production shape against the others in the same run: "
        + "; ".join(f"{name}: {rate:.0f}/s" for name, rate in start_rates.items())
        + ".",
        "",
        "Reproduce: `.venv/bin/python bench/serving.py"
        f" --seconds {options.seconds:g} --rounds {options.rounds}`.",
        "<!-- /bench:serving -->",
    ]
    print()
    print("\n".join(section))


if __name__ == "__main__":
    main()
