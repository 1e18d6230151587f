"""Delivery outside the app: which channels, when, once, and what became of it.

``notify()`` writes the in-app lines in the caller's transaction; after commit
``plan`` (a background job) decides, per line, which channels go out:

* the recipient wants the kind on the channel (``queries.wanting``) and can be
  reached on it (a push subscription, a work or confirmed personal e-mail
  address, a confirmed SMS number: each sender's ``reachable``);
* e-mail of a kind that can wait goes into the recipient's digest;
* outside the recipient's working hours it waits for the next working period
  (``quiet``), unless the line is urgent.

Each (line, channel, round) is one ``Delivery`` with a unique key: planning
twice, a retry or a second worker never sends twice. ``send`` claims a due
delivery by one conditional UPDATE, calls the channel's sender, and records the
attempt; a failure is retried with back-off (``workplace.jobs.backoff``) until
``MAX_ATTEMPTS``, then given up. Nothing is sent about a target the recipient can
no longer see in the app, nor what they read in the app meanwhile.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from notifications import quiet
from notifications.models import (
    IMMEDIATE_EMAIL_KINDS,
    Channel,
    Delivery,
    DeliveryAttempt,
    DeliveryProfile,
    DeliveryStatus,
    Digest,
    Notification,
)
from notifications.queries import wanting
from notifications.targets import listed_q
from workplace.jobs import backoff
from workplace.models import Employee

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
# A delivery claimed this long ago without an outcome lost its worker (a crash): it is retried.
STALE_SENDING = timedelta(minutes=15)
# The details a claim writes on what it took: a digest's (``digests.claim``), a send's.
DIGEST_CLAIM = "digest:"
SEND_CLAIM = "send:"
SENDER_PATHS: dict[str, str] = {
    Channel.PUSH: "notifications.push.PushSender",
    Channel.EMAIL: "notifications.email.EmailSender",
    Channel.SMS: "notifications.sms.SmsSender",
}
OUTSIDE_CHANNELS = list(SENDER_PATHS)


class Undeliverable(Exception):
    """Sending cannot succeed, now or later (no device left, an address gone): do not retry."""


class Sender(Protocol):
    def reachable(self, employee_ids: set[int]) -> set[int]:
        """Those among ``employee_ids`` who set this channel up."""

    def send(self, delivery: Delivery) -> str:
        """Deliver; return what happened, for the log. Raise ``Undeliverable`` or fail to retry."""


_senders: dict[str, Sender] = {}


def sender(channel: str) -> Sender:
    if channel not in _senders:
        _senders[channel] = import_string(SENDER_PATHS[channel])()
    return _senders[channel]


@dataclass(frozen=True)
class Planned:
    due_now: list[int]
    held: int
    digest: int


def profiles(employee_ids: Iterable[int]) -> dict[int, DeliveryProfile]:
    """Each employee's profile (unsaved defaults for those who never changed theirs),
    with HR's ``shift_pattern`` beside it for ``quiet.hours_of``."""
    ids = set(employee_ids)
    found = {p.employee_id: p for p in DeliveryProfile.objects.filter(employee_id__in=ids)}
    shifts = dict(
        Employee.objects.filter(pk__in=ids)
        .exclude(shift_pattern="")
        .values_list("pk", "shift_pattern")
    )
    result = {}
    for pk in ids:
        profile = found.get(pk) or DeliveryProfile(employee_id=pk)
        profile.shift_pattern = shifts.get(pk, "")
        result[pk] = profile
    return result


def plan(
    notification_ids: Iterable[int],
    *,
    channels: Iterable[str] | None = None,
    round: int = 0,
    now: datetime | None = None,
) -> Planned:
    """Create the deliveries of these lines (on ``channels``, all by default); the ids due now."""
    now = now or timezone.now()
    channels = OUTSIDE_CHANNELS if channels is None else channels
    lines = list(
        Notification.objects.filter(pk__in=list(notification_ids)).values(
            "pk", "recipient_id", "kind", "urgent"
        )
    )
    if not lines:
        return Planned([], 0, 0)
    recipients = {line["recipient_id"] for line in lines}
    by_profile = profiles(recipients)
    rows: list[Delivery] = []
    for channel in channels:
        reachable = sender(channel).reachable(recipients)
        for kind in {line["kind"] for line in lines}:
            wants = set(wanting(reachable, kind, channel))
            for line in lines:
                if line["kind"] != kind or line["recipient_id"] not in wants:
                    continue
                profile = by_profile[line["recipient_id"]]
                status = DeliveryStatus.QUEUED
                if channel == Channel.EMAIL and kind not in IMMEDIATE_EMAIL_KINDS:
                    if profile.digest == Digest.NEVER:
                        continue
                    status = DeliveryStatus.DIGEST
                not_before = now if line["urgent"] else quiet.next_moment(profile, now)
                rows.append(
                    Delivery(
                        notification_id=line["pk"],
                        recipient_id=line["recipient_id"],
                        channel=channel,
                        key=f"{line['pk']}:{channel}:{round}",
                        status=status,
                        not_before=not_before,
                        created=now,
                    )
                )
    # Planned before (a retry of this job, a second worker): those rows stay as they are.
    planned_before = set(
        Delivery.objects.filter(key__in=[row.key for row in rows]).values_list("key", flat=True)
    )
    rows = [row for row in rows if row.key not in planned_before]
    Delivery.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    due = [row for row in rows if row.status == DeliveryStatus.QUEUED and row.not_before <= now]
    held = sum(1 for row in rows if row.status == DeliveryStatus.QUEUED and row.not_before > now)
    digest = sum(1 for row in rows if row.status == DeliveryStatus.DIGEST)
    due_ids = list(
        Delivery.objects.filter(key__in=[row.key for row in due]).values_list("pk", flat=True)
    )
    return Planned(due_ids, held, digest)


def claim(delivery_ids: Iterable[int], now: datetime) -> list[Delivery]:
    """Take the due ones among these deliveries for sending, in one UPDATE; those another
    worker took, or that are done, are left out.

    The claim writes a token of its own into ``detail`` to find what it took, and makes
    ``not_before`` the time of the claim: a claim too old lost its worker (``due``).
    """
    token = f"{SEND_CLAIM}{uuid.uuid4().hex}"
    Delivery.objects.filter(
        pk__in=list(delivery_ids),
        status__in=[DeliveryStatus.QUEUED, DeliveryStatus.RETRYING],
        not_before__lte=now,
    ).update(
        status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, not_before=now, detail=token
    )
    return list(
        Delivery.objects.filter(status=DeliveryStatus.SENDING, detail=token)
        # What the senders read: the line, its actor and recipient (the language), the recipient.
        .select_related("notification__actor", "notification__recipient", "recipient")
        .order_by("pk")
    )


def record(
    delivery: Delivery, outcome: str, detail: str, *, not_before: datetime | None = None
) -> None:
    now = timezone.now()
    with transaction.atomic():
        DeliveryAttempt.objects.create(
            delivery=delivery, at=now, outcome=outcome, detail=detail[:500]
        )
        fields: dict[str, object] = {"status": outcome, "detail": detail[:255]}
        if outcome in (DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.SKIPPED):
            fields["finished"] = now
        if not_before is not None:
            fields["not_before"] = not_before
        Delivery.objects.filter(pk=delivery.pk).update(**fields)


def why_not(delivery: Delivery, listed: set[int]) -> str:
    """A reason not to send any more, or "" (the line was read, or its target is gone).

    ``listed``: the ids of the lines whose targets may still be shown (``listed_q``)."""
    line = delivery.notification
    if line.read is not None and not line.urgent:
        return "read in the app"
    if line.pk not in listed:
        return "no longer visible"
    return ""


def send(delivery_id: int, *, now: datetime | None = None) -> str:
    """Send one due delivery (if this worker claims it); returns its new status."""
    return send_many([delivery_id], now=now).get(delivery_id, "claimed")


def send_many(delivery_ids: Iterable[int], *, now: datetime | None = None) -> dict[int, str]:
    """Send the due ones among these deliveries; returns the new status of each one sent.

    One claim and one visibility check for all of them; then each is sent and its
    outcome recorded at once, so that a worker dying mid-way repeats at most the one
    delivery in hand.
    """
    now = now or timezone.now()
    claimed = claim(delivery_ids, now)
    if not claimed:
        return {}
    listed = set(
        Notification.objects.filter(pk__in=[d.notification_id for d in claimed])
        .filter(listed_q())
        .values_list("pk", flat=True)
    )
    return {delivery.pk: _send_one(delivery, listed, now) for delivery in claimed}


def _send_one(delivery: Delivery, listed: set[int], now: datetime) -> str:
    reason = why_not(delivery, listed)
    if reason:
        record(delivery, DeliveryStatus.SKIPPED, reason)
        return DeliveryStatus.SKIPPED
    try:
        detail = sender(delivery.channel).send(delivery)
    except Undeliverable as error:
        record(delivery, DeliveryStatus.FAILED, str(error) or type(error).__name__)
        return DeliveryStatus.FAILED
    except Exception as error:  # a gateway or a mail server failing: try again later
        logger.warning("delivery %s on %s failed: %s", delivery.pk, delivery.channel, error)
        text = f"{type(error).__name__}: {error}"
        if delivery.attempts >= MAX_ATTEMPTS:
            record(delivery, DeliveryStatus.FAILED, text)
            return DeliveryStatus.FAILED
        record(delivery, DeliveryStatus.RETRYING, text, not_before=now + backoff(delivery.attempts))
        return DeliveryStatus.RETRYING
    record(delivery, DeliveryStatus.SENT, detail)
    return DeliveryStatus.SENT


def due(now: datetime | None = None, limit: int = 5000) -> list[int]:
    """Deliveries whose time has come (held by quiet hours, or waiting to retry)."""
    now = now or timezone.now()
    # A claim older than STALE_SENDING lost its worker: it is retried; a digest's entries
    # (claimed under a "digest:" token) wait for the next digest, not for a mail each.
    stale = Delivery.objects.filter(
        status=DeliveryStatus.SENDING, not_before__lte=now - STALE_SENDING
    )
    stale.filter(detail__startswith=DIGEST_CLAIM).update(status=DeliveryStatus.DIGEST, detail="")
    stale.update(status=DeliveryStatus.RETRYING)
    return list(
        Delivery.objects.filter(
            status__in=[DeliveryStatus.QUEUED, DeliveryStatus.RETRYING], not_before__lte=now
        )
        .order_by("not_before")
        .values_list("pk", flat=True)[:limit]
    )
