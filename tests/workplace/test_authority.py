"""Nobody sets the credentials of an account with more rights than their own."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from guardian.shortcuts import assign_perm

from tests.factories import EmployeeFactory
from workplace.authority import may_reach, reachable_by
from workplace.models import Employee
from workplace.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(organisation):
    return EmployeeFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def staff(organisation):
    return EmployeeFactory(username="stafke", is_staff=True)


@pytest.fixture
def hilde(organisation):
    """An HR officer."""
    return EmployeeFactory(username="hilde", roles=[Role.HR], department=organisation["civil"])


def test_a_superuser_reaches_everyone(root, staff, hilde, bob):
    other_root = EmployeeFactory(is_superuser=True, is_staff=True)
    assert all(may_reach(root, target) for target in (staff, hilde, bob, other_root))


def test_nobody_else_reaches_a_superuser_or_a_staff_member(root, staff, hilde):
    other_staff = EmployeeFactory(is_staff=True)
    assert not may_reach(hilde, root) and not may_reach(hilde, staff)
    assert not may_reach(staff, root) and not may_reach(staff, other_staff)


def test_hr_reaches_a_colleague_without_rights(hilde, bob, staff):
    assert may_reach(hilde, bob)
    assert may_reach(staff, bob)


def test_a_role_the_issuer_lacks_puts_the_account_out_of_reach(hilde, organisation):
    editor = EmployeeFactory(roles=[Role.KUS_EDITORS])
    colleague = EmployeeFactory(roles=[Role.HR])
    assert not may_reach(hilde, editor)
    assert may_reach(hilde, colleague)


def test_a_model_permission_the_issuer_lacks_puts_the_account_out_of_reach(hilde, bob):
    bob.user_permissions.add(Permission.objects.get(codename="change_employee"))
    assert not may_reach(hilde, bob)
    hilde.user_permissions.add(Permission.objects.get(codename="change_employee"))
    assert may_reach(Employee.objects.get(pk=hilde.pk), bob)


def test_a_permission_through_a_group_counts_too(hilde, bob):
    helpdesk = Group.objects.create(name="Helpdesk")
    helpdesk.permissions.add(Permission.objects.get(codename="view_auditevent"))
    bob.groups.add(helpdesk)
    assert not may_reach(hilde, bob)


def test_an_object_grant_the_issuer_lacks_puts_the_account_out_of_reach(hilde, bob, organisation):
    assign_perm("workplace.change_department", bob, organisation["team"])
    assert not may_reach(hilde, bob)
    assign_perm("workplace.change_department", hilde, organisation["team"])
    assert may_reach(hilde, bob)


def test_a_grant_to_the_whole_department_is_not_a_personal_right(hilde, bob, organisation):
    assign_perm("workplace.change_department", organisation["team"].group, organisation["team"])
    assert may_reach(hilde, bob)


def test_a_department_manager_is_out_of_reach(hilde, bob, organisation):
    organisation["team"].manager = bob
    organisation["team"].save()
    assert not may_reach(hilde, bob)


def test_an_inactive_issuer_reaches_nobody(hilde, bob):
    hilde.is_active = False
    assert not may_reach(hilde, bob)


def test_a_whole_department_is_filtered_in_one_query(
    hilde, organisation, django_assert_max_num_queries
):
    EmployeeFactory.create_batch(5, department=organisation["team"])
    EmployeeFactory(department=organisation["team"], is_staff=True)
    hilde = Employee.objects.get(pk=hilde.pk)
    with django_assert_max_num_queries(2):  # the issuer's roles, then the list
        found = list(reachable_by(hilde, Employee.objects.filter(department=organisation["team"])))
    assert len(found) == 5
