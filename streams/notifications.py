"""Who hears about what: notifications, grouped reactions and preferences."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, F, Q
from django.utils import timezone

from streams.events import send_unread_on_commit
from streams.models import (
    DEFAULT_CHANNELS,
    Channel,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from workplace.models import Employee


def wanting(user_ids: Iterable[int], kind: str, channel: str = Channel.IN_APP) -> list[int]:
    """The users among ``user_ids`` who want ``kind`` notifications on ``channel``."""
    ids = set(user_ids)
    if not ids:
        return []
    changed = dict(
        NotificationPreference.objects.filter(
            employee_id__in=ids, kind=kind, channel=channel
        ).values_list("employee_id", "enabled")
    )
    default = DEFAULT_CHANNELS[channel]
    return sorted(pk for pk in ids if changed.get(pk, default))


def preferences_for(user: Employee) -> dict[tuple[str, str], bool]:
    chosen = {
        (kind, channel): enabled
        for kind, channel, enabled in NotificationPreference.objects.filter(
            employee=user
        ).values_list("kind", "channel", "enabled")
    }
    return {
        (kind, channel): chosen.get((kind, channel), DEFAULT_CHANNELS[channel])
        for kind in NotificationKind.values
        for channel in Channel.values
    }


def notify(
    recipient_ids: Iterable[int],
    kind: str,
    *,
    actor: Employee | None = None,
    exclude: Iterable[int] = (),
    **fields,
) -> list[int]:
    """One notification per recipient who wants it (never the actor); returns their ids."""
    skip = set(exclude) | ({actor.pk} if actor else set())
    recipients = wanting((pk for pk in recipient_ids if pk not in skip), kind)
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(recipient_id=pk, kind=kind, actor=actor, created=now, updated=now, **fields)
        for pk in recipients
    )
    send_unread_on_commit(recipients)
    return recipients


def notify_grouped(recipient: Employee, kind: str, group_key: str, actor: Employee, **fields):
    """Add ``actor`` to the recipient's unread line for ``group_key``, or start one."""
    if actor.pk == recipient.pk or not wanting([recipient.pk], kind):
        return None
    now = timezone.now()
    line = (
        Notification.objects.select_for_update()
        .filter(recipient=recipient, group_key=group_key, read=None)
        .first()
    )
    if line is None:
        line = Notification.objects.create(
            recipient=recipient,
            kind=kind,
            actor=actor,
            group_key=group_key,
            created=now,
            updated=now,
            **fields,
        )
        line.actors.add(actor)
    elif not line.actors.filter(pk=actor.pk).exists():
        line.actors.add(actor)
        Notification.objects.filter(pk=line.pk).update(
            actor=actor, actor_count=F("actor_count") + 1, updated=now
        )
    else:
        return line
    send_unread_on_commit([recipient.pk])
    return line


def unread_count(user: Employee) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read=None).count()


def unread_counts(user_ids: Iterable[int]) -> dict[int, int]:
    rows = (
        Notification.objects.filter(recipient_id__in=set(user_ids), read=None)
        .values("recipient_id")
        .annotate(n=Count("id"))
    )
    return {row["recipient_id"]: row["n"] for row in rows}


def mark_read(user: Employee, ids: Iterable[int] | None = None) -> int:
    lines = Notification.objects.filter(recipient=user, read=None)
    if ids is not None:
        lines = lines.filter(pk__in=list(ids))
    changed = lines.update(read=timezone.now())
    if changed:
        send_unread_on_commit([user.pk])
    return changed


def for_user(user: Employee):
    return (
        Notification.objects.filter(recipient=user)
        .filter(Q(post=None) | Q(post__deleted=None, post__hidden=None))
        .select_related("actor", "post", "space", "comment")
        .order_by("-updated", "-id")
    )
