"""Department groups follow the employees: their department and every one above it."""

from __future__ import annotations

import pytest

from tests.factories import DepartmentFactory, EmployeeFactory
from workplace.models import Department, Employee

pytestmark = pytest.mark.django_db


def group_names(employee) -> set[str]:
    return set(Employee.objects.get(pk=employee.pk).groups.values_list("name", flat=True))


def test_each_department_owns_a_group(organisation):
    assert Department.objects.get(code="FM-ON").group.name == "afdeling:FM-ON"


def test_a_new_employee_joins_their_department_and_its_ancestors(bob):
    assert group_names(bob) == {"afdeling:FM", "afdeling:FM-GEB", "afdeling:FM-ON"}


def test_moving_an_employee_moves_their_group_membership(bob, organisation):
    bob.department = organisation["civil"]
    bob.save()
    assert group_names(bob) == {"afdeling:BZ"}


def test_moving_keeps_role_groups(bob, organisation):
    from django.contrib.auth.models import Group

    bob.groups.add(Group.objects.get(name="HR"))
    bob.department = organisation["civil"]
    bob.save()
    assert group_names(bob) == {"afdeling:BZ", "HR"}


def test_moving_a_department_moves_the_groups_of_everyone_below(bob, organisation):
    buildings = organisation["buildings"]
    buildings.parent = organisation["civil"]
    buildings.save()
    assert group_names(bob) == {"afdeling:BZ", "afdeling:FM-GEB", "afdeling:FM-ON"}
    team = Department.objects.get(code="FM-ON")
    assert team.ancestor_ids() == [organisation["civil"].pk, buildings.pk, team.pk]


def test_leaving_every_department_leaves_every_department_group(bob):
    bob.department = None
    bob.save()
    assert group_names(bob) == set()


def test_renaming_a_department_code_renames_its_group(organisation):
    team = organisation["team"]
    team.code = "FM-ONW"
    team.save()
    team.group.refresh_from_db()
    assert team.group.name == "afdeling:FM-ONW"


def test_subtree_contains_the_department_and_those_below(organisation):
    codes = set(organisation["facility"].subtree().values_list("code", flat=True))
    assert codes == {"FM", "FM-GEB", "FM-ON"}


def test_a_department_cannot_be_its_own_parent(organisation):
    team = organisation["team"]
    team.parent = team
    with pytest.raises(ValueError):
        team.save()


def test_an_employee_saved_for_another_reason_keeps_their_groups(bob):
    bob.job_title = "Ploegbaas"
    bob.save(update_fields=["job_title"])
    assert "afdeling:FM-ON" in group_names(bob)


def test_employees_created_in_bulk_by_factory_have_groups():
    department = DepartmentFactory(code="X1")
    employees = EmployeeFactory.create_batch(3, department=department)
    assert all(group_names(e) == {"afdeling:X1"} for e in employees)
