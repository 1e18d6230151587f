"""The reach report: the counts of ``campaigns.reach`` read back, protected.

Reading (``figures``) aggregates ``ReachCount`` rows, whose number is bounded by
groups, days, channels and stages and not by the number of events.

What is shown is protected as survey results are (``surveys.protection``): a
split's groups are partitions of the people the announcement was delivered to,
a group under ``MIN_GROUP`` people is merged into "Overige", and neither
"Overige" nor what is left of a department around its services may be a group
of 1 to 4 people. The channel split is checked on its counts themselves.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Sum
from django.utils.translation import gettext as _

from campaigns.models import (
    Reach,
    ReachChannel,
    ReachCount,
    ReachGroup,
    Stage,
)
from campaigns.reach import SHOWN_STAGES
from surveys.protection import popcount, protect
from workplace.models import Department, WorkSite

MIN_GROUP = 5
SPLITS = ("department", "service", "worker_kind", "site", "channel")


@dataclass
class SplitRow:
    name: str
    audience: int | None
    seen: int
    opened: int
    acted: int
    acknowledged: int
    other: bool = False

    @property
    def reach_percent(self) -> float | None:
        return round(100 * self.seen / self.audience, 1) if self.audience else None

    @classmethod
    def of(
        cls, name: str, audience: int | None, people: dict[int, int], *, other: bool = False
    ) -> SplitRow:
        """A row from the people per stage (``SHOWN_STAGES``)."""
        return cls(
            name,
            audience,
            people.get(Stage.SEEN, 0),
            people.get(Stage.OPENED, 0),
            people.get(Stage.ACTED, 0),
            people.get(Stage.ACKNOWLEDGED, 0),
            other=other,
        )

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "audience": self.audience,
            "seen": self.seen,
            "opened": self.opened,
            "acted": self.acted,
            "acknowledged": self.acknowledged,
        }


@dataclass
class DayRow:
    day: date
    seen: int  # cumulative people
    opened: int
    acted: int
    acknowledged: int


@dataclass
class Figures:
    audience_size: int = 0
    delivered: int = 0
    seen: int = 0
    opened: int = 0
    acted: int = 0
    acknowledged: int = 0
    events: dict[int, int] = field(default_factory=dict)
    splits: dict[str, list[SplitRow]] = field(default_factory=dict)
    days: list[DayRow] = field(default_factory=list)

    def rate(self, part: int) -> float:
        return round(100 * part / self.audience_size, 1) if self.audience_size else 0.0

    @property
    def reach_percent(self) -> float:
        return self.rate(self.seen)

    @property
    def open_percent(self) -> float:
        return self.rate(self.opened)

    @property
    def act_percent(self) -> float:
        return self.rate(self.acted)

    @property
    def acknowledged_percent(self) -> float:
        return self.rate(self.acknowledged)

    def as_json(self) -> dict:
        return {
            "audience_size": self.audience_size,
            "delivered": self.delivered,
            "seen": self.seen,
            "opened": self.opened,
            "acted": self.acted,
            "acknowledged": self.acknowledged,
            "splits": {name: [row.as_json() for row in rows] for name, rows in self.splits.items()},
        }


def totals(reach: Reach | None) -> Figures:
    """Only the totals (the items side by side): two aggregate queries."""
    result = Figures()
    if reach is None:
        return result
    result.audience_size = (
        ReachGroup.objects.filter(reach=reach).aggregate(n=Sum("audience"))["n"] or 0
    )
    by_stage = dict(
        ReachCount.objects.filter(reach=reach)
        .values("stage")
        .annotate(people=Sum("people"))
        .order_by()
        .values_list("stage", "people")
    )
    result.delivered = by_stage.get(Stage.DELIVERED, 0)
    result.seen, result.opened, result.acted, result.acknowledged = (
        by_stage.get(s, 0) for s in SHOWN_STAGES
    )
    return result


def _department_names() -> tuple[dict[int, Department], dict[int, str]]:
    departments = {d.pk: d for d in Department.objects.only("pk", "name", "path", "depth")}
    return departments, {pk: d.name for pk, d in departments.items()}


def _level(departments: dict[int, Department], department_id: int | None, depth: int) -> int | None:
    department = departments.get(department_id) if department_id else None
    if department is None:
        return None
    ancestors = department.ancestor_ids()
    return ancestors[depth] if len(ancestors) > depth else None


def figures(reach: Reach | None) -> Figures:
    """Everything a dashboard shows about one reach, protected; four aggregate queries."""
    result = Figures()
    if reach is None:
        return result
    groups = list(ReachGroup.objects.filter(reach=reach).order_by("pk"))
    per_group: dict[tuple[int, int], int] = {}
    for row in (
        ReachCount.objects.filter(reach=reach)
        .values("group_id", "stage")
        .annotate(people=Sum("people"), events=Sum("events"))
        .order_by()
    ):
        per_group[row["group_id"], row["stage"]] = row["people"]
        result.events[row["stage"]] = result.events.get(row["stage"], 0) + row["events"]
    result.audience_size = sum(g.audience for g in groups)
    result.delivered = sum(per_group.get((g.pk, Stage.DELIVERED), 0) for g in groups)
    totals = {s: sum(per_group.get((g.pk, s), 0) for g in groups) for s in SHOWN_STAGES}
    result.seen, result.opened, result.acted, result.acknowledged = (
        totals[s] for s in SHOWN_STAGES
    )

    departments, names = _department_names()
    sites = dict(WorkSite.objects.values_list("pk", "name"))
    kinds = {True: _("field workers"), False: _("office workers")}
    keys = {
        "department": lambda g: _level(departments, g.department_id, 0),
        "service": lambda g: _level(departments, g.department_id, 1),
        "worker_kind": lambda g: g.field_worker,
        "site": lambda g: g.site_id,
    }
    labels = {
        "department": lambda k: names.get(k, ""),
        "service": lambda k: names.get(k, ""),
        "worker_kind": lambda k: str(kinds[k]),
        "site": lambda k: sites.get(k, ""),
    }
    # Each person is an index: a group's people are one run of indexes.
    start, spans = 0, {}
    for group in groups:
        spans[group.pk] = (start, group.audience)
        start += group.audience
    universe = (1 << start) - 1
    masks: dict[str, dict] = {name: defaultdict(int) for name in keys}
    members: dict[str, dict] = {name: defaultdict(list) for name in keys}
    for group in groups:
        offset, size = spans[group.pk]
        run = ((1 << size) - 1) << offset
        for name, key_of in keys.items():
            key = key_of(group)
            if key is not None:
                masks[name][key] |= run
                members[name][key].append(group)
    shown = protect({name: dict(groups_) for name, groups_ in masks.items()}, universe, MIN_GROUP)
    for name in keys:
        rows = []
        for key in sorted(shown[name], key=lambda k: labels[name](k)):
            in_group = members[name][key]
            people: dict[int, int] = {
                s: sum(per_group.get((g.pk, s), 0) for g in in_group) for s in SHOWN_STAGES
            }
            rows.append(SplitRow.of(labels[name](key), popcount(shown[name][key]), people))
        rest = result.audience_size - sum(r.audience or 0 for r in rows)
        if rest >= MIN_GROUP:  # less only when the whole audience is: then no split at all
            shown_people = {
                Stage.SEEN: sum(r.seen for r in rows),
                Stage.OPENED: sum(r.opened for r in rows),
                Stage.ACTED: sum(r.acted for r in rows),
                Stage.ACKNOWLEDGED: sum(r.acknowledged for r in rows),
            }
            remainder: dict[int, int] = {s: totals[s] - shown_people[s] for s in SHOWN_STAGES}
            rows.append(SplitRow.of(_("Other"), rest, remainder, other=True))
        result.splits[name] = rows
    result.splits["channel"] = _channel_rows(reach)
    result.days = _days(reach)
    return result


def _channel_rows(reach: Reach) -> list[SplitRow]:
    """Per channel, the people whose first time at a stage came through it. A channel
    with a count of 1 to 4 joins "Overige", and so does the smallest until "Overige"
    has none either."""
    counts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for row in (
        ReachCount.objects.filter(reach=reach, stage__in=SHOWN_STAGES)
        .values("channel", "stage")
        .annotate(people=Sum("people"))
        .order_by()
    ):
        counts[row["channel"]][row["stage"]] += row["people"]
    labels = dict(ReachChannel.choices)

    def small(values: dict[int, int]) -> bool:
        return any(0 < values.get(s, 0) < MIN_GROUP for s in SHOWN_STAGES)

    def rest() -> dict[int, int]:
        return {
            s: sum(v.get(s, 0) for c, v in counts.items() if c not in shown) for s in SHOWN_STAGES
        }

    shown = {c: v for c, v in counts.items() if not small(v)}
    while shown and small(rest()):
        del shown[min(shown, key=lambda c: (sum(shown[c].values()), c))]
    rows = [
        SplitRow.of(str(labels.get(c, c)), None, shown[c])
        for c in sorted(shown, key=lambda c: (-shown[c].get(Stage.SEEN, 0), c))
    ]
    other = rest()
    # When even everything together has a count of 1 to 4, there is no figure per channel.
    if any(other.values()) and not small(other):
        rows.append(SplitRow.of(_("Other"), None, other, other=True))
    return rows


def _days(reach: Reach) -> list[DayRow]:
    daily: dict[date, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for row in (
        ReachCount.objects.filter(reach=reach, stage__in=SHOWN_STAGES)
        .values("day", "stage")
        .annotate(people=Sum("people"))
        .order_by()
    ):
        daily[row["day"]][row["stage"]] += row["people"]
    running = {s: 0 for s in SHOWN_STAGES}
    rows = []
    for day in sorted(daily):
        for stage in SHOWN_STAGES:
            running[stage] += daily[day][stage]
        rows.append(
            DayRow(
                day,
                running[Stage.SEEN],
                running[Stage.OPENED],
                running[Stage.ACTED],
                running[Stage.ACKNOWLEDGED],
            )
        )
    return rows
