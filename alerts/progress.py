"""How far an urgent message got: acknowledged of told, per department.

Only aggregates, never names, and no group under ``MIN_GROUP`` people: small
departments are merged into "other departments" (and when that group is small
itself, the smallest departments join it until it is not).

Those told are the message's notification lines (``notify`` writes one per
person the audience reached when it was sent); a test to the sender has none.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet

from alerts.models import Acknowledgement, UrgentMessage
from notifications.models import Notification, NotificationKind

MIN_GROUP = 5


@dataclass
class Group:
    name: str
    acknowledged: int
    total: int
    other: bool = False

    @property
    def percent(self) -> int:
        return round(100 * self.acknowledged / self.total) if self.total else 0


@dataclass
class Progress:
    groups: list[Group]
    acknowledged: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.acknowledged / self.total) if self.total else 0


def lines(message: UrgentMessage) -> QuerySet[Notification]:
    """The notification lines of the message's send: one per person told."""
    return Notification.objects.filter(
        kind=NotificationKind.URGENT,
        target_type=ContentType.objects.get_for_model(UrgentMessage),
        target_id=message.pk,
    )


def unacknowledged_lines(message: UrgentMessage) -> QuerySet[Notification]:
    acknowledged = Acknowledgement.objects.filter(message=message).values("employee_id")
    return lines(message).exclude(recipient_id__in=acknowledged)


def progress(message: UrgentMessage) -> Progress:
    acknowledged = Acknowledgement.objects.filter(message=message).values("employee_id")
    rows = (
        lines(message)
        .values("recipient__department_id", "recipient__department__name")
        .annotate(
            total=Count("pk"),
            acknowledged=Count("pk", filter=Q(recipient_id__in=acknowledged)),
        )
        .order_by()
    )
    named: list[Group] = []
    other = Group("", 0, 0, other=True)
    for row in rows:
        if row["recipient__department_id"] and row["total"] >= MIN_GROUP:
            named.append(
                Group(row["recipient__department__name"], row["acknowledged"], row["total"])
            )
        else:
            other.acknowledged += row["acknowledged"]
            other.total += row["total"]
    # A small "other" group would tell about its few members: the smallest departments join it.
    named.sort(key=lambda g: (g.total, g.name))
    while other.total and other.total < MIN_GROUP and named:
        smallest = named.pop(0)
        other.acknowledged += smallest.acknowledged
        other.total += smallest.total
    groups = sorted(named, key=lambda g: g.name.lower())
    if other.total:
        groups.append(other)
    return Progress(
        groups,
        acknowledged=sum(g.acknowledged for g in groups),
        total=sum(g.total for g in groups),
    )
