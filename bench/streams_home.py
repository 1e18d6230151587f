"""The home stream at scale: 300 employees following ~200 sources each, 100,000 activities.

    .venv/bin/python bench/streams_home.py [--activities 100000] [--runs 200]

Builds a throw-away SQLite database (or uses DATABASE_URL when it names a
PostgreSQL database you do not mind filling), then measures for each filter
of the home stream the time to fetch and decorate one page (p50, p95), the
queries per page on the first page and ten pages deep (they must be equal),
and the whole /stroom/ page through the Django test client. The baseline is
the bare query "newest 20 activities" in the same run.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_django(data_dir: str) -> None:
    os.environ["WERKPLEK_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workplace.settings")
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-not-for-production")
    os.environ.setdefault("DEBUG", "true")  # static files without collectstatic
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def build(rng: random.Random, activities: int) -> list:
    from django.db import transaction
    from django.utils import timezone

    from streams.models import (
        Activity,
        AudienceKind,
        Follow,
        FollowKind,
        Membership,
        Post,
        Space,
        SpaceKind,
        Topic,
    )
    from workplace import demo
    from workplace.models import Department, Employee

    with transaction.atomic():
        demo.seed_organisation(rng)
    employees = list(Employee.objects.select_related("department"))
    for number in range(300 - len(employees)):
        employees.append(
            Employee.objects.create(
                username=f"extra{number}",
                personnel_number=f"9{number:05d}",
                department=rng.choice(employees).department,
            )
        )
    departments = list(Department.objects.all())
    now = timezone.now()
    with transaction.atomic():
        spaces = [
            Space.objects.create(
                name=f"Ruimte {n}",
                slug=f"ruimte-{n}",
                kind=SpaceKind.CLOSED if n % 3 == 0 else SpaceKind.OPEN,
            )
            for n in range(30)
        ]
        Membership.objects.bulk_create(
            Membership(space=space, employee=person)
            for space in spaces
            for person in rng.sample(employees, rng.randint(20, 50))
        )
        topics = Topic.objects.bulk_create(Topic(name=f"onderwerp{n}") for n in range(50))
        follows = []
        for person in employees:
            others = [e for e in employees if e.pk != person.pk]
            follows += [
                Follow(follower=person, kind=FollowKind.EMPLOYEE, target_id=e.pk)
                for e in rng.sample(others, 150)
            ]
            follows += [
                Follow(follower=person, kind=FollowKind.TOPIC, target_id=t.pk)
                for t in rng.sample(topics, 25)
            ]
            follows += [
                Follow(follower=person, kind=FollowKind.DEPARTMENT, target_id=d.pk)
                for d in rng.sample(departments, 10)
            ]
            follows += [
                Follow(follower=person, kind=FollowKind.SPACE, target_id=s.pk)
                for s in rng.sample(spaces, 15)
            ]
        Follow.objects.bulk_create(follows, batch_size=5000)

    batch = 5000
    for offset in range(0, activities, batch):
        posts, kinds = [], []
        for _index in range(min(batch, activities - offset)):
            author = rng.choice(employees)
            roll = rng.random()
            department = space = None
            if roll < 0.25 and author.department_id:
                kind = AudienceKind.DEPARTMENT
                department = author.department
            elif roll < 0.40:
                kind, space = AudienceKind.SPACE, rng.choice(spaces)
            else:
                kind = AudienceKind.ALL
            created = now - timedelta(seconds=rng.randint(60, 365 * 86400))
            body = f"Bericht {offset + _index} over het werk van vandaag"
            posts.append(
                Post(
                    author=author,
                    body=body,
                    body_html=f"<p>{body}</p>",
                    audience_kind=kind,
                    department=department,
                    space=space,
                    is_announcement=rng.random() < 0.02,
                    created=created,
                )
            )
            kinds.append(kind)
        with transaction.atomic():
            posts = Post.objects.bulk_create(posts)
            rows = Activity.objects.bulk_create(
                Activity(
                    verb="posted",
                    actor_id=post.author_id,
                    post=post,
                    audience_kind=post.audience_kind,
                    department_id=post.department_id,
                    space_id=post.space_id,
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
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return employees


def measure(employees: list, runs: int, rng: random.Random) -> None:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from streams import display, visibility
    from streams.models import Activity
    from workplace.models import Employee

    def one_page(user, stream_filter, before=None):
        source = display.resolve(user, "home", stream_filter)
        page = visibility.page(display.with_related(source.activities), before=before)
        display.decorate(page.items, user)
        return page

    bare = []
    for _run in range(runs):
        start = time.perf_counter()
        list(Activity.objects.order_by("-created", "-id")[:20])
        bare.append((time.perf_counter() - start) * 1000)
    bare_p50 = statistics.median(bare)
    print(
        f"{'stream':<28} {'p50 ms':>8} {'p95 ms':>8} {'x bare':>7} "
        f"{'q page 1':>9} {'q page 10':>10}"
    )
    print(
        f"{'bare newest 20 (baseline)':<28} {bare_p50:8.2f} {percentile(bare, 0.95):8.2f} {1:7.1f}"
    )
    ids = [e.pk for e in employees]
    for stream_filter in visibility.StreamFilter.choices:
        times = []
        for _run in range(runs):
            user = Employee.objects.get(pk=rng.choice(ids))
            start = time.perf_counter()
            one_page(user, stream_filter)
            times.append((time.perf_counter() - start) * 1000)
        user = Employee.objects.get(pk=ids[0])
        reset_queries()  # DEBUG keeps at most 9,000 queries; the count needs room
        with CaptureQueriesContext(connection) as first:
            page = one_page(user, stream_filter)
        cursor = page.next_cursor
        for _page in range(8):
            cursor = one_page(user, stream_filter, cursor).next_cursor or cursor
        user = Employee.objects.get(pk=ids[0])
        reset_queries()
        with CaptureQueriesContext(connection) as deep:
            one_page(user, stream_filter, cursor)
        p50 = statistics.median(times)
        print(
            f"{'home: ' + stream_filter:<28} {p50:8.2f} {percentile(times, 0.95):8.2f} "
            f"{p50 / bare_p50:7.1f} {len(first.captured_queries):9d} "
            f"{len(deep.captured_queries):10d}"
        )
    client = Client(HTTP_HOST="localhost")
    times = []
    queries = 0
    for run in range(max(20, runs // 4)):
        client.force_login(Employee.objects.get(pk=rng.choice(ids)))
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get("/stroom/", secure=True)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (response.status_code, response.get("Location"))
        if run == 0:
            queries = len(captured.captured_queries)
            size = len(response.content) / 1024
    p50 = statistics.median(times)
    print(
        f"{'/stroom/ whole page':<28} {p50:8.2f} {percentile(times, 0.95):8.2f} "
        f"{p50 / bare_p50:7.1f} {queries:9d}   ({size:.0f} KB HTML)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
            os.environ.pop("DATABASE_URL", None)
        setup_django(data_dir)
        from django.db import connection

        rng = random.Random(2026)
        start = time.perf_counter()
        employees = build(rng, args.activities)
        from streams.models import Activity, Follow

        print(
            f"{connection.vendor}: {len(employees)} employees, "
            f"{Follow.objects.count() / len(employees):.0f} follows each, "
            f"{Activity.objects.count()} activities (built in {time.perf_counter() - start:.0f} s)"
        )
        measure(employees, args.runs, rng)


if __name__ == "__main__":
    main()
