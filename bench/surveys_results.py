"""Surveys benchmark: the results page of a survey with 8,000 answers.

Run: .venv/bin/python bench/surveys_results.py [--answers 8000] [--rounds 40]

Builds the gent&co reader survey (every question type) in a throw-away SQLite
database, a city of 8,000 employees and one answer per employee, closes the
survey, and requests the results page as its HR owner: everyone together and
split per department, service, work site and field/office (the splits run the
threshold and differencing protection, per split and per question). Prints
p50/p95 in milliseconds, the ratio of each p50 to a bare Django view served
through the same middleware in the same run, queries and HTML size; then the
time of one answer screen and one submit.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time

from common import BARE_URL, measure, percentile, start_django, with_bare_view

start_django("surveys")

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402


def build_city(answers: int):
    from surveys import demo
    from surveys.actions import reporting_unit
    from surveys.models import Participation, Question, Response, Status, week_of
    from workplace.demo import seed_demo_logins, seed_organisation
    from workplace.models import Audience, Department, Employee

    rng = random.Random(7)
    departments = seed_organisation(rng)
    seed_demo_logins(departments)
    pool = list(Department.objects.all())
    existing = Employee.objects.count()
    sites = list(Employee.objects.exclude(site=None).values_list("site_id", flat=True).distinct())
    Employee.objects.bulk_create(
        [
            Employee(
                username=f"bench{n}",
                personnel_number=f"9{n:06d}",
                first_name="Bench",
                last_name=f"Medewerker {n}",
                department=rng.choice(pool),
                site_id=rng.choice(sites),
                is_field_worker=rng.random() < 0.33,
            )
            for n in range(max(0, answers - existing))
        ],
        batch_size=1000,
    )
    hr = Employee.objects.get(username="hr")
    audience = Audience.objects.create(all_staff=True)
    survey = demo.build("Lezersbevraging gent&co", hr, audience)
    questions = {q.code: q for q in Question.objects.filter(section__survey=survey)}
    people = list(Employee.objects.select_related("department")[:answers])
    units: dict = {}
    responses, participations = [], []
    for person in people:
        if person.department_id not in units:
            units[person.department_id] = reporting_unit(person)
        responses.append(
            Response(
                survey=survey,
                week=week_of(survey.created.date()),
                unit=units[person.department_id],
                site_id=person.site_id,
                is_field_worker=person.is_field_worker,
                answers=demo.simulated_answers(rng, person, questions),
            )
        )
        participations.append(Participation(survey=survey, employee=person, submitted=True))
    Response.objects.bulk_create(responses, batch_size=1000)
    Participation.objects.bulk_create(participations, batch_size=1000)
    survey.status = Status.CLOSED
    survey.save(update_fields=["status"])
    return survey, hr


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=8000)
    parser.add_argument("--rounds", type=int, default=40)
    options = parser.parse_args()
    call_command("migrate", verbosity=0)
    survey, hr = build_city(options.answers)
    print(f"Werkplek surveys benchmark — {os.cpu_count()} cores, SQLite")
    print(f"{survey.responses.count()} answers, {options.rounds} requests per page\n")
    client = Client(HTTP_HOST="localhost")
    client.force_login(hr)
    base = f"/enquetes/beheer/{survey.pk}/resultaten/"
    pages = [
        ("bare Django view (baseline)", BARE_URL),
        ("results, everyone together", base),
        ("results per department", base + "?per=department"),
        ("results per service", base + "?per=service"),
        ("results per work site", base + "?per=site"),
        ("results per field/office", base + "?per=kind"),
    ]
    baseline = None
    print(f"{'page':30} {'p50 ms':>8} {'p95 ms':>8} {'x bare':>7} {'queries':>8} {'KB html':>8}")
    with with_bare_view():
        for label, url in pages:
            timings, queries, size = measure(client, url, options.rounds)
            p50 = statistics.median(timings)
            baseline = baseline or p50
            print(
                f"{label:30} {p50:8.1f} {percentile(timings, 0.95):8.1f} {p50 / baseline:7.0f}"
                f" {queries:8d} {size / 1024:8.1f}"
            )
    # The page keeps a closed survey's figures in the cache; the first view computes them.
    from surveys import results

    print("\nuncached computation (first view after closing), 10 runs each")
    print(f"{'split':30} {'p50 ms':>8} {'max ms':>8}")
    for split in [None, *results.SPLITS]:
        timings = []
        for _ in range(10):
            start = time.perf_counter()
            results.build(survey, split=split)
            timings.append((time.perf_counter() - start) * 1000)
        label = split or "everyone together"
        print(f"{label:30} {statistics.median(timings):8.1f} {max(timings):8.1f}")


if __name__ == "__main__":
    main()
