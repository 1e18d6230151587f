"""Finding colleagues and departments in the database (the directory)."""

from __future__ import annotations

from django.db.models import Case, Count, Expression, IntegerField, Q, QuerySet, Value, When

from workplace.models import Department, Employee
from workplace.text import fold

MAX_TERMS = 5
# How well one typed word matches: the sum over the words orders the results.
EXACT, PREFIX, ELSEWHERE = 0, 1, 2


def find_employees(query: str) -> QuerySet[Employee]:
    """Active employees matching every word typed, the best matches first.

    A word matches a whole first name, last name, username or personnel number
    (best), the start of one of them, or else anything in the name, job title or
    department. Names match without accents and case; ``@kan`` is the username ``kan…``.
    Ordered by the sum of each word's match, then by name: callers slice, never re-order.
    """
    employees = Employee.objects.filter(is_active=True).select_related("department", "site")
    terms = [term.lstrip("@") for term in query.split()[:MAX_TERMS]]
    terms = [term for term in terms if term]
    if not terms:
        return employees.none()
    rank: Expression = Value(0, output_field=IntegerField())
    for term in terms:
        folded = fold(term)
        exact = (
            Q(name_key__contains=f" {folded} ")
            | Q(username__iexact=term)
            | Q(personnel_number__iexact=term)
        )
        prefix = (
            Q(name_key__contains=f" {folded}")
            | Q(username__istartswith=term)
            | Q(personnel_number__istartswith=term)
        )
        elsewhere = (
            Q(name_key__contains=folded)
            | Q(job_title__icontains=term)
            | Q(job_title__icontains=folded)
            | Q(department__name__icontains=term)
            | Q(department__code__iexact=term)
        )
        employees = employees.filter(prefix | elsewhere)
        rank = rank + Case(
            When(exact, then=Value(EXACT)),
            When(prefix, then=Value(PREFIX)),
            default=Value(ELSEWHERE),
            output_field=IntegerField(),
        )
    return employees.annotate(match_rank=rank).order_by(
        "match_rank", "last_name", "first_name", "pk"
    )


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
