"""KUS benchmark: list and detail pages over 5,000 directives, one with 300 versions.

Run: .venv/bin/python bench/kus_pages.py [--directives 5000] [--versions 300] [--rounds 100]

Prints, for each page, p50/p95 in milliseconds, the ratio of its p50 to a bare
Django view served through the same middleware in the same run, the number of
queries and the bytes of HTML; then the same pages with a fifth of the rows to
show the query count does not grow with the rows; then near-duplicate detection
over all signatures. It uses a throw-away SQLite database in a temporary folder.
"""

from __future__ import annotations

import argparse
import datetime
import random
import statistics
import sys
import time

from common import BARE_URL, measure, percentile, sentence, start_django, with_bare_view

start_django("kus")

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402


def populate(count: int, versions: int) -> str:
    """Bulk-create ``count`` published directives; the first gets ``versions`` versions."""
    from kus.models import Category, Directive, DirectiveVersion, NumberSequence, Status
    from kus.text import minhash
    from workplace.models import Audience, Department

    rng = random.Random(42)
    departments = list(Department.objects.all())
    categories = list(Category.objects.all())
    now = timezone.now()
    with transaction.atomic():
        audiences = Audience.objects.bulk_create(
            [Audience(all_staff=i % 5 != 0) for i in range(count)]
        )
        for i, audience in enumerate(audiences):
            if i % 5 == 0:
                audience.departments.add(rng.choice(departments))
        directives = Directive.objects.bulk_create(
            [
                Directive(
                    number=f"KUS-2026-{i + 1:04d}",
                    status=Status.PUBLISHED,
                    title=f"Richtlijn {i + 1}: {sentence(rng, 5)}",
                    summary=sentence(rng, 20)[:300],
                    owner_department=rng.choice(departments),
                    category=rng.choice(categories),
                    audience=audiences[i],
                    restricted=i % 10 == 3,
                    requires_ack=i % 4 == 0,
                    published_at=now - datetime.timedelta(days=i),
                    updated=now - datetime.timedelta(days=i),
                )
                for i in range(count)
            ]
        )
        rows = []
        for directive in directives:
            body = "\n\n".join(sentence(rng) for _ in range(12))
            rows.append(
                DirectiveVersion(
                    directive=directive,
                    seq=1,
                    title=directive.title,
                    summary=directive.summary,
                    body=body,
                    published_at=directive.published_at,
                )
            )
        first = directives[0]
        body = rows[0].body
        for seq in range(2, versions + 1):
            body = body + "\n\n" + sentence(rng)
            rows.append(
                DirectiveVersion(
                    directive=first,
                    seq=seq,
                    title=first.title,
                    summary=first.summary,
                    body=body,
                    change_note=f"Wijziging {seq}",
                    published_at=now,
                )
            )
        created = DirectiveVersion.objects.bulk_create(rows, batch_size=1000)
        current = {}
        for version in created:
            current[version.directive_id] = version  # the highest seq comes last
        for directive in directives:
            directive.current_version = current[directive.pk]
            directive.signature = minhash(current[directive.pk].body)
        Directive.objects.bulk_update(directives, ["current_version", "signature"], batch_size=1000)
        NumberSequence.objects.update_or_create(year=2026, defaults={"last": count})
    return first.number


def pages(number: str, versions: int) -> list[tuple[str, str]]:
    return [
        ("bare Django view (baseline)", BARE_URL),
        ("list, page 1", "/kus/"),
        ("list, page 100", "/kus/?page=100"),
        ("list, category filter", "/kus/?category=ict"),
        ("list 'Nieuw'", "/kus/?lijst=nieuw"),
        ("to read", "/kus/te-lezen/"),
        (f"detail ({versions} versions)", f"/kus/{number}/"),
        (f"history ({versions} versions, page 1)", f"/kus/{number}/geschiedenis/"),
        (f"diff v1 to v{versions}", f"/kus/{number}/verschil/?van=1&naar={versions}"),
        ("detail of a one-version directive", "/kus/KUS-2026-0002/"),
        ("API list", "/api/v1/kus/directives/"),
    ]


def run(rounds: int, number: str, versions: int, label: str) -> dict[str, tuple]:
    from workplace.models import Employee

    client = Client(HTTP_HOST="localhost")
    client.force_login(Employee.objects.get(username="kantoor"))
    results = {}
    print(f"\n{label}")
    print("| page | p50 ms | p95 ms | x bare | queries | HTML KB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    baseline = None
    with with_bare_view():
        for name, url in pages(number, versions):
            timings, queries, size = measure(client, url, rounds)
            p50 = statistics.median(timings)
            baseline = baseline or p50
            results[name] = (p50, queries)
            print(
                f"| {name} | {p50:.2f} | {percentile(timings, 0.95):.2f} | "
                f"{p50 / baseline:.1f} | {queries} | {size / 1024:.1f} |"
            )
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--directives", type=int, default=5000)
    parser.add_argument("--versions", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=100)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    from workplace.demo import seed_demo_logins, seed_organisation

    rng = random.Random(2026)
    seed_demo_logins(seed_organisation(rng))

    small = max(args.directives // 5, 10)
    number = populate(small, args.versions)
    few = run(args.rounds, number, args.versions, f"{small} directives")
    from kus.models import Directive, DirectiveVersion

    # Grow to the full size: the same pages must not run more queries.
    DirectiveVersion.objects.all().delete()
    Directive.objects.all().delete()
    number = populate(args.directives, args.versions)
    many = run(
        args.rounds,
        number,
        args.versions,
        f"{args.directives} directives, {args.versions} versions of {number}",
    )
    grown = [name for name in many if many[name][1] != few[name][1]]
    print("\nquery counts that grew with the rows:", grown or "none")

    from kus.duplicates import near_duplicates

    text = DirectiveVersion.objects.filter(seq=1).order_by("pk")[10].body
    start = time.perf_counter()
    found = near_duplicates(None, text)
    elapsed = (time.perf_counter() - start) * 1000
    print(
        f"near-duplicate scan over {args.directives} signatures: {elapsed:.0f} ms "
        f"({len(found)} found)"
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
