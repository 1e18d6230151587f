"""Reading notifications and preferences: who wants what, what is unread, the list."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, QuerySet

from notifications.models import (
    ALWAYS_IN_APP,
    CHANNEL_KINDS,
    CHOSEN_KINDS,
    Channel,
    Notification,
    NotificationPreference,
    default_enabled,
)
from notifications.targets import listed_q
from workplace.models import Employee


def wanting(user_ids: Iterable[int], kind: str, channel: str = Channel.IN_APP) -> list[int]:
    """The users among ``user_ids`` who want ``kind`` notifications on ``channel``."""
    ids = set(user_ids)
    if not ids or kind not in CHANNEL_KINDS[channel]:
        return []
    if channel == Channel.IN_APP and kind in ALWAYS_IN_APP:
        return sorted(ids)
    changed = dict(
        NotificationPreference.objects.filter(
            employee_id__in=ids, kind=kind, channel=channel
        ).values_list("employee_id", "enabled")
    )
    default = default_enabled(kind, channel)
    return sorted(pk for pk in ids if changed.get(pk, default))


def preferences_for(user: Employee) -> dict[tuple[str, str], bool]:
    """The user's choice for every (kind, channel) that can be chosen."""
    chosen = {
        (kind, channel): enabled
        for kind, channel, enabled in NotificationPreference.objects.filter(
            employee=user
        ).values_list("kind", "channel", "enabled")
    }
    return {
        (kind, channel): chosen.get((kind, channel), default_enabled(kind, channel))
        for kind in CHOSEN_KINDS
        for channel in Channel.values
        if kind in CHANNEL_KINDS[channel]
        and not (channel == Channel.IN_APP and kind in ALWAYS_IN_APP)
    }


def unread_count(user: Employee) -> int:
    if not user.is_authenticated:
        return 0
    # What the list shows, counted: a badge must not count lines nobody can find.
    return Notification.objects.filter(recipient=user, read=None).filter(listed_q()).count()


def unread_counts(user_ids: Iterable[int]) -> dict[int, int]:
    rows = (
        Notification.objects.filter(recipient_id__in=set(user_ids), read=None)
        .filter(listed_q())
        .values("recipient_id")
        .annotate(n=Count("id"))
    )
    return {row["recipient_id"]: row["n"] for row in rows}


def for_user(user: Employee) -> QuerySet[Notification]:
    """The user's notifications, newest first, without those of hidden targets."""
    return (
        Notification.objects.filter(recipient=user)
        .filter(listed_q())
        .select_related("actor")
        .order_by("-updated", "-id")
    )


def told_since(user_ids: Iterable[int], group_key: str, since) -> set[int]:
    """Those among ``user_ids`` with a line of ``group_key`` started at or after ``since``."""
    return set(
        Notification.objects.filter(
            group_key=group_key, recipient_id__in=list(user_ids), created__gte=since
        ).values_list("recipient_id", flat=True)
    )
