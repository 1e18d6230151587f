"""Foundation benchmark: core pages and audiences at city scale.

Run: .venv/bin/python bench/workplace_pages.py [--employees 8000]

Prints, for each page, p50/p95 in milliseconds, the ratio of its p50 to a bare
Django view served through the same middleware in the same run, the number of
queries and the bytes of HTML; then the time to resolve audiences over a city
of N employees. It uses a throw-away SQLite database in a temporary folder.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import time

from common import BARE_URL, measure, percentile, start_django, with_bare_view

start_django("workplace")

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402


def bench_pages(rounds: int) -> None:
    from workplace.models import Employee

    user = Employee.objects.get(username="kantoor")
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    pages = [
        ("bare Django view (baseline)", BARE_URL),
        ("start page", "/"),
        ("directory search 'tuinier'", "/mensen/?q=tuinier"),
        ("as-you-type API 'pee'", "/api/v1/people/?q=pee"),
        ("department page (Groendienst)", "/afdelingen/GRN/"),
        ("department tree", "/afdelingen/"),
        ("profile page", "/mensen/terrein/"),
    ]
    baseline = None
    print(f"{'page':34} {'p50 ms':>8} {'p95 ms':>8} {'x bare':>7} {'queries':>8} {'KB html':>8}")
    for label, url in pages:
        timings, queries, size = measure(client, url, rounds)
        p50 = statistics.median(timings)
        baseline = baseline or p50
        print(
            f"{label:34} {p50:8.2f} {percentile(timings, 0.95):8.2f} {p50 / baseline:7.1f}"
            f" {queries:8d} {size / 1024:8.1f}"
        )


def bench_audiences(employees: int) -> None:
    import random

    from tests.factories import AudienceFactory
    from workplace.audiences import audiences_for, members, user_principals
    from workplace.models import Department, Employee

    departments = list(Department.objects.all())
    existing = Employee.objects.count()
    rng = random.Random(1)
    batch = [
        Employee(
            username=f"bench{n}",
            personnel_number=f"9{n:06d}",
            first_name="Bench",
            last_name=f"Medewerker {n}",
            department=rng.choice(departments),
            is_field_worker=rng.random() < 0.33,
            job_title=rng.choice(["Tuinier", "Veger", "Administratief medewerker", "Deskundige"]),
        )
        for n in range(max(0, employees - existing))
    ]
    Employee.objects.bulk_create(batch, batch_size=1000)
    # bulk_create skips the group-sync signal: do what the import would have done.
    from workplace.groups import sync_department_groups

    start = time.perf_counter()
    for employee in Employee.objects.filter(username__startswith="bench").select_related(
        "department"
    ):
        sync_department_groups(employee)
    sync_seconds = time.perf_counter() - start
    total = Employee.objects.count()
    print(f"\naudiences over {total} employees ({len(departments)} departments)")
    per_sync = sync_seconds / max(1, len(batch)) * 1000
    print(f"  group sync per employee (import path): {per_sync:.2f} ms")

    audiences = []
    for n in range(1000):
        audience = AudienceFactory(
            all_staff=(n % 10 == 0), worker_kind=rng.choice(["", "field", "office"])
        )
        audience.departments.add(*rng.sample(departments, 2))
        audiences.append(audience)
    sample = audiences[:50]
    start = time.perf_counter()
    sizes = [members(audience).count() for audience in sample]
    per_members = (time.perf_counter() - start) / len(sample) * 1000
    average = statistics.mean(sizes)
    print(f"  members(audience).count(): {per_members:.2f} ms each (average size {average:.0f})")

    users = list(Employee.objects.filter(is_active=True).select_related("department")[:200])
    start = time.perf_counter()
    counts = [audiences_for(user).count() for user in users]
    per_user = (time.perf_counter() - start) / len(users) * 1000
    reach = statistics.mean(counts)
    print(f"  audiences_for(user).count() over 1,000 audiences: {per_user:.2f} ms each")
    print(f"    (on average {reach:.0f} of the 1,000 audiences reach a person)")

    start = time.perf_counter()
    for user in users:
        user.__dict__.pop("_werkplek_principals", None)
        user_principals(user)
    print(
        f"  user_principals(user): {(time.perf_counter() - start) / len(users) * 1000:.2f} ms each"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--employees", type=int, default=8000)
    options = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=io.StringIO())
    print(f"Werkplek foundation benchmark — {os.cpu_count()} cores, SQLite")
    print(f"{options.rounds} requests per page\n")
    with with_bare_view():
        bench_pages(options.rounds)
    bench_audiences(options.employees)


if __name__ == "__main__":
    main()
