"""Import benchmark: a 100,000-row staff file while colleagues log in, on SQLite.

Run: .venv/bin/python bench/workplace_import.py [--rows 100000] [--mode batched|single|both]

Three measurements, each on a fresh throw-away SQLite database:

- baseline: logins with no import running;
- batched: ``import_employees`` as it is (checked first, then written in
  transactions of ``BATCH_SIZE`` rows);
- single: the same import in one transaction, as before finding 14 (the way
  every login got "database is locked" after SQLite's 20 s busy timeout).

For each it prints the import's duration and the logins made meanwhile: how
many, how many failed, and their p50/p95/max latency in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time

from common import percentile, start_django

os.environ.setdefault("LOG_LEVEL", "WARNING")  # not a line per audited login
start_django("import")

from django.core.management import call_command  # noqa: E402
from django.db import OperationalError, connections, transaction  # noqa: E402
from django.test import Client  # noqa: E402

PASSWORD = "Bench-import-2026"


def prepare(rows: int) -> str:
    from workplace.importers import EMPLOYEE_COLUMNS
    from workplace.models import Department, Employee

    call_command("flush", interactive=False, verbosity=0)
    for code in ("GRN", "GRN-N", "GRN-Z", "WEG", "BZ"):
        Department.objects.create(code=code, name=f"Dienst {code}")
    user = Employee(username="loket", personnel_number="999999", first_name="Loket")
    user.set_password(PASSWORD)
    user.save()
    codes = ["GRN", "GRN-N", "GRN-Z", "WEG", "BZ"]
    lines = [";".join(EMPLOYEE_COLUMNS)]
    lines += [
        f"{100000 + n};Voornaam{n};Familienaam{n};;{codes[n % 5]};Medewerker;"
        f"Depot {n % 40};{'ja' if n % 3 == 0 else 'nee'};"
        for n in range(rows)
    ]
    handle, path = tempfile.mkstemp(suffix=".csv", prefix="werkplek-bench-staff-")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write("\n".join(lines) + "\n")
    return path


def log_in_while(running: threading.Event | None, seconds: float) -> tuple[list[float], int]:
    """Log in repeatedly while ``running`` is set (or for ``seconds`` without an import)."""
    timings, failures = [], 0
    deadline = time.monotonic() + seconds
    while running.is_set() if running else time.monotonic() < deadline:
        start = time.perf_counter()
        try:
            response = Client(HTTP_HOST="localhost").post(
                "/accounts/login/", {"username": "loket", "password": PASSWORD}
            )
            assert response.status_code == 302, response.status_code
            timings.append((time.perf_counter() - start) * 1000)
        except OperationalError:
            failures += 1
        time.sleep(0.2)  # a login every fraction of a second, as at a shift change
    return timings, failures


def run_import(path: str, single: bool) -> tuple[float, list[float], int]:
    from workplace.importers import import_employees

    running, took = threading.Event(), []

    def work():
        start = time.perf_counter()
        try:
            if single:
                with transaction.atomic():  # the batches become savepoints: one transaction
                    import_employees(path, announce_new=False)
            else:
                import_employees(path, announce_new=False)
        finally:
            took.append(time.perf_counter() - start)
            running.clear()
            connections.close_all()

    running.set()
    worker = threading.Thread(target=work)
    worker.start()
    timings, failures = log_in_while(running, 0)
    worker.join()
    return took[0], timings, failures


def report(label: str, seconds: float | None, timings: list[float], failures: int) -> None:
    duration = f"{seconds:8.1f}" if seconds is not None else " " * 8
    if timings:
        p50, p95, top = statistics.median(timings), percentile(timings, 0.95), max(timings)
        latency = f"{p50:8.1f} {p95:8.1f} {top:8.1f}"
    else:
        latency = f"{'-':>8} {'-':>8} {'-':>8}"
    print(f"{label:28} {duration} {len(timings):8d} {failures:8d} {latency}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--mode", choices=["batched", "single", "both"], default="both")
    options = parser.parse_args()
    call_command("migrate", verbosity=0)
    print(f"Werkplek import benchmark — {os.cpu_count()} cores, SQLite, {options.rows} rows")
    columns = ("import s", "logins", "failed", "p50 ms", "p95 ms", "max ms")
    print(f"{'':28} " + " ".join(f"{name:>8}" for name in columns))
    path = prepare(options.rows)
    timings, failures = log_in_while(None, 10)
    report("baseline (no import)", None, timings, failures)
    modes = ["batched", "single"] if options.mode == "both" else [options.mode]
    for mode in modes:
        path = prepare(options.rows)
        seconds, timings, failures = run_import(path, single=mode == "single")
        label = "batched (finding 14)" if mode == "batched" else "one transaction (before)"
        report(label, seconds, timings, failures)


if __name__ == "__main__":
    main()
