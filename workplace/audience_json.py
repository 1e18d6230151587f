"""The one JSON shape of an audience in the API, both ways.

::

    {"all_staff": true, "worker_kind": "field"}
    {"departments": ["GRO"], "with_subdepartments": true, "departments_only": ["SC"],
     "role_groups": ["HR"], "sites": ["Depot Noord"], "job_titles": ["Tuinier"],
     "employees": ["mw200123"], "except_departments": ["GRO-ADM"],
     "except_employees": ["200456"]}

Departments by code, role groups and work sites by name, employees by username
or personnel number. Parsing goes through the shared audience editor's form, so
the API and the pages accept and refuse exactly the same audiences.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.utils.translation import gettext as _

from workplace.api import ApiError
from workplace.forms import AudienceForm
from workplace.models import Audience, Department, WorkSite
from workplace.roles import Role

LIST_KEYS = (
    "departments",
    "departments_only",
    "role_groups",
    "sites",
    "job_titles",
    "employees",
    "except_departments",
    "except_employees",
)
KEYS = frozenset((*LIST_KEYS, "all_staff", "with_subdepartments", "worker_kind"))


def _strings(data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ApiError("invalid_audience", _("“%(key)s” must be a list of texts.") % {"key": key})
    return [v.strip() for v in value if v.strip()]


def _pks(model, field: str, names: list[str], key: str, queryset=None) -> list[int]:
    found = dict(
        (queryset if queryset is not None else model.objects)
        .filter(**{f"{field}__in": names})
        .values_list(field, "pk")
    )
    unknown = [name for name in names if name not in found]
    if unknown:
        raise ApiError(
            "invalid_audience",
            _("Unknown in “%(key)s”: %(names)s.") % {"key": key, "names": ", ".join(unknown)},
        )
    return [found[name] for name in names]


def audience_form(data: Any, instance: Audience | None = None) -> AudienceForm:
    """A bound, valid audience editor for ``data``; ``ApiError`` says what is wrong.

    Save it (``form.save()``) inside the caller's transaction.
    """
    if not isinstance(data, dict):
        raise ApiError("invalid_audience", _("“audience” must be a JSON object."))
    unknown = sorted(set(data) - KEYS)
    if unknown:
        raise ApiError(
            "invalid_audience",
            _("Unknown audience fields: %(names)s.") % {"names": ", ".join(unknown)},
        )
    for key in ("all_staff", "with_subdepartments"):
        if key in data and not isinstance(data[key], bool):
            raise ApiError("invalid_audience", _("“%(key)s” must be true or false.") % {"key": key})
    worker_kind = data.get("worker_kind", "")
    if worker_kind not in ("", "field", "office", None):
        raise ApiError("invalid_audience", _("“worker_kind” is “field”, “office” or empty."))
    departments = _pks(Department, "code", _strings(data, "departments"), "departments")
    only = _pks(Department, "code", _strings(data, "departments_only"), "departments_only")
    if data.get("with_subdepartments") is False:
        departments, only = [], only + departments
    form_data: dict[str, Any] = {
        "all_staff": data.get("all_staff", False),
        "departments": departments,
        "departments_only": only,
        "groups": _pks(
            Group,
            "name",
            _strings(data, "role_groups"),
            "role_groups",
            Group.objects.filter(name__in=Role.values),
        ),
        "sites": _pks(WorkSite, "name", _strings(data, "sites"), "sites"),
        "employees": ", ".join(_strings(data, "employees")),
        "worker_kind": worker_kind or "",
        "excluded_departments": _pks(
            Department, "code", _strings(data, "except_departments"), "except_departments"
        ),
        "excluded_employees": ", ".join(_strings(data, "except_employees")),
        "job_titles_text": "\n".join(_strings(data, "job_titles")),
    }
    form = AudienceForm(form_data, instance=instance)
    if not form.is_valid():
        message = next(iter(form.errors.values()))[0]
        raise ApiError("invalid_audience", str(message))
    return form


def audience_json(audience: Audience) -> dict[str, Any]:
    """The audience in the shape ``audience_form`` reads."""
    shape: dict[str, Any] = {}
    if audience.all_staff:
        shape["all_staff"] = True
    with_sub = list(audience.departments.values_list("code", flat=True))
    without = list(audience.departments_only.values_list("code", flat=True))
    if with_sub:
        shape["departments"], shape["with_subdepartments"] = with_sub, True
    if without:
        shape["departments_only"] = without
    for key, values in (
        ("role_groups", audience.groups.values_list("name", flat=True)),
        ("sites", audience.sites.values_list("name", flat=True)),
        ("job_titles", audience.job_titles.values_list("title", flat=True)),
        ("employees", audience.employees.values_list("username", flat=True)),
        ("except_departments", audience.excluded_departments.values_list("code", flat=True)),
        ("except_employees", audience.excluded_employees.values_list("username", flat=True)),
    ):
        if values:
            shape[key] = list(values)
    if audience.worker_kind:
        shape["worker_kind"] = audience.worker_kind
    return shape
