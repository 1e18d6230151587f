"""Colleagues and departments (the core's models) in the search: visible to all staff.

The core knows nothing of the search; the search indexes the core's models itself.
"""

from __future__ import annotations

from django.db.models import QuerySet
from haystack import indexes

from search.indexes import DocumentIndex, Kind
from workplace.models import Department, Employee


class EmployeeIndex(DocumentIndex, indexes.Indexable):
    kind_name = Kind.EMPLOYEE
    unindexed_fields = frozenset({"last_login", "password", "pin", "avatar"})

    def get_model(self) -> type[Employee]:
        return Employee

    def index_queryset(self, using=None) -> QuerySet[Employee]:
        # Only active colleagues can be found; a deactivated one leaves the index.
        return Employee.objects.filter(is_active=True).select_related("department", "site")

    def prepare_title(self, obj: Employee) -> str:
        return obj.get_full_name() or obj.username

    def prepare_body(self, obj: Employee) -> str:
        parts = [obj.job_title]
        if obj.department_id:
            parts += [obj.department.name, obj.department.code]
        if obj.site_id:
            parts.append(obj.site.name)
        return "\n".join(part for part in parts if part)

    def prepare_names(self, obj: Employee) -> str:
        return " ".join((obj.first_name, obj.last_name, obj.username, obj.personnel_number))

    def prepare_suggest(self, obj: Employee) -> str:
        return f"{self.prepare_title(obj)} {obj.job_title}"

    def prepare_department(self, obj: Employee) -> str:
        return obj.department.code if obj.department_id else ""

    def prepare_department_name(self, obj: Employee) -> str:
        return obj.department.name if obj.department_id else ""

    def prepare_detail(self, obj: Employee) -> str:
        return obj.job_title


class DepartmentIndex(DocumentIndex, indexes.Indexable):
    kind_name = Kind.DEPARTMENT

    def get_model(self) -> type[Department]:
        return Department

    def index_queryset(self, using=None) -> QuerySet[Department]:
        return Department.objects.select_related("parent")

    def prepare_title(self, obj: Department) -> str:
        return obj.name

    def prepare_body(self, obj: Department) -> str:
        parts = [obj.code, obj.get_kind_display(), obj.description]
        if obj.parent_id:
            parts.append(obj.parent.name)
        return "\n".join(str(part) for part in parts if part)

    def prepare_names(self, obj: Department) -> str:
        return obj.code

    def prepare_suggest(self, obj: Department) -> str:
        return f"{obj.name} {obj.code}"

    def prepare_department(self, obj: Department) -> str:
        return obj.code

    def prepare_department_name(self, obj: Department) -> str:
        return obj.name

    def prepare_detail(self, obj: Department) -> str:
        return obj.parent.name if obj.parent_id else ""
