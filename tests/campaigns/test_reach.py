"""Reach: each counter and channel, counted once per person, stored as counts only, and
never shown for a group under five people — not even by subtracting one figure from another."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from campaigns import actions, reach, report
from campaigns.models import Reach, ReachChannel, ReachCount, ReachMark, Stage
from tests.campaigns.conftest import scheduled
from tests.factories import DepartmentFactory, EmployeeFactory
from workplace.models import Audience, WorkSite

pytestmark = pytest.mark.django_db


def published(author, audience, **fields):
    item = scheduled(author, audience, minutes=-1, **fields)
    actions.do_publish(item)
    item.refresh_from_db()
    return item


def figures_of(item) -> report.Figures:
    return report.figures(Reach.objects.get(announcement=item))


def test_delivery_counts_the_audience_at_publication(lies, alice, bob, carol, facility_audience):
    item = published(lies, facility_audience)
    result = figures_of(item)
    assert (result.audience_size, result.delivered) == (2, 2)
    assert (result.seen, result.opened, result.acted) == (0, 0, 0)


def test_each_stage_counts_a_person_once_and_implies_seen(lies, alice, bob, facility_audience):
    item = published(lies, facility_audience)
    assert reach.record(item, alice, Stage.SEEN, ReachChannel.WEB)
    assert not reach.record(item, alice, Stage.SEEN, ReachChannel.WEB)  # the second look
    assert reach.record(item, bob, Stage.OPENED, ReachChannel.PUSH)  # opened: seen too
    assert reach.record(item, bob, Stage.ACTED, ReachChannel.TERMINAL)
    result = figures_of(item)
    assert (result.seen, result.opened, result.acted) == (2, 1, 1)
    assert result.events[Stage.SEEN] == 2  # alice twice; bob's seen came with opening
    assert result.reach_percent == 100.0


def test_impressions_are_counts_not_rows_per_person_and_moment(lies, alice, bob, facility_audience):
    item = published(lies, facility_audience)
    for _ in range(20):
        reach.record(item, alice, Stage.SEEN, ReachChannel.WEB)
    counts = ReachCount.objects.filter(reach__announcement=item, stage=Stage.SEEN)
    assert counts.count() == 1
    assert (counts.get().people, counts.get().events) == (1, 20)
    # The marks hold no employee and cannot be joined across announcements.
    assert {f.name for f in ReachMark._meta.fields} == {"id", "reach", "person", "group", "stages"}
    other = published(lies, facility_audience, title="Nog een")
    marks = {
        one.pk: set(
            ReachMark.objects.filter(reach__announcement=one).values_list("person", flat=True)
        )
        for one in (item, other)
    }
    assert len(marks[item.pk]) == 2 and not marks[item.pk] & marks[other.pk]


def test_the_measuring_period_ends_and_only_counts_remain(
    settings, lies, alice, bob, facility_audience
):
    settings.CAMPAIGN_REACH_DAYS = 10
    item = published(lies, facility_audience)
    reach.record(item, alice, Stage.SEEN, ReachChannel.WEB)
    with time_machine.travel(timezone.now() + timedelta(days=11)):
        assert not reach.record(item, bob, Stage.SEEN, ReachChannel.WEB)
        assert reach.forget_marks() == 2
    assert not ReachMark.objects.exists()
    assert figures_of(item).seen == 1


def test_a_campaign_counts_a_person_who_saw_two_items_once(lies, alice, bob, campaign):
    first = published(lies, campaign.audience, campaign=campaign)
    second = published(lies, campaign.audience, campaign=campaign, title="Tweede")
    reach.record(first, alice, Stage.SEEN, ReachChannel.WEB)
    reach.record(second, alice, Stage.OPENED, ReachChannel.WEB)
    totals = report.figures(Reach.objects.get(campaign=campaign))
    assert (totals.audience_size, totals.seen, totals.opened) == (2, 1, 1)
    assert figures_of(first).seen == figures_of(second).seen == 1


def test_a_colleague_who_joins_the_audience_later_is_counted_delivered(
    lies, alice, organisation, facility_audience
):
    item = published(lies, facility_audience)
    newcomer = EmployeeFactory(department=organisation["buildings"])
    reach.record(item, newcomer, Stage.OPENED, ReachChannel.WEB)
    result = figures_of(item)
    assert (result.audience_size, result.delivered, result.opened) == (2, 2, 1)


# --- the minimum group and differencing ---------------------------------------------------------


@pytest.fixture
def city(lies):
    """Two departments: Groen (a service of 12 and one of 3) and Wegen (8); two sites."""
    groen = DepartmentFactory(code="GR", name="Groen", kind="departement")
    parks = DepartmentFactory(code="GR-P", name="Parken", parent=groen)
    nursery = DepartmentFactory(code="GR-K", name="Kwekerij", parent=groen)
    roads = DepartmentFactory(code="WE", name="Wegen", kind="departement")
    depot = WorkSite.objects.create(name="Depot Noord")
    office = WorkSite.objects.create(name="AC Zuid")
    people = (
        [EmployeeFactory(department=parks, site=depot, is_field_worker=True) for _ in range(12)]
        + [EmployeeFactory(department=nursery, site=depot, is_field_worker=True) for _ in range(3)]
        + [EmployeeFactory(department=roads, site=office) for _ in range(8)]
    )
    audience = Audience.objects.create()
    audience.departments.add(groen, roads)
    return people, audience


def all_rows(result: report.Figures):
    return [row for rows in result.splits.values() for row in rows]


def test_no_split_shows_a_group_under_five(lies, city):
    people, audience = city
    item = published(lies, audience)
    for person in people[:14]:
        reach.record(item, person, Stage.SEEN, ReachChannel.WEB)
    result = figures_of(item)
    for row in all_rows(result):
        assert row.audience is None or row.audience >= report.MIN_GROUP, row
    services = {row.name for row in result.splits["service"]}
    assert "Kwekerij" not in services  # 3 people
    assert "Overige" in services  # the control: counted among the others


def test_a_department_minus_its_shown_services_does_not_reveal_a_small_group(lies, city):
    """Groen (15) = Parken (12) + Kwekerij (3): showing Groen and Parken would give away
    Kwekerij by subtraction, so one of them must go into "Overige"."""
    people, audience = city
    item = published(lies, audience)
    for person in people:
        reach.record(item, person, Stage.SEEN, ReachChannel.WEB)
    result = figures_of(item)
    departments = {row.name: row.audience for row in result.splits["department"]}
    services = {row.name: row.audience for row in result.splits["service"]}
    assert departments["Groen"] == 15
    assert "Parken" not in services  # 15 - 12 would be the 3 of Kwekerij
    # and the "other" of each split is empty or at least five
    for rows in result.splits.values():
        for row in rows:
            if row.other and row.audience is not None:
                assert row.audience >= report.MIN_GROUP


def test_a_channel_with_one_to_four_people_joins_other(lies, city):
    people, audience = city
    item = published(lies, audience)
    for person in people[:10]:
        reach.record(item, person, Stage.SEEN, ReachChannel.WEB)
    for person in people[10:12]:
        reach.record(item, person, Stage.SEEN, ReachChannel.POSTER)
    for person in people[12:18]:
        reach.record(item, person, Stage.SEEN, ReachChannel.TERMINAL)
    rows = figures_of(item).splits["channel"]
    for row in rows:
        assert all(n == 0 or n >= report.MIN_GROUP for n in (row.seen, row.opened, row.acted)), row
    assert sum(row.seen for row in rows) == 18
    assert "poster QR code" not in {row.name for row in rows}
    assert "affiche-QR-code" not in {row.name for row in rows}


def test_an_audience_under_five_gets_totals_but_no_split(lies, alice, bob, facility_audience):
    item = published(lies, facility_audience)
    reach.record(item, alice, Stage.SEEN, ReachChannel.WEB)
    result = figures_of(item)
    assert result.seen == 1
    assert all(rows == [] for rows in result.splits.values())


def test_field_and_office_workers_are_split(lies, city):
    people, audience = city
    item = published(lies, audience)
    for person in people:
        reach.record(item, person, Stage.SEEN, ReachChannel.WEB)
    kinds = {row.name: (row.audience, row.seen) for row in figures_of(item).splits["worker_kind"]}
    assert set(kinds.values()) == {(15, 15), (8, 8)}


def test_colleagues_without_department_or_site_share_one_group(lies, alice, facility_audience):
    item = published(lies, facility_audience)
    late = [EmployeeFactory(department=None, site=None) for _ in range(2)]
    for person in late:
        reach.record(item, person, Stage.SEEN, ReachChannel.WEB)
    groups = Reach.objects.get(announcement=item).groups.filter(department=None, site=None)
    assert [group.audience for group in groups] == [2]


@pytest.mark.django_db(transaction=True)
def test_repeated_impressions_outside_a_transaction_are_all_counted(
    lies, alice, bob, facility_audience
):
    """The usual impression, someone seen before, is one statement in autocommit (on
    PostgreSQL one whose commit does not wait for the disk): each is still counted."""
    item = published(lies, facility_audience)
    for _ in range(3):
        reach.record(item, alice, Stage.SEEN, ReachChannel.WEB)
    reach.record(item, alice, Stage.SEEN, ReachChannel.TERMINAL)
    rows = ReachCount.objects.filter(reach__announcement=item, stage=Stage.SEEN)
    assert {(r.channel, r.people, r.events) for r in rows} == {
        (ReachChannel.WEB, 1, 3),
        (ReachChannel.TERMINAL, 0, 1),
    }


def test_an_impression_inside_another_transaction_leaves_its_commit_durable(
    lies, alice, facility_audience
):
    """Counted within, say, a directive's confirmation: what that transaction writes must
    still wait for the disk on commit, so the count may not relax it."""
    from django.db import connection, transaction

    item = published(lies, facility_audience)
    with transaction.atomic():
        reach.record(item, alice, Stage.SEEN, ReachChannel.WEB)  # first time
        reach.record(item, alice, Stage.SEEN, ReachChannel.WEB)  # seen before
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SHOW synchronous_commit")
                assert cursor.fetchone()[0] == "on"
    assert figures_of(item).events[Stage.SEEN] == 2
