"""Reach: recording who got how far with an announcement, as counts.

Recording (``record``) costs a fixed handful of indexed queries whatever the
number of events: one look-up of the person's mark, and one upsert per stage
counted. Reading the counts back, protected, is ``campaigns.report``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import NamedTuple

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac

from campaigns.models import (
    Announcement,
    Reach,
    ReachChannel,
    ReachCount,
    ReachGroup,
    ReachMark,
    Stage,
)
from workplace.models import Employee

# Reaching a stage counts as reaching the stages it implies: an opened or acted-on
# announcement was seen. Delivery is what a mark starts with.
IMPLIED = {
    Stage.SEEN: Stage.SEEN,
    Stage.OPENED: Stage.OPENED | Stage.SEEN,
    Stage.ACTED: Stage.ACTED | Stage.SEEN,
    # Confirming "read" is acting on it, and is also counted on its own (as KUS does).
    Stage.ACKNOWLEDGED: Stage.ACKNOWLEDGED | Stage.ACTED | Stage.SEEN,
}
SHOWN_STAGES = (Stage.SEEN, Stage.OPENED, Stage.ACTED, Stage.ACKNOWLEDGED)


def measuring_days() -> int:
    return settings.CAMPAIGN_REACH_DAYS


def person_key(subject: str, employee_id: int) -> str:
    """A keyed hash: the marks table cannot be read as "who saw what" without the server's
    secret, and the hash differs per announcement (``Reach.subject``), so marks of two
    cannot be linked."""
    return salted_hmac("campaigns.reach", f"{subject}:{employee_id}").hexdigest()[:32]


def subjects_of(announcement: Announcement) -> list[str]:
    """``Reach.subject`` of the announcement's reach and its campaign's, known without
    asking the database: the keys of its marks follow from them."""
    subjects = [f"announcement:{announcement.pk}"]
    if announcement.campaign_id:
        subjects.append(f"campaign:{announcement.campaign_id}")
    return subjects


def reaches_of(announcement: Announcement) -> list[Reach]:
    """The announcement's own reach first, then its campaign's: one query."""
    mine = Q(announcement_id=announcement.pk)
    if announcement.campaign_id:
        mine |= Q(campaign_id=announcement.campaign_id)
    return sorted(Reach.objects.filter(mine), key=lambda reach: reach.announcement_id is None)


def reach_for(*, announcement=None, campaign=None, directive=None, until: datetime) -> Reach:
    """The reach row of an announcement, a campaign or a directive, made on first use."""
    if announcement is not None:
        lookup = {"announcement": announcement}
    elif campaign is not None:
        lookup = {"campaign": campaign}
    else:
        lookup = {"directive": directive}
    reach, created = Reach.objects.get_or_create(**lookup, defaults={"measured_until": until})
    if not created and reach.measured_until < until:
        Reach.objects.filter(pk=reach.pk).update(measured_until=until)
        reach.measured_until = until
    return reach


# --- recording --------------------------------------------------------------------------


def _count(
    reach_id: int,
    group_id: int,
    day: date,
    channel: str,
    stage: int,
    people: int,
    events: int,
    *,
    durable: bool = True,
) -> None:
    """Add to one counter in one statement, whether it exists yet or not.

    The ORM has no increment-on-conflict (``bulk_create(update_conflicts=True)`` sets
    the new values, it does not add them), so this is SQL — the same on SQLite 3.24+
    and PostgreSQL — on the counter's unique key. (The ``WHERE`` is what SQLite needs
    to tell an upsert's ``ON CONFLICT`` from a join's ``ON``.)

    ``durable=False``, on PostgreSQL outside any transaction: the statement's own commit
    does not wait for the disk (``set_config(…, true)`` lasts until that commit), so a
    crash of the database server may lose the last milliseconds of such counts.
    """
    table = connection.ops.quote_name(ReachCount._meta.db_table)
    condition = "1 = 1"
    if not durable and connection.vendor == "postgresql" and not connection.in_atomic_block:
        condition = "set_config('synchronous_commit', 'off', true) IS NOT NULL"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (reach_id, group_id, day, channel, stage, people, events) "
            f"SELECT %s, %s, %s, %s, %s, %s, %s WHERE {condition} "
            "ON CONFLICT (reach_id, group_id, day, channel, stage) DO UPDATE SET "
            f"people = {table}.people + excluded.people, "
            f"events = {table}.events + excluded.events",
            [
                reach_id,
                group_id,
                connection.ops.adapt_datefield_value(day),
                channel,
                int(stage),
                people,
                events,
            ],
        )


def _group_key(employee: Employee) -> dict:
    return {
        "department_id": employee.department_id,
        "site_id": employee.site_id,
        "field_worker": employee.is_field_worker,
    }


def deliver(reach: Reach, people: QuerySet[Employee], *, now: datetime | None = None) -> int:
    """Count a delivery to ``people`` (a queryset of employees); returns how many were new.

    One query for the groups, one bulk insert of marks per thousand people; someone
    already delivered to (an edit, the campaign's second item) is not counted twice.
    """
    now = now or timezone.now()
    day = timezone.localdate(now)
    rows = list(people.values_list("pk", "department_id", "site_id", "is_field_worker"))
    known = set(ReachMark.objects.filter(reach=reach).values_list("person", flat=True))
    fresh = []
    for pk, department_id, site_id, field_worker in rows:
        key = person_key(reach.subject, pk)
        if key not in known:
            known.add(key)
            fresh.append((key, (department_id, site_id, field_worker)))
    if not fresh:
        return 0
    sizes: dict[tuple, int] = defaultdict(int)
    for _key, group in fresh:
        sizes[group] += 1
    groups = {
        (g.department_id, g.site_id, g.field_worker): g
        for g in ReachGroup.objects.filter(reach=reach)
    }
    for group, size in sizes.items():
        if group in groups:
            ReachGroup.objects.filter(pk=groups[group].pk).update(audience=F("audience") + size)
        else:
            department_id, site_id, field_worker = group
            groups[group] = ReachGroup.objects.create(
                reach=reach,
                department_id=department_id,
                site_id=site_id,
                field_worker=field_worker,
                audience=size,
            )
    ReachMark.objects.bulk_create(
        [
            ReachMark(reach=reach, person=key, group_id=groups[group].pk, stages=Stage.DELIVERED)
            for key, group in fresh
        ],
        batch_size=1000,
    )
    for group, size in sizes.items():
        _count(reach.pk, groups[group].pk, day, ReachChannel.STREAM, Stage.DELIVERED, size, size)
    return len(fresh)


class _Mark(NamedTuple):
    pk: int
    group_id: int
    stages: int
    reach_id: int
    campaign_id: int | None
    measured_until: datetime


@contextmanager
def _counting(stage: Stage) -> Iterator[None]:
    """The transaction of one recording. On PostgreSQL a count of impressions may lose its
    last milliseconds in a crash of the database server, so its commit need not wait
    for the disk; a confirmation of "read" (named, acknowledged to the reader) does."""
    # Inside someone else's transaction (a directive confirmed, say) the setting would
    # hold for all of that transaction's writes: then the commit waits for the disk.
    relaxed = stage != Stage.ACKNOWLEDGED and not connection.in_atomic_block
    with transaction.atomic():
        if relaxed and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        yield


def _late_mark(reach: Reach, employee: Employee, key: str, day: date) -> ReachMark:
    """Someone who joined the audience after publication (a new colleague): delivered now."""
    group, _created = ReachGroup.objects.get_or_create(reach=reach, **_group_key(employee))
    try:
        with transaction.atomic():
            mark = ReachMark.objects.create(
                reach=reach, person=key, group=group, stages=Stage.DELIVERED
            )
    except IntegrityError:
        return ReachMark.objects.get(reach=reach, person=key)
    ReachGroup.objects.filter(pk=group.pk).update(audience=F("audience") + 1)
    _count(reach.pk, group.pk, day, ReachChannel.STREAM, Stage.DELIVERED, 1, 1)
    return mark


def record(
    announcement: Announcement, employee: Employee, stage: Stage, channel: str, *, now=None
) -> bool:
    """Count that ``employee`` reached ``stage`` through ``channel``; True when they had not
    reached it before (for the announcement; its campaign counts too). Callers have
    checked that the employee is in its audience."""
    return _record(
        subjects_of(announcement), lambda: reaches_of(announcement), employee, stage, channel, now
    )


def record_in(
    reaches: list[Reach], employee: Employee, stage: Stage, channel: str, *, now=None
) -> bool:
    """``record`` for any reaches (the first one's answer is returned)."""
    return _record([r.subject for r in reaches], lambda: reaches, employee, stage, channel, now)


def _record(subjects, load_reaches, employee, stage, channel, now) -> bool:
    """Past a reach's measuring period nothing is counted for it.

    Someone seen before (most impressions) costs one query for their marks, with their
    reaches, and one upsert; a first time adds the reaches, the marks' conditional
    updates and a counter per stage reached.
    """
    now = now or timezone.now()
    day = timezone.localdate(now)
    bits = IMPLIED[stage]
    keys = {person_key(subject, employee.pk): subject for subject in subjects}
    # Plain tuples: this is the hot path of every impression, no model instances.
    marks = {
        keys[person]: _Mark(pk, group_id, stages, reach_id, campaign_id, measured_until)
        for pk, person, group_id, stages, reach_id, campaign_id, measured_until in (
            ReachMark.objects.filter(person__in=keys).values_list(
                "pk",
                "person",
                "group_id",
                "stages",
                "reach_id",
                "reach__campaign_id",
                "reach__measured_until",
            )
        )
    }
    if all(subject in marks and not bits & ~marks[subject].stages for subject in subjects):
        # Seen before: only how often. A campaign counts people, its items the events.
        counters = [
            seen
            for seen in (marks[subject] for subject in subjects)
            if seen.campaign_id is None and seen.measured_until >= now
        ]
        if len(counters) == 1 and stage != Stage.ACKNOWLEDGED:
            # One statement is atomic by itself: no transaction around it.
            only = counters[0]
            _count(only.reach_id, only.group_id, day, channel, stage, 0, 1, durable=False)
        elif counters:
            with _counting(stage):
                for counter in counters:
                    _count(counter.reach_id, counter.group_id, day, channel, stage, 0, 1)
        return False
    measured = [reach for reach in load_reaches() if reach.measured_until >= now]
    if not measured:
        return False
    first = None
    with _counting(stage):
        for reach in measured:
            mark = marks.get(reach.subject) or _late_mark(
                reach, employee, person_key(reach.subject, employee.pk), day
            )
            stages = mark.stages
            # A conditional update: two requests at once cannot both count the first time.
            while bits & ~stages:
                if ReachMark.objects.filter(pk=mark.pk, stages=stages).update(stages=stages | bits):
                    break
                stages = ReachMark.objects.filter(pk=mark.pk).values_list("stages", flat=True).get()
            new = bits & ~stages
            if first is None:
                first = bool(new & stage)
            for one in SHOWN_STAGES:
                # A campaign counts people; how often its items were seen is each item's.
                counts_events = one == stage and reach.campaign_id is None
                if one & bits and (one & new or counts_events):
                    _count(
                        reach.pk,
                        mark.group_id,
                        day,
                        channel,
                        one,
                        1 if one & new else 0,
                        1 if counts_events else 0,
                    )
    return bool(first)


def forget_marks(now: datetime | None = None) -> int:
    """Delete the marks of every reach whose measuring period is over: only counts remain."""
    now = now or timezone.now()
    deleted, _rows = ReachMark.objects.filter(reach__measured_until__lt=now).delete()
    return deleted
