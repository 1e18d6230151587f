"""The verbs of notifications: ``notify`` (the one way in for every app), reading, choosing.

Call ``notify`` inside the transaction that made the news: the lines are written
in it, and the unread counts go out only after it commits.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from notifications.events import send_unread_on_commit
from notifications.models import (
    CHANNEL_KINDS,
    Channel,
    Delivery,
    DeliveryProfile,
    DeliveryStatus,
    HoursSource,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from notifications.queries import wanting
from notifications.tasks import deliver_on_commit
from workplace.models import Employee
from workplace.shifts import WorkingHours

TITLE_LENGTH = Notification._meta.get_field("title").max_length or 255


def notify(
    recipients: Iterable[int],
    kind: str,
    target: Model | None = None,
    *,
    actor: Employee | None = None,
    title: str = "",
    url: str = "",
    exclude: Iterable[int] = (),
    group_key: str = "",
    merge: bool = False,
    urgent: bool = False,
) -> list[int]:
    """Tell ``recipients`` (employee ids) about ``target``; returns who was told.

    Never the actor, nor anyone in ``exclude`` (who heard of it otherwise), nor
    anyone who switched ``kind`` off. ``title`` and ``url`` are what the line
    shows and links to (``url`` defaults to the target's ``get_absolute_url()``).

    With ``merge=True`` (needs ``actor`` and ``group_key``) the actor joins the
    recipient's unread line for ``group_key`` ("Alice en 4 anderen") instead of
    starting a new one; an actor already on that line changes nothing.

    After commit the lines go out on the recipients' other channels (push,
    e-mail, SMS; ``notifications.delivery``), in their working hours unless
    ``urgent``. Callers pass only recipients who may see the target: the same
    access helpers decide as for the page.
    """
    if merge and (actor is None or not group_key):
        raise ValueError("merge=True needs an actor and a group_key")
    skip = set(exclude) | ({actor.pk} if actor else set())
    ids = wanting((pk for pk in recipients if pk not in skip), kind, Channel.IN_APP)
    if len(title) > TITLE_LENGTH:  # a line shows the start; the target has the rest
        title = title[: TITLE_LENGTH - 1].rstrip() + "…"
    if not url and target is not None and hasattr(target, "get_absolute_url"):
        url = target.get_absolute_url()
    fields = {
        "kind": kind,
        "actor": actor,
        "title": title,
        "url": url,
        "group_key": group_key,
        "urgent": urgent,
        "target_type": ContentType.objects.get_for_model(target) if target else None,
        "target_id": target.pk if target else None,
    }
    if merge:
        # A grouped line goes out once, when it is started: later actors only join it.
        started = [_merge_line(pk, fields) for pk in ids]
        ids = [pk for pk, line in zip(ids, started, strict=True) if line is not None]
        new_lines = [line for line in started if type(line) is int]
    else:
        now = timezone.now()
        new_lines = [
            line.pk
            for line in Notification.objects.bulk_create(
                Notification(recipient_id=pk, created=now, updated=now, **fields) for pk in ids
            )
        ]
    send_unread_on_commit(ids)
    deliver_on_commit(new_lines)
    return ids


def _merge_line(recipient_id: int, fields: dict) -> int | bool | None:
    """Add the actor to the recipient's unread line for the group, or start one.

    Returns the new line's id, True when the actor joined an open line, None when
    the actor was on that line already (nothing changed).
    """
    actor = fields["actor"]
    now = timezone.now()
    line = (
        Notification.objects.select_for_update()
        .filter(recipient_id=recipient_id, group_key=fields["group_key"], read=None)
        .first()
    )
    if line is None:
        line = Notification.objects.create(
            recipient_id=recipient_id, created=now, updated=now, **fields
        )
        line.actors.add(actor)
        return line.pk
    if line.actors.filter(pk=actor.pk).exists():
        return None
    line.actors.add(actor)
    Notification.objects.filter(pk=line.pk).update(
        actor=actor, actor_count=F("actor_count") + 1, updated=now
    )
    return True


def mark_read(user: Employee, ids: Iterable[int] | None = None) -> int:
    """Mark the user's unread lines read (all, or those of ``ids``); returns how many."""
    lines = Notification.objects.filter(recipient=user, read=None)
    if ids is not None:
        lines = lines.filter(pk__in=list(ids))
    changed = lines.update(read=timezone.now())
    if changed:
        send_unread_on_commit([user.pk])
    return changed


def mark_opened(line: Notification, channel: str) -> None:
    """The recipient followed the link of a push message or an e-mail (the reach figures)."""
    if channel in (Channel.PUSH, Channel.EMAIL, Channel.SMS):
        Delivery.objects.filter(
            notification=line, channel=channel, status=DeliveryStatus.SENT, opened=None
        ).update(opened=timezone.now())


def save_preferences(user: Employee, chosen: dict[tuple[str, str], bool]) -> None:
    """Store the user's choice per (kind, channel)."""
    with transaction.atomic():
        for (kind, channel), enabled in chosen.items():
            NotificationPreference.objects.update_or_create(
                employee=user, kind=kind, channel=channel, defaults={"enabled": enabled}
            )


def send_test(user: Employee) -> list[str]:
    """One test notification now, on every channel the user set up; returns those channels.

    It bypasses quiet hours (the employee asked for it, now) and goes in the app too,
    so that the bell shows what push and e-mail should have brought.
    """
    from notifications import delivery

    channels = [
        channel
        for channel in delivery.OUTSIDE_CHANNELS
        if NotificationKind.TEST in CHANNEL_KINDS[channel]
        and user.pk in delivery.sender(channel).reachable({user.pk})
    ]
    with transaction.atomic():
        notify(
            [user.pk],
            NotificationKind.TEST,
            title=gettext("Test notification"),
            url=reverse("preferences"),
            urgent=True,
        )
    return channels


def save_working_hours(user: Employee, hours: WorkingHours) -> None:
    """The employee's own working hours: from now on they, not HR's shift pattern, decide."""
    DeliveryProfile.objects.update_or_create(
        employee=user,
        defaults={
            "work_days": hours.day_digits,
            "work_start": hours.start,
            "work_end": hours.end,
            "hours_source": HoursSource.SELF,
        },
    )
