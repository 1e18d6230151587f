"""The verbs of notifications: ``notify`` (the one way in for every app), reading, choosing.

Call ``notify`` inside the transaction that made the news: the lines are written
in it, and the unread counts go out only after it commits.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone

from notifications.events import send_unread_on_commit
from notifications.models import Channel, Notification, NotificationPreference
from notifications.queries import wanting
from workplace.models import Employee


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
) -> list[int]:
    """Tell ``recipients`` (employee ids) about ``target``; returns who was told.

    Never the actor, nor anyone in ``exclude`` (who heard of it otherwise), nor
    anyone who switched ``kind`` off. ``title`` and ``url`` are what the line
    shows and links to (``url`` defaults to the target's ``get_absolute_url()``).

    With ``merge=True`` (needs ``actor`` and ``group_key``) the actor joins the
    recipient's unread line for ``group_key`` ("Alice en 4 anderen") instead of
    starting a new one; an actor already on that line changes nothing.

    Today the only channel is Werkplek itself (``Channel.IN_APP``). Delivery
    beyond it (push, e-mail, SMS) belongs behind this call: each channel asks
    ``wanting(ids, kind, channel)`` and delivers after commit, and callers stay
    as they are.
    """
    if merge and (actor is None or not group_key):
        raise ValueError("merge=True needs an actor and a group_key")
    skip = set(exclude) | ({actor.pk} if actor else set())
    ids = wanting((pk for pk in recipients if pk not in skip), kind, Channel.IN_APP)
    if not url and target is not None and hasattr(target, "get_absolute_url"):
        url = target.get_absolute_url()
    fields = {
        "kind": kind,
        "actor": actor,
        "title": title,
        "url": url,
        "group_key": group_key,
        "target_type": ContentType.objects.get_for_model(target) if target else None,
        "target_id": target.pk if target else None,
    }
    if merge:
        ids = [pk for pk in ids if _merge_line(pk, fields)]
    else:
        now = timezone.now()
        Notification.objects.bulk_create(
            Notification(recipient_id=pk, created=now, updated=now, **fields) for pk in ids
        )
    send_unread_on_commit(ids)
    return ids


def _merge_line(recipient_id: int, fields: dict) -> bool:
    """Add the actor to the recipient's unread line for the group, or start one.

    Returns False when the actor was on that line already (nothing changed).
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
        return True
    if line.actors.filter(pk=actor.pk).exists():
        return False
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


def save_preferences(user: Employee, chosen: dict[tuple[str, str], bool]) -> None:
    """Store the user's choice per (kind, channel)."""
    with transaction.atomic():
        for (kind, channel), enabled in chosen.items():
            NotificationPreference.objects.update_or_create(
                employee=user, kind=kind, channel=channel, defaults={"enabled": enabled}
            )
