"""Department groups: an employee belongs to the group of their department and of
every department above it, so a grant to "Facility Management" reaches its teams."""

from __future__ import annotations

from django.contrib.auth.models import Group

from workplace.models import Department, Employee


def wanted_department_group_ids(employee: Employee) -> set[int]:
    if employee.department_id is None:
        return set()
    department = employee.department
    return set(
        Department.objects.filter(id__in=department.ancestor_ids()).values_list(
            "group_id", flat=True
        )
    )


def sync_department_groups(employee: Employee) -> None:
    """Make the employee's department-group memberships match their department."""
    wanted = wanted_department_group_ids(employee)
    current = set(employee.groups.filter(department__isnull=False).values_list("id", flat=True))
    if current - wanted:
        employee.groups.remove(*Group.objects.filter(id__in=current - wanted))
    if wanted - current:
        employee.groups.add(*Group.objects.filter(id__in=wanted - current))
    employee.__dict__.pop("_werkplek_principals", None)
