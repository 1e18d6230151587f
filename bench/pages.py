"""The pages people open most, at city scale: the start page, the stream, the KUS list and
a directive, over 5,000 directives and 100,000 stream activities.

Run: .venv/bin/python bench/pages.py [--quick] [--rounds 200] [--database-url postgres://…]

For each page it prints p50/p99 in milliseconds, the ratio of its p50 to a bare Django
view served through the same middleware, the queries and the kilobytes of HTML, as a
markdown table. The bare view and the page are requested in turn in the same loop, so
both see the same machine load. The data are built with ``bulk_create`` in a throw-away
SQLite database (or the PostgreSQL database ``--database-url`` names, which it fills:
give it an empty one). ``--quick`` builds a tenth of the data, for development.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

from common import BARE_URL, percentile, sentence, start_django, with_bare_view


def build_directives(rng: random.Random, count: int) -> str:
    """``count`` published directives, a fifth for one department, a tenth restricted, a
    quarter to confirm; returns the number of one the bench user may read."""
    from django.db import transaction
    from django.utils import timezone

    from kus.models import Category, Directive, DirectiveVersion, NumberSequence, Status
    from workplace.models import Audience, Department

    departments = list(Department.objects.all())
    categories = list(Category.objects.all())
    now = timezone.now()
    with transaction.atomic():
        audiences = Audience.objects.bulk_create(
            [Audience(all_staff=i % 5 != 0) for i in range(count)], batch_size=1000
        )
        Audience.departments.through.objects.bulk_create(
            [
                Audience.departments.through(
                    audience_id=audience.pk, department_id=rng.choice(departments).pk
                )
                for i, audience in enumerate(audiences)
                if i % 5 == 0
            ],
            batch_size=1000,
        )
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
                    published_at=now - datetime.timedelta(hours=i),
                    updated=now - datetime.timedelta(hours=i),
                )
                for i in range(count)
            ],
            batch_size=1000,
        )
        versions = DirectiveVersion.objects.bulk_create(
            [
                DirectiveVersion(
                    directive=directive,
                    seq=1,
                    title=directive.title,
                    summary=directive.summary,
                    body="\n\n".join(sentence(rng) for _ in range(12)),
                    published_at=directive.published_at,
                )
                for directive in directives
            ],
            batch_size=1000,
        )
        for directive, version in zip(directives, versions, strict=True):
            directive.current_version = version
        Directive.objects.bulk_update(directives, ["current_version"], batch_size=1000)
        NumberSequence.objects.update_or_create(year=2026, defaults={"last": count})
    return directives[1].number  # all staff, not restricted


def build_stream(rng: random.Random, count: int, user) -> None:
    """``count`` posts with their activities; ``user`` follows a few hundred sources."""
    from django.db import transaction
    from django.utils import timezone

    from streams.models import Activity, AudienceKind, Follow, FollowKind, Post, Topic
    from workplace.models import Department, Employee

    employees = list(Employee.objects.filter(is_active=True))
    departments = list(Department.objects.all())
    now = timezone.now()
    with transaction.atomic():
        topics = Topic.objects.bulk_create(Topic(name=f"onderwerp{n}") for n in range(50))
        Follow.objects.bulk_create(
            [
                *(
                    Follow(follower=user, kind=FollowKind.EMPLOYEE, target_id=e.pk)
                    for e in rng.sample(employees, min(150, len(employees)))
                    if e.pk != user.pk
                ),
                *(
                    Follow(follower=user, kind=FollowKind.TOPIC, target_id=t.pk)
                    for t in rng.sample(topics, 25)
                ),
                *(
                    Follow(follower=user, kind=FollowKind.DEPARTMENT, target_id=d.pk)
                    for d in rng.sample(departments, min(10, len(departments)))
                ),
            ]
        )
    for offset in range(0, count, 5000):
        posts = []
        for index in range(offset, min(count, offset + 5000)):
            author = rng.choice(employees)
            department = author.department_id if rng.random() < 0.25 else None
            body = f"Bericht {index} over het werk van vandaag"
            posts.append(
                Post(
                    author=author,
                    body=body,
                    body_html=f"<p>{body}</p>",
                    audience_kind=AudienceKind.DEPARTMENT if department else AudienceKind.ALL,
                    department_id=department,
                    is_announcement=rng.random() < 0.02,
                    created=now - datetime.timedelta(seconds=60 + index * 300),
                )
            )
        with transaction.atomic():
            posts = Post.objects.bulk_create(posts)
            rows = Activity.objects.bulk_create(
                Activity(
                    verb="posted",
                    actor_id=post.author_id,
                    post=post,
                    audience_kind=post.audience_kind,
                    department_id=post.department_id,
                    is_announcement=post.is_announcement,
                    created=post.created,
                )
                for post in posts
            )
            Activity.topics.through.objects.bulk_create(
                Activity.topics.through(activity_id=row.pk, topic_id=rng.choice(topics).pk)
                for row in rows
                if rng.random() < 0.3
            )


def measure_pages(client, pages: list[tuple[str, str]], rounds: int) -> list[dict]:
    """Each page in turn with the bare view: bare, page, bare, page, … in one loop."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    results = []
    for name, url in pages:
        for warm in (BARE_URL, url):
            assert client.get(warm).status_code == 200, warm
        bare, page = [], []
        for _ in range(rounds):
            for target, timings in ((BARE_URL, bare), (url, page)):
                start = time.perf_counter()
                response = client.get(target)
                timings.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (target, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        results.append(
            {
                "name": name,
                "url": url,
                "p50": statistics.median(page),
                "p99": percentile(page, 0.99),
                "bare": statistics.median(bare),
                "queries": len(queries),
                "kb": len(response.content) / 1024,
            }
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="a tenth of the data")
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--profile", default="", help="a page's URL to run under cProfile")
    parser.add_argument("--queries", default="", help="a page's URL: print its SQL")
    args = parser.parse_args()
    start_django("pages", database_url=args.database_url)

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from tests.kus.conftest import ensure_categories
    from workplace.demo import seed_demo_logins, seed_organisation
    from workplace.models import Employee

    directives, activities = (500, 10_000) if args.quick else (5_000, 100_000)
    call_command("migrate", verbosity=0)
    rng = random.Random(2026)
    started = time.perf_counter()
    seed_demo_logins(seed_organisation(rng))
    ensure_categories()
    user = Employee.objects.get(username="kantoor")
    number = build_directives(rng, directives)
    build_stream(rng, activities, user)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    built = time.perf_counter() - started

    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    pages = [
        ("start page", "/"),
        ("stream", "/stroom/"),
        ("KUS list", "/kus/"),
        ("directive", f"/kus/{number}/"),
    ]
    with with_bare_view():
        if args.profile:
            profile(client, args.profile, args.rounds)
            return
        if args.queries:
            show_queries(client, args.queries)
            return
        results = measure_pages(client, pages, args.rounds)
    print(
        f"{connection.vendor}, {os.cpu_count()} cores, {directives:,} directives, "
        f"{activities:,} activities (built in {built:.0f} s), {args.rounds} rounds, "
        f"load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])}\n"
    )
    print("| page | p50 ms | p99 ms | bare p50 ms | x bare | queries | HTML KB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in results:
        print(
            f"| {row['name']} (`{row['url']}`) | {row['p50']:.1f} | {row['p99']:.1f} | "
            f"{row['bare']:.2f} | {row['p50'] / row['bare']:.0f} | {row['queries']} | "
            f"{row['kb']:.1f} |"
        )
    sys.stdout.flush()


def show_queries(client, url: str) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    for query in queries.captured_queries:
        print(query["sql"][: int(os.environ.get("SQL_WIDTH", "300"))], "\n")


def profile(client, url: str, rounds: int) -> None:
    """Where one page's time goes: cProfile over ``rounds`` requests, by cumulative time."""
    import cProfile
    import pstats

    client.get(url)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(rounds):
        client.get(url)
    profiler.disable()
    stats = pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "cumulative"))
    stats.print_stats(os.environ.get("PROFILE_FILTER", ""), 80)


if __name__ == "__main__":
    main()
