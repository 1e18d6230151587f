"""Audiences: every rule kind, exclusions, sub-departments — and the three views agree."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import AudienceFactory, EmployeeFactory, WorkSiteFactory
from workplace.audiences import (
    NAMED_RULES,
    audiences_for,
    members,
    principals,
    user_principals,
)
from workplace.models import Audience, Employee
from workplace.models.audiences import AudienceJobTitle
from workplace.roles import Role

pytestmark = pytest.mark.django_db


def usernames(queryset) -> set[str]:
    return set(queryset.values_list("username", flat=True))


def assert_views_agree(audience: Audience) -> None:
    """members(), audiences_for() and the search principals say the same for everyone."""
    member_ids = set(members(audience).values_list("pk", flat=True))
    tokens = principals(audience)
    for employee in Employee.objects.all():
        expected = employee.pk in member_ids
        reached_by = audiences_for(employee).filter(pk=audience.pk).exists()
        assert reached_by == expected, f"audiences_for disagrees for {employee.username}"
        assert tokens.admit(user_principals(employee)) == expected, (
            f"principals disagree for {employee.username}"
        )


@pytest.fixture
def everyone(alice, bob, carol):
    return {"alice": alice, "bob": bob, "carol": carol}


def test_it_reaches_all_active_staff(everyone):
    gone = EmployeeFactory(username="gone", is_active=False)
    audience = AudienceFactory(all_staff=True)
    assert usernames(members(audience)) == {"alice", "bob", "carol"}
    assert gone.username not in usernames(members(audience))
    assert_views_agree(audience)


def test_it_includes_sub_departments_when_asked(everyone, organisation):
    audience = AudienceFactory()
    audience.departments.add(organisation["facility"])
    assert usernames(members(audience)) == {"alice", "bob"}
    assert_views_agree(audience)


def test_it_leaves_out_sub_departments_when_asked(everyone, organisation):
    audience = AudienceFactory()
    audience.departments_only.add(organisation["buildings"])
    assert usernames(members(audience)) == {"alice"}
    assert_views_agree(audience)


def test_it_reaches_a_role_group(everyone):
    hr = Group.objects.get(name=Role.HR)
    everyone["carol"].groups.add(hr)
    audience = AudienceFactory()
    audience.groups.add(hr)
    assert usernames(members(audience)) == {"carol"}
    assert_views_agree(audience)


def test_it_narrows_to_field_or_office_workers(everyone):
    field = AudienceFactory(all_staff=True, worker_kind="field")
    office = AudienceFactory(all_staff=True, worker_kind="office")
    assert usernames(members(field)) == {"bob"}
    assert usernames(members(office)) == {"alice", "carol"}
    assert_views_agree(field)
    assert_views_agree(office)


def test_field_narrowing_applies_to_department_rules_too(everyone, organisation):
    audience = AudienceFactory(worker_kind="office")
    audience.departments.add(organisation["facility"])
    assert usernames(members(audience)) == {"alice"}
    assert_views_agree(audience)


def test_it_matches_job_titles_whatever_their_case(everyone):
    audience = AudienceFactory()
    AudienceJobTitle.objects.create(audience=audience, title="ELEKTRICIEN")
    assert usernames(members(audience)) == {"bob"}
    assert_views_agree(audience)


def test_it_reaches_work_sites(everyone):
    depot = WorkSiteFactory(name="Depot Bourgoyen")
    Employee.objects.filter(username="bob").update(site=depot)
    audience = AudienceFactory()
    audience.sites.add(depot)
    assert usernames(members(audience)) == {"bob"}
    assert_views_agree(audience)


def test_it_reaches_named_employees(everyone):
    audience = AudienceFactory()
    audience.employees.add(everyone["carol"])
    assert usernames(members(audience)) == {"carol"}
    assert_views_agree(audience)


def test_exclusions_win_over_inclusions(everyone, organisation):
    audience = AudienceFactory(all_staff=True)
    audience.excluded_departments.add(organisation["buildings"])  # takes the team below too
    audience.excluded_employees.add(everyone["carol"])
    assert usernames(members(audience)) == set()
    assert_views_agree(audience)


def test_an_excluded_person_stays_out_even_when_named(everyone):
    audience = AudienceFactory()
    audience.employees.add(everyone["alice"], everyone["bob"])
    audience.excluded_employees.add(everyone["bob"])
    assert usernames(members(audience)) == {"alice"}
    assert_views_agree(audience)


def test_rules_add_up(everyone, organisation):
    hr = Group.objects.get(name=Role.HR)
    everyone["carol"].groups.add(hr)
    audience = AudienceFactory()
    audience.departments_only.add(organisation["team"])
    audience.groups.add(hr)
    assert usernames(members(audience)) == {"bob", "carol"}
    assert_views_agree(audience)


def test_an_audience_without_rules_reaches_nobody(everyone):
    audience = AudienceFactory()
    assert members(audience).count() == 0
    assert_views_agree(audience)


def test_a_person_in_two_matching_groups_is_counted_once(everyone):
    hr, comm = Group.objects.get(name=Role.HR), Group.objects.get(name=Role.COMMUNICATION)
    everyone["alice"].groups.add(hr, comm)
    audience = AudienceFactory()
    audience.groups.add(hr, comm)
    assert members(audience).count() == 1


def test_moving_an_employee_moves_them_between_audiences(everyone, organisation):
    audience = AudienceFactory()
    audience.departments.add(organisation["facility"])
    carol = everyone["carol"]
    carol.department = organisation["team"]
    carol.save()
    fresh = Employee.objects.get(pk=carol.pk)
    assert audiences_for(fresh).filter(pk=audience.pk).exists()
    assert principals(audience).admit(user_principals(fresh))
    assert_views_agree(audience)


def test_an_inactive_employee_has_no_audiences_and_no_principals(everyone):
    AudienceFactory(all_staff=True)
    bob = everyone["bob"]
    bob.is_active = False
    bob.save()
    assert not audiences_for(bob).exists()
    assert user_principals(bob) == frozenset()


def test_it_describes_itself_in_words(everyone, organisation):
    audience = AudienceFactory(worker_kind="field")
    audience.departments.add(organisation["facility"])
    audience.excluded_employees.add(everyone["bob"])
    text = str(audience)
    assert "Facility Management" in text
    assert "Bob" in text


def test_every_rule_is_named_in_its_order_by_one_query(everyone, organisation):
    """A directive's page names its audience: one query, the same words as the export's
    prefetched audiences."""
    audience = AudienceFactory(worker_kind="field")
    audience.departments.add(organisation["team"], organisation["facility"])
    audience.departments_only.add(organisation["civil"])
    audience.groups.add(Group.objects.get(name=Role.HR))
    audience.sites.add(WorkSiteFactory(name="Depot Oost"), WorkSiteFactory(name="Atelier"))
    AudienceJobTitle.objects.create(audience=audience, title="Tuinier")
    audience.employees.add(everyone["carol"], everyone["alice"])
    audience.excluded_departments.add(organisation["buildings"])
    nameless = EmployeeFactory(username="zonder.naam", first_name="", last_name="")
    audience.excluded_employees.add(everyone["bob"], nameless)
    with CaptureQueriesContext(connection) as queries:
        text = str(Audience.objects.get(pk=audience.pk))
    assert len(queries) == 2  # the audience, and its rules' names
    prefetched = Audience.objects.prefetch_related(*NAMED_RULES).get(pk=audience.pk)
    assert str(prefetched) == text
    facility, team = organisation["facility"].name, organisation["team"].name
    assert text.startswith(f"{facility}, {team}, {organisation['civil'].name} (")
    assert "HR, Atelier, Depot Oost, Tuinier, Alice Claes, " in text
    # Last names first, as the directory sorts (a person without one before the rest).
    assert text.endswith(f"behalve {organisation['buildings'].name}, zonder.naam, Bob Peeters")
