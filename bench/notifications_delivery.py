"""Delivery benchmark: one announcement to 8,000 employees, out by push and into digests.

Run: .venv/bin/python bench/notifications_delivery.py [--employees 8000] [--workers 1 2]
     [--redis redis://127.0.0.1:6379/6] [--database-url postgres://...]

Every employee has one browser subscribed to push (a push service on loopback,
``tests/push_service.py``, that answers 201 like the real ones), a work e-mail
address, push switched on for announcements and working hours around the clock.
The communication team posts one announcement to all staff; the clock runs until
every push request has reached the push service, every delivery is recorded as
sent and every digest entry is written.

Interleaved in the same run, the baseline: the same 8,000 encrypted push
requests sent by one plain loop over pywebpush, without planning, queue,
claims or the delivery log. Then Werkplek with one and with two ``run_huey``
consumers (``HUEY_WORKERS`` threads each), every round on a fresh slate.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

from common import ROOT, start_django

parser = argparse.ArgumentParser()
parser.add_argument("--employees", type=int, default=8000)
parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
parser.add_argument("--threads", type=int, default=2, help="threads per consumer")
parser.add_argument("--rounds", type=int, default=1)
parser.add_argument("--redis", default="", help="REDIS_URL for the queue (else SQLite)")
parser.add_argument("--database-url", default="", help="DATABASE_URL (else SQLite)")
arguments = parser.parse_args()

os.environ.setdefault("LOG_LEVEL", "WARNING")
if arguments.redis:
    os.environ["REDIS_URL"] = arguments.redis
start_django("delivery", database_url=arguments.database_url)

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from huey.contrib.djhuey import HUEY  # noqa: E402
from pywebpush import webpush  # noqa: E402

from tests.push_service import FakeBrowser, PushService  # noqa: E402


def prepare(service: PushService, count: int) -> tuple[object, list]:
    from django.contrib.auth.models import Group

    from notifications.models import DeliveryProfile, NotificationPreference, PushSubscription
    from workplace.models import Department, Employee
    from workplace.roles import Role

    call_command("migrate", verbosity=0)  # a fresh database: start_django's data directory
    department = Department.objects.create(code="GRN", name="Groendienst")
    browser = FakeBrowser(service.endpoint("x"))
    Employee.objects.bulk_create(
        [
            Employee(
                username=f"e{n}",
                personnel_number=f"{n:06d}",
                first_name="Medewerker",
                last_name=str(n),
                email=f"e{n}@stad.gent",
                department=department,
                password="!",
            )
            for n in range(count)
        ],
        batch_size=1000,
    )
    ids = list(Employee.objects.values_list("pk", flat=True))
    PushSubscription.objects.bulk_create(
        [
            PushSubscription(
                employee_id=pk,
                endpoint=service.endpoint(f"e{pk}"),
                p256dh=browser.p256dh,
                auth=browser.auth,
            )
            for pk in ids
        ],
        batch_size=1000,
    )
    NotificationPreference.objects.bulk_create(
        [
            NotificationPreference(
                employee_id=pk, kind="announcement", channel="push", enabled=True
            )
            for pk in ids
        ],
        batch_size=1000,
    )
    DeliveryProfile.objects.bulk_create(
        [
            DeliveryProfile(
                employee_id=pk, work_days="1234567", work_start="00:00", work_end="23:59"
            )
            for pk in ids
        ],
        batch_size=1000,
    )
    author = Employee.objects.create(
        username="lies", personnel_number="999999", first_name="Lies", department=department
    )
    author.groups.add(Group.objects.get(name=Role.COMMUNICATION))
    return author, list(PushSubscription.objects.all())


PAYLOAD = json.dumps(
    {
        "title": "Werkplek",
        "body": "Aankondiging: de stadhuistoren is dicht tot maandag",
        "url": "https://werkplek.stad.gent/meldingen/1/?via=push",
    }
)


def bare_loop(subscriptions: list, service: PushService) -> float:
    """The baseline: the same encrypted requests from one loop, nothing recorded."""
    import requests
    from django.conf import settings

    from notifications.push import vapid

    service.received.clear()
    started = time.perf_counter()
    with requests.Session() as session:
        for subscription in subscriptions:
            webpush(
                {
                    "endpoint": subscription.endpoint,
                    "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
                },
                data='{"title":"Werkplek","body":"Aankondiging: de stadhuistoren is dicht","url":"https://werkplek.stad.gent/meldingen/1/"}',
                vapid_private_key=vapid(),
                vapid_claims={"sub": settings.WEBPUSH_SUBJECT},
                content_encoding="aes128gcm",
                ttl=3600,
                requests_session=session,
            )
    elapsed = time.perf_counter() - started
    assert len(service.received) == len(subscriptions)
    return elapsed


def worker_env(service: PushService) -> dict[str, str]:
    from django.conf import settings

    database = settings.DATABASES["default"]
    url = arguments.database_url or f"sqlite:///{database['NAME']}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "workplace.settings",
        "DATABASE_URL": url,
        "HUEY_IMMEDIATE": "false",
        "HUEY_WORKERS": str(arguments.threads),
        "WEBPUSH_EXTRA_ENDPOINTS": f"{service.url}/",
        "LOG_LEVEL": "WARNING",
    }


def werkplek(author, count: int, consumers: int, service: PushService) -> dict[str, float]:
    from notifications.models import Delivery, DeliveryStatus, Notification
    from streams import actions

    Notification.objects.all().delete()
    service.received.clear()
    HUEY.flush()
    env = worker_env(service)
    processes = [
        subprocess.Popen(
            [sys.executable, "manage.py", "run_huey", "-w", str(arguments.threads), "-k", "thread"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(consumers)
    ]
    time.sleep(4)  # the consumers start; not counted
    try:
        started = time.perf_counter()
        actions.create_post(
            author, f"De stadhuistoren is dicht tot maandag ({consumers})", is_announcement=True
        )
        committed = time.perf_counter()
        pushed = digested = None
        while True:
            received = len(service.received)
            if pushed is None and received >= count:
                pushed = time.perf_counter()
            sent = Delivery.objects.filter(channel="push", status=DeliveryStatus.SENT).count()
            digest = Delivery.objects.filter(channel="email", status=DeliveryStatus.DIGEST).count()
            if digested is None and digest >= count:
                digested = time.perf_counter()
            if pushed and digested and sent >= count:
                recorded = time.perf_counter()
                break
            if time.perf_counter() - started > 900:
                raise RuntimeError(f"stuck: {received} pushed, {sent} sent, {digest} digest")
            time.sleep(0.05)
    finally:
        for process in processes:
            process.send_signal(2)
        for process in processes:
            process.wait(timeout=30)
    assert len(service.received) == count, "a push went out twice"
    return {
        "request": committed - started,
        "pushed": pushed - started,
        "digest": digested - started,
        "recorded": recorded - started,
    }


def main() -> None:
    HUEY.immediate = False
    count = arguments.employees
    with PushService() as service:
        from django.conf import settings

        settings.WEBPUSH_EXTRA_ENDPOINTS = [f"{service.url}/"]
        author, subscriptions = prepare(service, count)
        from notifications.push import public_key

        public_key()  # the key file exists before the workers start
        queue = "Redis" if arguments.redis else "SQLite"
        print(f"{count} employees, {connection.vendor}, queue: {queue}")
        columns = ("request", "all pushed", "digest", "recorded", "push/s")
        print(f"{'run':<32} " + " ".join(f"{name:>10}" for name in columns))
        for _round in range(arguments.rounds):
            bare = bare_loop(subscriptions, service)
            label = "baseline: one plain loop"
            print(f"{label:<32} {'':>10} {bare:>9.1f}s {'':>10} {'':>10} {count / bare:>10.0f}")
            for consumers in arguments.workers:
                figures = werkplek(author, count, consumers, service)
                workers = f"{consumers} worker{'s' if consumers > 1 else ''}"
                label = f"Werkplek, {workers} x {arguments.threads} threads"
                print(
                    f"{label:<32} {figures['request']:>9.2f}s {figures['pushed']:>9.1f}s "
                    f"{figures['digest']:>9.1f}s {figures['recorded']:>9.1f}s "
                    f"{count / figures['pushed']:>10.0f}"
                )


if __name__ == "__main__":
    main()
