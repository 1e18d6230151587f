"""The e-mail digest: what could wait, in one mail per working day or per week.

``delivery.plan`` puts e-mail of kinds that can wait in status DIGEST. ``send_digests``
(every 15 minutes, and ``manage.py send_digests``) sends each recipient whose digest
is due one mail with their unread items, grouped by kind:

* only within the recipient's working hours (the right to disconnect);
* daily: once per working period, from its start on;
* weekly: once, in the first working period of the ISO week (a Monday for most);
* at most once per period: ``DeliveryProfile.digest_sent`` remembers the last one.

The entries are claimed by one conditional UPDATE that marks them with this run's
token, so two workers never put one entry in two mails. Items read in the app
meanwhile, or whose target is no longer listed, are left out (SKIPPED). Each
entry's outcome is logged as a ``DeliveryAttempt`` for the admin's delivery log. A
mail server failing puts the entries back for the next run.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications.delivery import DIGEST_CLAIM, profiles
from notifications.email import DIGEST, _message, address_of, language_of, mask
from notifications.models import (
    Channel,
    Delivery,
    DeliveryAttempt,
    DeliveryProfile,
    DeliveryStatus,
    Digest,
    Notification,
    NotificationKind,
)
from notifications.quiet import WorkingHours
from notifications.targets import listed_q
from notifications.text import absolute, describe
from workplace.models import Employee

logger = logging.getLogger(__name__)


def current_period(profile: DeliveryProfile, now: datetime) -> tuple[datetime, datetime] | None:
    """The working period ``now`` falls in, or None outside working hours."""
    hours = WorkingHours.of(profile)
    for start, end in hours.periods_around(timezone.localtime(now).date()):
        if start <= now < end:
            return start, end
    return None


def is_due(profile: DeliveryProfile, now: datetime) -> bool:
    """Whether this recipient's digest goes out now (see the module's docstring)."""
    if profile.digest == Digest.NEVER:
        return False
    period = current_period(profile, now)
    if period is None:
        return False
    start = period[0]
    if profile.digest_sent is not None and profile.digest_sent >= start:
        return False  # this period's digest went already
    if profile.digest == Digest.WEEKLY:
        days = {int(d) for d in profile.work_days if d.isdigit()}
        if start.isoweekday() != min(days):
            return False
        local = timezone.localtime(start)
        week_start = local.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(
            days=local.isoweekday() - 1
        )
        if profile.digest_sent is not None and profile.digest_sent >= week_start:
            return False
    return True


@dataclass
class Group:
    label: str
    items: list = field(default_factory=list)


def _log(entries: list[int], outcome: str, detail: str, now: datetime) -> None:
    """Each entry's outcome in the delivery log, and on the entry itself."""
    DeliveryAttempt.objects.bulk_create(
        [
            DeliveryAttempt(delivery_id=pk, at=now, outcome=outcome, detail=detail[:500])
            for pk in entries
        ]
    )
    fields: dict = {"status": outcome, "detail": detail[:255]}
    if outcome in (DeliveryStatus.SENT, DeliveryStatus.SKIPPED, DeliveryStatus.FAILED):
        fields["finished"] = now
    Delivery.objects.filter(pk__in=entries).update(**fields)


def claim(recipient_id: int, now: datetime) -> list[Delivery]:
    """Take this recipient's waiting entries; a second worker finds none left to take."""
    token = f"{DIGEST_CLAIM}{uuid.uuid4().hex}"
    Delivery.objects.filter(
        recipient_id=recipient_id,
        channel=Channel.EMAIL,
        status=DeliveryStatus.DIGEST,
        not_before__lte=now,
        # not_before becomes the time of the claim, as ``delivery.claim`` does: only a
        # claim older than ``delivery.STALE_SENDING`` counts as a lost worker's.
    ).update(
        status=DeliveryStatus.SENDING, detail=token, attempts=F("attempts") + 1, not_before=now
    )
    return list(
        Delivery.objects.filter(
            recipient_id=recipient_id, status=DeliveryStatus.SENDING, detail=token
        )
        .select_related("notification__actor", "notification__recipient")
        .order_by("created", "pk")
    )


def send_digest(employee: Employee, profile: DeliveryProfile, now: datetime) -> bool:
    """Send this recipient's digest now; True when a mail went out."""
    entries = claim(employee.pk, now)
    if not entries:
        return False
    listed = set(
        Notification.objects.filter(pk__in=[e.notification_id for e in entries])
        .filter(listed_q())
        .values_list("pk", flat=True)
    )
    read = [e.pk for e in entries if e.notification.read is not None]
    gone = [e.pk for e in entries if e.notification_id not in listed and e.pk not in read]
    if read:
        _log(read, DeliveryStatus.SKIPPED, "read in the app", now)
    if gone:
        _log(gone, DeliveryStatus.SKIPPED, "no longer visible", now)
    left = [e for e in entries if e.pk not in read and e.pk not in gone]
    if not left:
        return False
    address = address_of(employee, profile) if employee.is_active else ""
    if not address:
        _log([e.pk for e in left], DeliveryStatus.FAILED, "no e-mail address any more", now)
        return False
    try:
        digest_message(employee, profile, address, [e.notification for e in left]).send()
    except Exception as error:  # the mail server: everything waits for the next run
        logger.warning("digest for %s failed: %s", employee.pk, error)
        pks = [e.pk for e in left]
        DeliveryAttempt.objects.bulk_create(
            [
                DeliveryAttempt(
                    delivery_id=pk,
                    at=now,
                    outcome=DeliveryStatus.RETRYING,
                    detail=f"{type(error).__name__}: {error}"[:500],
                )
                for pk in pks
            ]
        )
        Delivery.objects.filter(pk__in=pks).update(status=DeliveryStatus.DIGEST, detail="")
        return False
    with transaction.atomic():
        _log([e.pk for e in left], DeliveryStatus.SENT, f"digest to {mask(address)}", now)
        DeliveryProfile.objects.update_or_create(employee=employee, defaults={"digest_sent": now})
    return True


def digest_message(
    employee: Employee, profile: DeliveryProfile, address: str, lines: list[Notification]
) -> EmailMultiAlternatives:
    with translation.override(language_of(employee)):
        weekly = profile.digest == Digest.WEEKLY
        heading = _("New for you this week") if weekly else _("New for you today")
        groups: dict[str, Group] = {}
        for kind in NotificationKind:  # the kinds' own order
            for line in lines:
                if line.kind == kind:
                    group = groups.setdefault(kind, Group(str(kind.label)))
                    group.items.append(describe(line, Channel.EMAIL))
        count = len(lines)
        subject = _("Werkplek: %(heading)s (%(count)s)") % {"heading": heading, "count": count}
    return _message(
        employee,
        address,
        "digest",
        {
            "subject": subject,
            "heading": heading,
            "groups": list(groups.values()),
            "notifications_url": absolute(reverse("notifications")),
        },
        unsubscribe_kind=DIGEST,
    )


def send_digests(now: datetime | None = None) -> int:
    """Send every digest due at ``now``; returns how many mails went out."""
    now = now or timezone.now()
    waiting = set(
        Delivery.objects.filter(
            channel=Channel.EMAIL, status=DeliveryStatus.DIGEST, not_before__lte=now
        ).values_list("recipient_id", flat=True)
    )
    if not waiting:
        return 0
    by_profile = profiles(waiting)
    # Digest switched off after planning: nothing of it will go.
    off = [pk for pk, profile in by_profile.items() if profile.digest == Digest.NEVER]
    if off:
        stale = list(
            Delivery.objects.filter(
                recipient_id__in=off, channel=Channel.EMAIL, status=DeliveryStatus.DIGEST
            ).values_list("pk", flat=True)
        )
        _log(stale, DeliveryStatus.SKIPPED, "digest switched off", now)
    due = [pk for pk, profile in by_profile.items() if is_due(profile, now)]
    employees = Employee.objects.in_bulk(due)
    sent = 0
    for pk in sorted(due):
        if pk in employees and send_digest(employees[pk], by_profile[pk], now):
            sent += 1
    return sent
