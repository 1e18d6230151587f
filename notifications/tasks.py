"""Delivery's background jobs (Huey imports every app's ``tasks`` module).

``plan_deliveries`` runs after the commit of every ``notify()``; the lines of
one call are planned in chunks, and the deliveries due at once are sent in
chunks, so that an announcement to 8,000 people spreads over all workers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import transaction

from notifications import delivery
from workplace import jobs
from workplace.jobs import crontab

PLAN_CHUNK = 500
SEND_CHUNK = 50


def chunks(ids: Sequence[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def deliver_on_commit(notification_ids: Sequence[int], *, round: int = 0, channels=None) -> None:
    """After the caller's commit, plan the deliveries of these lines in the background."""
    ids = list(notification_ids)
    if not ids:
        return

    def enqueue() -> None:
        for chunk in chunks(ids, PLAN_CHUNK):
            plan_deliveries(chunk, round=round, channels=channels)

    transaction.on_commit(enqueue)


@jobs.job(retries=5, priority=10)
def plan_deliveries(notification_ids: list[int], round: int = 0, channels=None) -> int:
    planned = delivery.plan(notification_ids, round=round, channels=channels)
    for chunk in chunks(planned.due_now, SEND_CHUNK):
        send_deliveries(chunk)
    return len(planned.due_now)


@jobs.job(retries=0, priority=5)
def send_deliveries(delivery_ids: list[int]) -> dict[str, int]:
    """Each delivery records its own outcome and retry; this job itself never needs one."""
    outcomes: dict[str, int] = {}
    for outcome in delivery.send_many(delivery_ids).values():
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


@jobs.periodic(crontab(minute="*"))
def send_due() -> int:
    """Every minute: what quiet hours held back, and what waits for its retry."""
    ids = delivery.due()
    for chunk in chunks(ids, SEND_CHUNK):
        send_deliveries(chunk)
    return len(ids)


@jobs.periodic(crontab(minute="*/15"))
def send_digests_due() -> int:
    """Every quarter of an hour: the e-mail digests that are due (notifications/digests.py)."""
    # Imported here: digests → email → actions imports this module.
    from notifications.digests import send_digests

    return send_digests()
