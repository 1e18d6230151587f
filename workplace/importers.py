"""CSV imports of the organisation chart and the staff list (from HR's systems).

Both imports check the whole file before they write: a file with any bad row
writes nothing, and every bad row is reported with its line number. They
update by key, so running the same file twice changes nothing.

The columns may be named in English or in Dutch (``COLUMN_NAMES``), in any case,
with or without accents, spaces, hyphens or underscores: ``personnel_number``,
``Personeelsnummer`` and ``personeels nummer`` are the same column.
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from workplace import audit
from workplace.authority import reachable_by
from workplace.models import AuditAction, Department, Employee, WorkSite
from workplace.models.people import code_validator
from workplace.shifts import ShiftPatternError, parse_shift_pattern
from workplace.text import column_key, to_ascii

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
# Other names of each column (besides the English one), as HR's Dutch exports write them.
# Compared by ``column_key``: case, accents, spaces, hyphens and underscores do not count.
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "code": ("afdelingscode",),
    "name": ("naam", "afdelingsnaam"),
    "parent_code": ("bovenliggende_code", "bovenliggende_afdeling", "hoofdafdeling"),
    "personnel_number": ("personeelsnummer", "personeelsnr", "stamnummer"),
    "first_name": ("voornaam",),
    "last_name": ("achternaam", "familienaam"),
    "email": ("e-mail", "e-mailadres", "mail"),
    "department_code": ("afdeling", "afdelingscode"),
    "job_title": ("functie", "functietitel"),
    "site": ("werklocatie", "locatie", "vestiging"),
    "field_worker": ("veldwerker", "terreinmedewerker"),
    "mobile": ("gsm", "gsm-nummer", "mobiel", "telefoon"),
    "shift": ("rooster", "uurrooster", "werkrooster"),
}
# The optional columns each import reads when present.
OPTIONAL_COLUMNS = ("shift",)
# Rows per write transaction: each holds SQLite's one write lock for a fraction of a
# second, so that logins between batches wait no longer than that.
BATCH_SIZE = 100
# Between batches on SQLite the import waits this long. A login that waits for the
# lock sleeps in steps of up to 100 ms (SQLite's busy handler): without a gap as long,
# the next batch takes the lock before the login wakes up, batch after batch.
BATCH_PAUSE_SECONDS = 0.1
# Deactivating more of the active staff than this at once needs --force: a file
# that lacks most of the staff is far more likely an export gone wrong.
MAX_DEACTIVATE_SHARE = 0.10
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
    out_of_reach: int = 0  # missing from the file, but with rights the importer lacks
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class CsvFileError(Exception):
    pass


@dataclass
class Table:
    """A file's rows as (line number, values), the values keyed by the English column
    names; ``names`` holds each column's name as the file wrote it, for its messages."""

    rows: list[tuple[int, dict[str, str]]]
    names: dict[str, str]

    def name(self, column: str) -> str:
        return self.names.get(column, column)


def read_rows(path: Path | str, columns: Iterable[str]) -> list[tuple[int, dict[str, str]]]:
    """Rows as (line number, values) from a UTF-8 file (BOM or not, ``;`` or ``,``).

    The values are keyed by the English column names, whichever names the file used."""
    return read_table(path, columns).rows


def read_table(path: Path | str, columns: Iterable[str]) -> Table:
    """``read_rows`` with the columns' names as the file wrote them."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise CsvFileError(_("The file cannot be read: %(error)s") % {"error": error}) from None
    except UnicodeDecodeError:
        raise CsvFileError(_("The file is not UTF-8. Save it as 'CSV UTF-8'.")) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns = tuple(columns)
    header = _header(reader.fieldnames or [], (*columns, *OPTIONAL_COLUMNS))
    missing = [name for name in columns if name not in header]
    if missing:
        raise CsvFileError(
            _("The first line must name the columns; missing: %(columns)s")
            % {"columns": ", ".join(_both_names(name) for name in missing)}
        )
    names = reader.fieldnames or []
    written = {column: name.strip() for column, name in zip(header, names, strict=True)}
    reader.fieldnames = header
    rows = []
    for values in reader:
        cleaned = {key: (value or "").strip() for key, value in values.items() if key}
        if any(cleaned.values()):
            rows.append((reader.line_num, cleaned))
    return Table(rows, written)


def _header(names: Iterable[str], columns: Iterable[str]) -> list[str]:
    """The file's column names as the English names of ``columns``; others are kept as
    they are (and ignored). A column named twice, in whatever words, is refused."""
    known = {}
    for column in columns:
        for name in (column, *COLUMN_NAMES.get(column, ())):
            known[column_key(name)] = column
    header: list[str] = []
    for name in names:
        column = known.get(column_key(name), name.strip().lower())
        if column in header and column in known.values():
            raise CsvFileError(
                _("The column %(column)s appears twice in the first line.")
                % {"column": _both_names(column)}
            )
        header.append(column)
    return header


def _both_names(column: str) -> str:
    dutch = COLUMN_NAMES.get(column)
    return f"{column} ({dutch[0]})" if dutch else column


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
                department.save(update_fields=["name", "parent"])
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


def _check_employee_row(line, row, departments, seen, report, table: Table) -> bool:
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
            _("%(column)s must be ja or nee, not %(value)r")
            % {"column": table.name("field_worker"), "value": row["field_worker"]}
        )
    if row["mobile"] and not MOBILE.match(row["mobile"]):
        errors.append(_("invalid mobile number %(value)r") % {"value": row["mobile"]})
    if row.get("shift"):
        try:
            parse_shift_pattern(row["shift"])
        except ShiftPatternError as error:
            errors.append(
                _("invalid shift pattern %(value)r: %(reason)s")
                % {"value": row["shift"], "reason": error}
            )
    report.errors.extend(RowError(line, message) for message in errors)
    return not errors


def unique_username(first_name: str, last_name: str, taken: set[str]) -> str:
    # Transliterated first: slugify alone drops what does not decompose (Y\u0131lmaz: ylmaz).
    parts = [slugify(to_ascii(name)).replace("-", ".") for name in (first_name, last_name)]
    base = ".".join(part for part in parts if part)[:140] or "medewerker"
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}{number}"
    taken.add(candidate)
    return candidate


@dataclass
class _Row:
    """A checked row of the staff file, as the fields it sets."""

    line: int
    number: str
    first_name: str
    last_name: str
    values: dict[str, object]  # field -> value; "site" is the site's name here


def _wanted(line: int, row: dict[str, str], departments: dict[str, Department]) -> _Row:
    return _Row(
        line=line,
        number=row["personnel_number"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        values={
            "first_name": row["first_name"],
            "last_name": row["last_name"],
            "email": row["email"].lower(),
            "department_id": departments[row["department_code"].upper()].pk,
            "job_title": row["job_title"],
            "site": row["site"],
            "is_field_worker": parse_flag(row["field_worker"]),
            "mobile": row["mobile"],
            # An optional column: a file without it leaves the shift patterns as they are.
            **({"shift_pattern": " ".join(row["shift"].split())} if "shift" in row else {}),
        },
    )


class _Sites:
    """Work sites by name and by id; a name the file introduces is created when written."""

    def __init__(self):
        self.names = dict(WorkSite.objects.values_list("pk", "name"))
        self.ids = {name: pk for pk, name in self.names.items()}

    def id_for(self, name: str) -> int | None:
        if not name:
            return None
        if name not in self.ids:
            site, _created = WorkSite.objects.get_or_create(name=name)
            self.ids[name], self.names[site.pk] = site.pk, name
        return self.ids[name]


def _changes(employee: Employee, wanted: _Row, sites: _Sites) -> list[str]:
    """The fields of ``employee`` that the file changes (``is_active``: a returning employee)."""
    changed = []
    for name, value in wanted.values.items():
        if name == "site":
            current = sites.names.get(employee.site_id, "")
        else:
            current = getattr(employee, name)
        if current != value:
            changed.append(name)
    if not employee.is_active:
        changed.append("is_active")
    return changed


class TooManyDeactivations(CsvFileError):
    """``deactivate_missing`` would switch off more staff than the file can plausibly mean."""

    def __init__(self, message: str, *, missing: int, active: int, limit: int):
        super().__init__(message)
        self.missing, self.active, self.limit = missing, active, limit


def _check_share(missing: int, active: int, max_share: float) -> None:
    if missing and missing > max_share * active:
        raise TooManyDeactivations(
            _(
                "The file would deactivate %(missing)d of %(active)d active employees "
                "(%(percent)d %%), more than %(limit)d %%. Is the file complete? Nothing was "
                "written; add --force to deactivate them anyway."
            )
            % {
                "missing": missing,
                "active": active,
                "percent": round(100 * missing / active),
                "limit": round(100 * max_share),
            },
            missing=missing,
            active=active,
            limit=round(100 * max_share),
        )


def _batches(items: list, size: int) -> Iterable[list]:
    """Slices of ``items``; the caller writes each in a transaction of its own."""
    for start in range(0, len(items), size):
        if start and connection.vendor == "sqlite":
            time.sleep(BATCH_PAUSE_SECONDS)
        yield items[start : start + size]


def import_employees(
    path: Path | str,
    *,
    dry_run: bool = False,
    deactivate_missing: bool = False,
    announce_new: bool = True,
    max_deactivate_share: float = MAX_DEACTIVATE_SHARE,
    force: bool = False,
    batch_size: int | None = BATCH_SIZE,
    issuer: Employee | None = None,
    label: str = "",
) -> ImportReport:
    """Check the whole file, then write it in short transactions of ``batch_size`` rows.

    Nothing holds the database while the file is read, checked and compared: on
    SQLite a single transaction over 100,000 rows locked out every login for
    minutes. A file with any bad row still writes nothing. Should the run stop
    halfway, running the same file again completes it (the import is idempotent).
    Raises ``TooManyDeactivations`` (also in a dry run) when ``deactivate_missing``
    would deactivate more than ``max_deactivate_share`` of the active staff,
    unless ``force``.

    ``batch_size`` None writes in one batch (the caller may then hold it all in one
    transaction). With an ``issuer`` (an import from the browser) a row may not change
    an employee with rights the issuer lacks (``authority``), and such employees are
    not deactivated either (``report.out_of_reach`` counts them); the command line is
    the system, which reaches everyone. ``label`` names the file in the audit log.
    """
    report = ImportReport(dry_run=dry_run)
    table = read_table(path, EMPLOYEE_COLUMNS)
    departments = {d.code: d for d in Department.objects.all()}
    seen: dict[str, int] = {}
    wanted = [
        _wanted(line, row, departments)
        for line, row in table.rows
        if _check_employee_row(line, row, departments, seen, report, table)
    ]
    if report.errors:
        return report

    sites = _Sites()
    existing = {e.personnel_number: e for e in Employee.objects.only(*_COMPARED)}
    new = [row for row in wanted if row.number not in existing]
    changed = [
        row
        for row in wanted
        if row.number in existing and _changes(existing[row.number], row, sites)
    ]
    beyond = _out_of_reach(issuer) if issuer is not None else set()
    for row in changed:
        if existing[row.number].pk in beyond:
            report.errors.append(
                RowError(
                    row.line,
                    _(
                        "employee %(number)s has rights that you do not have: "
                        "ask an administrator to import this change"
                    )
                    % {"number": row.number},
                )
            )
    if report.errors:
        return report
    report.unchanged = len(wanted) - len(new) - len(changed)
    missing = []
    if deactivate_missing:
        active = [e for e in existing.values() if e.is_active and not e.is_superuser]
        # Whoever imports from the browser keeps their account, even when the file
        # (an extract of one service, say) does not list them: else the confirmation
        # would log them out for good, in the middle of their own import.
        missing = [
            e.pk
            for e in active
            if e.personnel_number not in seen and (issuer is None or e.pk != issuer.pk)
        ]
        report.out_of_reach = sum(1 for pk in missing if pk in beyond)
        missing = [pk for pk in missing if pk not in beyond]
        if not force:
            _check_share(len(missing), len(active), max_deactivate_share)
    if dry_run:
        report.created, report.updated, report.deactivated = len(new), len(changed), len(missing)
        return report

    batch_size = batch_size or max(len(wanted), len(missing), 1)
    taken = set(Employee.objects.values_list("username", flat=True))
    for batch in _batches(new, batch_size):
        with transaction.atomic():
            for row in batch:
                _create(row, sites, taken, announce_new)
                report.created += 1
    for batch in _batches(changed, batch_size):
        with transaction.atomic():
            report.updated += _update(batch, sites)
    report.unchanged = len(wanted) - report.created - report.updated
    for batch in _batches(missing, batch_size):
        with transaction.atomic():
            for employee in Employee.objects.filter(pk__in=batch, is_active=True):
                employee.is_active = False
                employee.save(update_fields=["is_active"])
                report.deactivated += 1
    audit.record(
        AuditAction.EMPLOYEES_IMPORTED,
        target_label=label or Path(path).name,
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        deactivated=report.deactivated,
        forced=force and deactivate_missing,
    )
    return report


def _out_of_reach(issuer: Employee) -> set[int]:
    """The ids of the employees with rights ``issuer`` lacks: one query, not one per row."""
    everyone = Employee.objects.all()
    return set(
        everyone.exclude(pk__in=reachable_by(issuer, everyone).values("pk")).values_list(
            "pk", flat=True
        )
    )


# What the comparison reads of every employee; the rest of each row stays in the database.
_COMPARED = (
    "pk",
    "personnel_number",
    "is_active",
    "is_superuser",
    "first_name",
    "last_name",
    "email",
    "department",
    "job_title",
    "site",
    "is_field_worker",
    "mobile",
    "shift_pattern",
)


def _create(row: _Row, sites: _Sites, taken: set[str], announce_new: bool) -> None:
    values = {**row.values, "site_id": sites.id_for(str(row.values["site"]))}
    del values["site"]
    employee = Employee(
        personnel_number=row.number,
        username=unique_username(row.first_name, row.last_name, taken),
        **values,
    )
    employee.set_unusable_password()
    employee.announce_arrival = announce_new
    employee.save()


def _update(batch: list[_Row], sites: _Sites) -> int:
    """Write one batch of changed rows; compared again, as someone may have edited meanwhile."""
    fresh = Employee.objects.filter(personnel_number__in=[row.number for row in batch])
    by_number = {employee.personnel_number: employee for employee in fresh}
    updated = 0
    for row in batch:
        employee = by_number.get(row.number)
        if employee is None:
            continue  # deleted since the check: the next run creates it again
        fields = _changes(employee, row, sites)
        for name in fields:
            if name == "site":
                employee.site_id = sites.id_for(str(row.values["site"]))
            elif name == "is_active":
                employee.is_active = True
            else:
                setattr(employee, name, row.values[name])
        if fields:
            employee.save(update_fields=["site" if name == "site" else name for name in fields])
            updated += 1
    return updated
