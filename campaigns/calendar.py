"""The communication team's calendar: every campaign and announcement of the coming weeks,
and the weeks in which someone would get more than the weekly limit (dosing, 2.4.1).

The warning counts people, not audiences: two announcements to "Groendienst" and
one to "all field workers" are three for a gardener. Each audience's members are
asked once (one query per distinct audience), then counted in Python.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from campaigns.models import Announcement, Campaign
from workplace.audiences import describe, members


@dataclass
class Entry:
    """An announcement in the calendar, with whom it is for in words."""

    item: Announcement
    audience_text: str


@dataclass
class Week:
    starts: date
    campaigns: list[Campaign] = field(default_factory=list)
    items: list[Entry] = field(default_factory=list)
    crowded: int = 0  # people who would get more than the limit this week
    most: int = 0  # the most items one person gets this week

    @property
    def ends(self) -> date:
        return self.starts + timedelta(days=6)

    @property
    def number(self) -> int:
        return self.starts.isocalendar()[1]


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weeks(
    announcements: QuerySet[Announcement],
    campaigns: QuerySet[Campaign],
    *,
    start: date | None = None,
    count: int = 6,
    limit: int | None = None,
) -> list[Week]:
    limit = settings.CAMPAIGN_WEEKLY_LIMIT if limit is None else limit
    first = monday(start or timezone.localdate())
    result = [Week(first + timedelta(weeks=n)) for n in range(count)]
    end = result[-1].ends
    tz = timezone.get_current_timezone()
    window = (
        timezone.make_aware(datetime.combine(first, time.min), tz),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz),
    )
    items = list(
        announcements.filter(withdrawn=None, publish_at__range=window)
        .select_related("audience", "campaign")
        .order_by("publish_at", "pk")
    )
    running = list(campaigns.filter(Q(starts__lte=end) & Q(ends__gte=first)).order_by("starts"))
    by_week: dict[date, list[Entry]] = defaultdict(list)
    for item in items:
        week_of = monday(timezone.localtime(item.publish_at).date())
        by_week[week_of].append(Entry(item, describe(item.audience)))
    member_ids: dict[int, list[int]] = {}
    for week in result:
        week.items = by_week.get(week.starts, [])
        week.campaigns = [c for c in running if c.starts <= week.ends and c.ends >= week.starts]
        per_person: Counter[int] = Counter()
        for entry in week.items:
            item = entry.item
            if item.audience_id not in member_ids:
                member_ids[item.audience_id] = list(
                    members(item.audience).values_list("pk", flat=True)
                )
            per_person.update(member_ids[item.audience_id])
        week.most = max(per_person.values(), default=0)
        week.crowded = sum(1 for n in per_person.values() if n > limit)
    return result
