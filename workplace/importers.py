"""CSV imports of the organisation chart and the staff list (from HR's systems).

Both imports check the whole file before they write: a file with any bad row
writes nothing, and every bad row is reported with its line number. They
update by key, so running the same file twice changes nothing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from workplace.models import Department, Employee, WorkSite
from workplace.models.people import code_validator

DEPARTMENT_COLUMNS = ("code", "name", "parent_code")
EMPLOYEE_COLUMNS = (
    "personnel_number",
    "first_name",
    "last_name",
    "email",
    "department_code",
    "job_title",
    "site",
    "field_worker",
    "mobile",
)
TRUE_WORDS = {"1", "ja", "j", "yes", "y", "true", "waar", "x"}
FALSE_WORDS = {"0", "nee", "n", "no", "false", "onwaar", ""}
MOBILE = re.compile(r"^\+?[0-9 ./-]{8,20}$")
PERSONNEL_NUMBER = re.compile(r"^[0-9A-Za-z]{3,20}$")


@dataclass
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return _("line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class CsvFileError(Exception):
    pass


def read_rows(path: Path | str, columns: Iterable[str]) -> list[tuple[int, dict[str, str]]]:
    """Rows as (line number, values) from a UTF-8 file (BOM or not, ``;`` or ``,``)."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise CsvFileError(_("The file cannot be read: %(error)s") % {"error": error}) from None
    except UnicodeDecodeError:
        raise CsvFileError(_("The file is not UTF-8. Save it as 'CSV UTF-8'.")) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in columns if name not in header]
    if missing:
        raise CsvFileError(
            _("The first line must name the columns; missing: %(columns)s")
            % {"columns": ", ".join(missing)}
        )
    reader.fieldnames = header
    rows = []
    for values in reader:
        cleaned = {key: (value or "").strip() for key, value in values.items() if key}
        if any(cleaned.values()):
            rows.append((reader.line_num, cleaned))
    return rows


# --- departments -----------------------------------------------------------------


def import_departments(path: Path | str, *, dry_run: bool = False) -> ImportReport:
    report = ImportReport(dry_run=dry_run)
    rows = read_rows(path, DEPARTMENT_COLUMNS)
    existing = {d.code: d for d in Department.objects.all()}
    in_file: dict[str, int] = {}
    for line, row in rows:
        code, name, parent = row["code"].upper(), row["name"], row["parent_code"].upper()
        try:
            code_validator(code)
        except ValidationError:
            report.errors.append(RowError(line, _("invalid code %(code)r") % {"code": row["code"]}))
            continue
        if code in in_file:
            report.errors.append(
                RowError(
                    line,
                    _("code %(code)s also on line %(other)d")
                    % {"code": code, "other": in_file[code]},
                )
            )
            continue
        in_file[code] = line
        if not name:
            report.errors.append(RowError(line, _("the name is empty")))
    parents = {row["code"].upper(): row["parent_code"].upper() for _line, row in rows}
    for line, row in rows:
        code, parent = row["code"].upper(), row["parent_code"].upper()
        if parent and parent not in parents and parent not in existing:
            report.errors.append(
                RowError(line, _("unknown parent department %(code)s") % {"code": parent})
            )
        elif parent and _has_cycle(code, parents, existing):
            report.errors.append(
                RowError(line, _("department %(code)s would be its own ancestor") % {"code": code})
            )
    if report.errors:
        return report

    with transaction.atomic():
        for _line, row in sorted(
            rows, key=lambda item: _depth(item[1]["code"].upper(), parents, existing)
        ):
            code, parent_code = row["code"].upper(), row["parent_code"].upper()
            parent = Department.objects.get(code=parent_code) if parent_code else None
            department = existing.get(code)
            if department is None:
                Department.objects.create(code=code, name=row["name"], parent=parent)
                report.created += 1
            elif department.name != row["name"] or department.parent_id != (
                parent.pk if parent else None
            ):
                department.name, department.parent = row["name"], parent
                department.save()
                report.updated += 1
            else:
                report.unchanged += 1
        if dry_run:
            transaction.set_rollback(True)
    return report


def _parent_of(code: str, parents: dict[str, str], existing: dict[str, Department]) -> str:
    if code in parents:
        return parents[code]
    department = existing.get(code)
    return department.parent.code if department and department.parent_id else ""


def _has_cycle(code: str, parents, existing) -> bool:
    seen = {code}
    current = _parent_of(code, parents, existing)
    while current:
        if current in seen:
            return True
        seen.add(current)
        current = _parent_of(current, parents, existing)
    return False


def _depth(code: str, parents, existing) -> int:
    depth, current = 0, _parent_of(code, parents, existing)
    while current:
        depth, current = depth + 1, _parent_of(current, parents, existing)
    return depth


# --- employees -------------------------------------------------------------------


def parse_flag(value: str) -> bool | None:
    lowered = value.strip().lower()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    return None


def _check_employee_row(line, row, departments, seen, report) -> bool:
    errors = []
    number = row["personnel_number"]
    if not PERSONNEL_NUMBER.match(number):
        errors.append(_("invalid personnel number %(value)r") % {"value": number})
    elif number in seen:
        errors.append(
            _("duplicate personnel number %(value)s (also on line %(other)d)")
            % {"value": number, "other": seen[number]}
        )
    else:
        seen[number] = line
    if not row["first_name"] or not row["last_name"]:
        errors.append(_("first and last name are required"))
    if row["email"]:
        try:
            validate_email(row["email"])
        except ValidationError:
            errors.append(_("invalid e-mail address %(value)r") % {"value": row["email"]})
    if row["department_code"].upper() not in departments:
        errors.append(_("unknown department %(value)r") % {"value": row["department_code"]})
    if parse_flag(row["field_worker"]) is None:
        errors.append(
            _("field_worker must be ja or nee, not %(value)r") % {"value": row["field_worker"]}
        )
    if row["mobile"] and not MOBILE.match(row["mobile"]):
        errors.append(_("invalid mobile number %(value)r") % {"value": row["mobile"]})
    report.errors.extend(RowError(line, message) for message in errors)
    return not errors


def unique_username(first_name: str, last_name: str, taken: set[str]) -> str:
    parts = [slugify(name).replace("-", ".") for name in (first_name, last_name)]
    base = ".".join(part for part in parts if part)[:140] or "medewerker"
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}{number}"
    taken.add(candidate)
    return candidate


def import_employees(
    path: Path | str,
    *,
    dry_run: bool = False,
    deactivate_missing: bool = False,
    announce_new: bool = True,
) -> ImportReport:
    report = ImportReport(dry_run=dry_run)
    rows = read_rows(path, EMPLOYEE_COLUMNS)
    departments = {d.code: d for d in Department.objects.all()}
    seen: dict[str, int] = {}
    valid = [
        (line, row)
        for line, row in rows
        if _check_employee_row(line, row, departments, seen, report)
    ]
    if report.errors:
        return report

    existing = {e.personnel_number: e for e in Employee.objects.all()}
    taken = set(Employee.objects.values_list("username", flat=True))
    sites = {s.name: s for s in WorkSite.objects.all()}
    with transaction.atomic():
        for _line, row in valid:
            site_name = row["site"]
            if site_name and site_name not in sites:
                sites[site_name] = WorkSite.objects.create(name=site_name)
            values = {
                "first_name": row["first_name"],
                "last_name": row["last_name"],
                "email": row["email"].lower(),
                "department": departments[row["department_code"].upper()],
                "job_title": row["job_title"],
                "site": sites.get(site_name),
                "is_field_worker": parse_flag(row["field_worker"]),
                "mobile": row["mobile"],
            }
            employee = existing.get(row["personnel_number"])
            if employee is None:
                employee = Employee(
                    personnel_number=row["personnel_number"],
                    username=unique_username(row["first_name"], row["last_name"], taken),
                    **values,
                )
                employee.set_unusable_password()
                employee.announce_arrival = announce_new
                employee.save()
                report.created += 1
                continue
            changed = [name for name, value in values.items() if getattr(employee, name) != value]
            if not employee.is_active:
                changed.append("is_active")
                employee.is_active = True
            for name in changed:
                if name != "is_active":
                    setattr(employee, name, values[name])
            if changed:
                employee.save()
                report.updated += 1
            else:
                report.unchanged += 1
        if deactivate_missing:
            missing = Employee.objects.filter(is_active=True, is_superuser=False).exclude(
                personnel_number__in=seen
            )
            for employee in missing:
                employee.is_active = False
                employee.save(update_fields=["is_active"])
                report.deactivated += 1
        if dry_run:
            transaction.set_rollback(True)
    return report
