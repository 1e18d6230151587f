"""Campaigns benchmark: the reach dashboard of a campaign with 8,000 people and 200,000
recorded events, and what recording one impression costs.

Run: .venv/bin/python bench/campaigns_reach.py [--employees 8000] [--events 200000]
     [--rounds 60] [--database-url postgres://…/werkplek_bench]

Builds the demo organisation and bulk-creates colleagues up to ``--employees`` (each
department at its work site, one in ten elsewhere, a third field workers), then a
campaign for all staff with four published announcements. The delivery is
``campaigns.reach.deliver`` to everyone, for each announcement and for the campaign.

The events are not recorded one by one (200,000 calls of ``reach.record`` would take
about 20 minutes): they are drawn (mostly impressions, some opened, few acted on;
channels by kind of work; most in the first days), run through ``simulate()``,
which applies ``record()``'s rule to them — the stages a mark gains, the first time
per stage as ``people``, every event as ``events``, for the announcement's reach
and the campaign's — and the resulting ``ReachCount`` rows are written with
``bulk_create`` and the marks' stages with ``bulk_update``: the same rows as
``record()`` would leave. The bench checks that on a sample (``check_shape``).

Measured, each beside its baseline interleaved round by round in the same run:

a. the campaign's reach page (``campaigns:campaign_reach``, Django test client in
   the process, as the communication officer with a verified second factor) beside
   a bare Django view through the same middleware; ``report.figures`` of the
   campaign beside one ``SUM`` over the same counts; with their queries;
b. ``reach.record(item, someone, Stage.SEEN, channel)`` beside one ``UPDATE`` of
   one counter, at ``--small-events`` (10,000) and at ``--events`` events.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections import defaultdict
from datetime import timedelta

from common import BARE_URL, percentile, start_django, with_bare_view

parser = argparse.ArgumentParser()
parser.add_argument("--employees", type=int, default=8000)
parser.add_argument("--events", type=int, default=200_000)
parser.add_argument("--small-events", type=int, default=10_000)
parser.add_argument("--rounds", type=int, default=60)
parser.add_argument("--record-rounds", type=int, default=400)
parser.add_argument("--database-url", default="", help="DATABASE_URL (else SQLite)")
arguments = parser.parse_args()

os.environ.setdefault("LOG_LEVEL", "WARNING")
start_django("campaigns", database_url=arguments.database_url)

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import F, Sum  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

ITEMS = 4
DAYS = 30
CHANNELS = {
    True: {"terminal": 45, "poster": 25, "push": 15, "web": 8, "sms": 7},
    False: {"web": 55, "stream": 15, "email": 15, "push": 15},
}
STAGES = {2: 70, 4: 22, 8: 8}  # Stage.SEEN, OPENED, ACTED


def build_city(count: int, rng: random.Random):
    from workplace.demo import seed_demo_logins, seed_organisation
    from workplace.models import Department, Employee

    departments = seed_organisation(rng)
    seed_demo_logins(departments)
    pool = list(Department.objects.all())
    home = dict(
        Employee.objects.exclude(site=None)
        .values_list("department_id", "site_id")
        .order_by("department_id", "pk")
    )
    sites = sorted(set(home.values()))
    new = []
    for n in range(max(0, count - Employee.objects.count())):
        department = rng.choice(pool)
        site = home.get(department.pk) if rng.random() < 0.9 else None
        new.append(
            Employee(
                username=f"bench{n}",
                personnel_number=f"9{n:06d}",
                first_name="Bench",
                last_name=f"Medewerker {n}",
                department=department,
                site_id=site or rng.choice(sites),
                is_field_worker=rng.random() < 0.33,
                password="!",
            )
        )
    Employee.objects.bulk_create(new, batch_size=1000)


def build_campaign():
    from campaigns import reach
    from campaigns.models import Announcement, Campaign
    from workplace.models import Audience, Employee

    owner = Employee.objects.get(username="communicatie")
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        title="Fier op ons werk",
        goal="Laten zien wat collega's elke dag doen.",
        theme="fierheid",
        starts=today - timedelta(days=DAYS),
        ends=today + timedelta(days=10),
        owner=owner,
        audience=Audience.objects.create(all_staff=True),
    )
    items = []
    for n in range(ITEMS):
        published = timezone.now() - timedelta(days=DAYS - 7 * n)
        item = Announcement.objects.create(
            campaign=campaign,
            title=f"Fier op ons werk, deel {n + 1}",
            body="Wie houdt de stad draaiende?",
            body_html="<p>Wie houdt de stad draaiende?</p>",
            author=owner,
            audience=campaign.audience,
            publish_at=published,
            published=published,
        )
        until = published + timedelta(days=90)
        people = Employee.objects.filter(is_active=True)
        reach.deliver(reach.reach_for(announcement=item, until=until), people, now=published)
        campaign_reach = reach.reach_for(campaign=campaign, until=until + timedelta(days=30))
        reach.deliver(campaign_reach, people, now=published)
        items.append(item)
    return owner, campaign, items


def draw_events(count: int, rng: random.Random, people: list, items: list) -> list[tuple]:
    """(item, person, stage, channel, day) in order of time; some colleagues read a lot."""
    weights = [rng.paretovariate(1.5) for _ in people]
    chosen = rng.choices(people, weights=weights, k=count)
    stages = rng.choices(list(STAGES), weights=list(STAGES.values()), k=count)
    events = []
    for person, stage in zip(chosen, stages, strict=True):
        index = rng.randrange(len(items))
        item = items[index]
        channels = CHANNELS[person[2]]
        channel = rng.choices(list(channels), weights=list(channels.values()))[0]
        age = (timezone.localdate() - timezone.localdate(item.published)).days
        day = timezone.localdate(item.published) + timedelta(
            days=min(int(rng.expovariate(1 / 3)), age)
        )
        events.append((index, person, stage, channel, day))
    events.sort(key=lambda event: event[4])
    return events


def simulate(events, reaches: list, campaign_reach, marks: dict, groups: dict) -> dict:
    """``record()``'s rule applied to ``events``: updates ``marks`` (reach id, person id →
    stages) and returns the counts (reach, group, day, channel, stage → [people, events])."""
    from campaigns.models import Stage
    from campaigns.reach import IMPLIED, SHOWN_STAGES

    counts: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for index, person, stage, channel, day in events:
        bits = IMPLIED[Stage(stage)]
        for one_reach in (reaches[index], campaign_reach):
            key = (one_reach.pk, person[0])
            before = marks[key]
            new = bits & ~before
            marks[key] = before | bits
            group = groups[one_reach.pk, person[1]]
            for one in SHOWN_STAGES:
                # The campaign counts people only; events are each item's.
                counts_events = one == stage and one_reach is not campaign_reach
                if one & bits and (one & new or counts_events):
                    row = counts[one_reach.pk, group, day, channel, int(one)]
                    row[0] += 1 if one & new else 0
                    row[1] += 1 if counts_events else 0
    return counts


def write(counts: dict, marks: dict, mark_rows: dict) -> int:
    """Replace the counts of the events (delivery stays) and the marks' stages."""
    from campaigns.models import ReachCount, ReachMark, Stage

    with transaction.atomic():
        ReachCount.objects.exclude(stage=Stage.DELIVERED).delete()
        ReachCount.objects.bulk_create(
            [
                ReachCount(
                    reach_id=reach_id,
                    group_id=group_id,
                    day=day,
                    channel=channel,
                    stage=stage,
                    people=people,
                    events=events,
                )
                for (reach_id, group_id, day, channel, stage), (people, events) in counts.items()
            ],
            batch_size=2000,
        )
        changed = []
        for key, stages in marks.items():
            row = mark_rows[key]
            if row.stages != stages:
                row.stages = stages
                changed.append(row)
        ReachMark.objects.bulk_update(changed, ["stages"], batch_size=1000)
    if connection.vendor == "postgresql":
        # What autovacuum and the next checkpoint would do minutes after a bulk load;
        # without it the first minutes measure the load's aftermath, baseline and all.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE campaigns_reachcount")
            cursor.execute("VACUUM ANALYZE campaigns_reachmark")
            cursor.execute("CHECKPOINT")
    return ReachCount.objects.count()


def check_shape(items, reaches, campaign_reach, marks: dict, groups: dict, people) -> None:
    """Real ``record()`` calls change the rows exactly as ``simulate`` says they would."""
    from campaigns import reach
    from campaigns.models import ReachCount, ReachMark
    from workplace.models import Employee

    today = timezone.localdate()
    fields = ("reach_id", "group_id", "day", "channel", "stage", "people", "events")

    def counts() -> dict:
        return {row[:5]: row[5:] for row in ReachCount.objects.values_list(*fields)}

    for person, stage, channel in (
        (people[0], 2, "web"),
        (people[1], 4, "push"),
        (people[1], 8, "push"),
    ):
        expected = simulate(
            [(0, person, stage, channel, today)], reaches, campaign_reach, marks, groups
        )
        before = counts()
        reach.record(items[0], Employee.objects.get(pk=person[0]), stage, channel)
        after = counts()
        changed = {
            key: tuple(a - b for a, b in zip(value, before.get(key, (0, 0)), strict=True))
            for key, value in after.items()
            if value != before.get(key)
        }
        assert changed == {key: tuple(value) for key, value in expected.items()}, (
            changed,
            expected,
        )
        for one in (reaches[0], campaign_reach):
            stored = ReachMark.objects.get(
                reach=one, person=reach.person_key(one.subject, person[0])
            )
            assert stored.stages == marks[one.pk, person[0]]


def interleaved(rounds: int, **cases) -> dict[str, list[float]]:
    """Milliseconds per call of each case, the cases taking turns round by round."""
    for call in cases.values():
        call()  # warm up
    timings: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(rounds):
        for name, call in cases.items():
            start = time.perf_counter()
            call()
            timings[name].append((time.perf_counter() - start) * 1000)
    return timings


def queries_of(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def report(title: str, timings: dict[str, list[float]], baseline: str, queries: dict) -> None:
    """p50 and p95 of each case, its p50 over the baseline's, and its queries (with
    BEGIN and COMMIT where the case has a transaction of its own)."""
    base = statistics.median(timings[baseline])
    print(f"\n{title}")
    print(f"  {'':50} {'p50 ms':>8} {'p95 ms':>8} {'x base':>7} {'queries':>8}")
    for name, values in timings.items():
        p50 = statistics.median(values)
        print(
            f"  {name:50} {p50:8.2f} {percentile(values, 0.95):8.2f} {p50 / base:7.1f}"
            f" {queries[name]:>8}"
        )


def get(client: Client, url: str):
    def call():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return call


def bench_dashboard(client, campaign, rounds: int) -> None:
    from campaigns.models import ReachCount
    from campaigns.report import figures as reach_figures

    url = f"/campagnes/{campaign.pk}/bereik/"
    campaign_reach = campaign.reach

    def one_sum():
        ReachCount.objects.filter(reach=campaign_reach).aggregate(n=Sum("people"))

    def figures():
        reach_figures(campaign_reach)

    cases = {
        "bare Django view (baseline)": get(client, BARE_URL),
        "campaign reach page": get(client, url),
    }
    report(
        "a. The campaign's reach page",
        interleaved(rounds, **cases),
        "bare Django view (baseline)",
        {name: queries_of(call) for name, call in cases.items()},
    )
    size = len(client.get(url).content)
    print(f"  the page: {size / 1024:.1f} KB of HTML")
    cases = {
        "one SUM over the same counts (baseline)": one_sum,
        "report.figures(campaign)": figures,
    }
    report(
        "a. The campaign's figures, without the page",
        interleaved(rounds, **cases),
        "one SUM over the same counts (baseline)",
        {name: queries_of(call) for name, call in cases.items()},
    )


def bench_record(items, people: list, rounds: int, rng: random.Random) -> dict[str, float]:
    from campaigns import reach
    from campaigns.models import ReachChannel, ReachCount, Stage
    from workplace.models import Employee

    employees = {e.pk: e for e in Employee.objects.filter(pk__in=[p[0] for p in people])}
    counter = ReachCount.objects.filter(reach=items[0].reach).order_by("pk").first()

    def one_update():
        ReachCount.objects.filter(pk=counter.pk).update(events=F("events") + 1)

    def record():
        person = rng.choice(people)
        channel = ReachChannel.TERMINAL if person[2] else ReachChannel.WEB
        reach.record(rng.choice(items), employees[person[0]], Stage.SEEN, channel)

    timings = interleaved(
        rounds, **{"one UPDATE of one counter (baseline)": one_update, "reach.record(SEEN)": record}
    )
    queries = {"one UPDATE of one counter (baseline)": queries_of(one_update)}
    # A repeat impression is a few queries; a first one, or the first of a day and channel
    # in a group (a new counter), a few more: the range over 50 calls.
    spread = sorted(queries_of(record) for _ in range(50))
    queries["reach.record(SEEN)"] = f"{spread[0]} to {spread[-1]}"
    report(
        f"b. Recording an impression, {ReachCount.objects.count():,} counters",
        timings,
        "one UPDATE of one counter (baseline)",
        queries,
    )
    return {
        "p50": statistics.median(timings["reach.record(SEEN)"]),
        "p95": percentile(timings["reach.record(SEEN)"], 0.95),
    }


def main() -> None:
    from campaigns.models import ReachGroup, ReachMark
    from tests.auth import verified_login
    from workplace.models import Employee

    rng = random.Random(2026)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    build_city(arguments.employees, rng)
    owner, campaign, items = build_campaign()
    reaches = [item.reach for item in items]
    campaign_reach = campaign.reach
    people = list(
        Employee.objects.filter(is_active=True).values_list(
            "pk", "department_id", "is_field_worker", "site_id"
        )
    )
    groups = {}
    for group in ReachGroup.objects.all():
        groups[group.reach_id, (group.department_id, group.site_id, group.field_worker)] = group.pk
    people = [(pk, (dept, site, field), field) for pk, dept, field, site in people]
    from campaigns.reach import person_key

    keys = {}
    for one in [*reaches, campaign_reach]:
        for pk, _group, _field in people:
            keys[person_key(one.subject, pk)] = (one.pk, pk)
    mark_rows = {keys[m.person]: m for m in ReachMark.objects.all()}
    events = draw_events(arguments.events, rng, people, items)
    built = time.perf_counter() - started
    print(
        f"Werkplek campaigns benchmark — {os.cpu_count()} cores, {connection.vendor}; "
        f"{len(people):,} people, {ITEMS} announcements, built in {built:.0f} s"
    )

    results = {}
    for label, count in (("small", arguments.small_events), ("large", arguments.events)):
        marks = {key: 1 for key in mark_rows}  # delivered
        step = time.perf_counter()
        counts = simulate(events[:count], reaches, campaign_reach, marks, groups)
        rows = write(counts, marks, mark_rows)
        print(
            f"\n== {count:,} events: {rows:,} counters, {len(mark_rows):,} marks "
            f"(written in {time.perf_counter() - step:.1f} s)"
        )
        if label == "small":
            check_shape(items, reaches, campaign_reach, marks, groups, people)
            print("  record() leaves the rows simulate() wrote: checked on three calls")
        results[label] = bench_record(items, people, arguments.record_rounds, rng)
        # The record rounds changed marks: read them back for the next size.
        mark_rows = {keys[m.person]: m for m in ReachMark.objects.all()}

    client = Client(HTTP_HOST="localhost")
    verified_login(client, owner)
    with with_bare_view():
        bench_dashboard(client, campaign, arguments.rounds)
    small, large = results["small"], results["large"]
    print(
        f"\nrecord(SEEN) p50 at {arguments.events:,} events over p50 at "
        f"{arguments.small_events:,}: {large['p50'] / small['p50']:.2f}"
    )


if __name__ == "__main__":
    main()
