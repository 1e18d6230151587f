"""Finding colleagues and departments in the database (the directory)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from workplace.models import Department, Employee

MAX_TERMS = 5


def find_employees(query: str) -> QuerySet[Employee]:
    """Active employees whose name, job title or department matches every word typed."""
    employees = Employee.objects.filter(is_active=True).select_related("department", "site")
    terms = query.split()[:MAX_TERMS]
    for term in terms:
        employees = employees.filter(
            Q(first_name__icontains=term)
            | Q(last_name__icontains=term)
            | Q(job_title__icontains=term)
            | Q(department__name__icontains=term)
            | Q(department__code__iexact=term)
            | Q(personnel_number=term)
        )
    return employees if terms else employees.none()


def find_departments(query: str) -> QuerySet[Department]:
    departments = Department.objects.all()
    for term in query.split()[:MAX_TERMS]:
        departments = departments.filter(Q(name__icontains=term) | Q(code__iexact=term))
    return departments if query.strip() else departments.none()


def department_tree() -> list[Department]:
    """Every department in tree order, with its number of direct members."""
    return list(
        Department.objects.annotate(
            member_count=Count("employees", filter=Q(employees__is_active=True))
        )
    )
