"""Activation codes: how an employee without e-mail gets their first password.

HR prints a letter with a code and a QR code. The code is shown once, stored
only as a keyed hash, expires, and works once: the employee chooses a password
and a terminal PIN with it.

Whoever holds a code can take over the account, so a code is only ever made
for an account the issuer outranks (``authority``), and a first letter only
for someone without a password: replacing a working password is a *reset*,
with a written reason in the audit log. Both rules are checked again when the
code is used, since the account may have changed in the meantime.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from workplace import audit
from workplace.authority import may_reach, reachable_by
from workplace.models import ActivationCode, AuditAction, Employee
from workplace.models.access import hash_code

# No 0/O, 1/I/L: the code is read off paper and typed on a phone.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


class ActivationError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def format_code(raw: str) -> str:
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def has_password(employee: Employee) -> bool:
    """Has the employee got a password of their own (or logged in some other way)?"""
    return employee.last_login is not None or employee.has_usable_password()


def without_password(employees: QuerySet[Employee]) -> QuerySet[Employee]:
    """``has_password`` as a filter: never logged in, no usable password."""
    return employees.filter(last_login__isnull=True).filter(
        Q(password="") | Q(password__startswith=UNUSABLE_PASSWORD_PREFIX)
    )


def issue_activation_code(employee: Employee, *, created_by: Employee | None) -> str:
    """A first letter's code (older unused ones stop working), for someone without a password.

    ``created_by`` None is the system (a management command), which outranks everyone."""
    if has_password(employee):
        raise ActivationError(_("This employee already has a password: use a reset instead."))
    _check_issuer(created_by, employee)
    return _new_code(employee, created_by=created_by, reason="")


def issue_reset_code(employee: Employee, *, created_by: Employee, reason: str) -> str:
    """A code that replaces the employee's password once used, with the reason on record."""
    reason = reason.strip()
    if not reason:
        raise ActivationError(_("Write down why the password is reset."))
    _check_issuer(created_by, employee)
    code = _new_code(employee, created_by=created_by, reason=reason)
    audit.record(AuditAction.PASSWORD_RESET, actor=created_by, target=employee, reason=reason)
    return code


@dataclass
class LetterBatch:
    codes: list[tuple[Employee, str]] = field(default_factory=list)
    out_of_reach: int = 0  # more rights than the issuer
    with_password: int = 0  # need a reset instead


@dataclass
class LetterPlan:
    """Who a batch of letters would reach, before any code is made."""

    employees: list[Employee]  # without a password and within the issuer's reach
    unused: dict[int, ActivationCode]  # employee pk: the letter a new one would replace
    out_of_reach: int = 0
    with_password: int = 0

    def replacing(self, chosen: list[Employee]) -> list[Employee]:
        return [employee for employee in chosen if employee.pk in self.unused]


def plan_letters(issuer: Employee, employees: QuerySet[Employee]) -> LetterPlan:
    """What ``issue_letters`` would do: a new letter makes every unused code of its
    employee stop working, so HR is told whose before printing again."""
    reachable = reachable_by(issuer, employees)
    eligible = list(
        without_password(reachable)
        .select_related("department")
        .order_by("last_name", "first_name", "pk")
    )
    unused = {}
    for code in ActivationCode.objects.filter(
        employee__in=[employee.pk for employee in eligible],
        used__isnull=True,
        expires__gt=timezone.now(),
    ).order_by("created"):
        unused[code.employee_id] = code  # the newest wins
    return LetterPlan(
        employees=eligible,
        unused=unused,
        out_of_reach=employees.count() - reachable.count(),
        with_password=reachable.count() - len(eligible),
    )


def issue_letters(issuer: Employee, employees: QuerySet[Employee], *, label: str) -> LetterBatch:
    """First letters for everyone in ``employees`` the issuer may give one to (at most
    ``MAX_LETTERS``, checked by the caller); the others are only counted."""
    reachable = reachable_by(issuer, employees)
    batch = LetterBatch(
        out_of_reach=employees.count() - reachable.count(),
        with_password=reachable.count() - without_password(reachable).count(),
    )
    for employee in without_password(reachable).select_related("department", "site"):
        batch.codes.append((employee, _new_code(employee, created_by=issuer, reason="")))
    if batch.codes:
        audit.record(
            AuditAction.ACTIVATION_ISSUED,
            actor=issuer,
            target_label=label,
            employees=[employee.pk for employee, _code in batch.codes],
        )
    return batch


def _check_issuer(issuer: Employee | None, employee: Employee) -> None:
    if issuer is not None and not may_reach(issuer, employee):
        raise ActivationError(
            _("This employee has rights that you do not have: ask an administrator.")
        )


def _new_code(employee: Employee, *, created_by: Employee | None, reason: str) -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    now = timezone.now()
    with transaction.atomic():
        ActivationCode.objects.filter(employee=employee, used__isnull=True).update(expires=now)
        ActivationCode.objects.create(
            employee=employee,
            code_hash=hash_code(raw),
            created=now,
            expires=now + timedelta(days=settings.ACTIVATION_CODE_DAYS),
            created_by=created_by,
            reason=reason,
        )
    return format_code(raw)


def find_usable_code(code: str) -> ActivationCode:
    found = (
        ActivationCode.objects.select_related("employee")
        .filter(code_hash=hash_code(code), employee__is_active=True)
        .first()
    )
    if found is None:
        raise ActivationError(_("This activation code is not valid. Check the letter from HR."))
    if found.used is not None:
        raise ActivationError(_("This activation code has already been used."))
    if found.expires <= timezone.now():
        raise ActivationError(_("This activation code has expired. Ask HR for a new letter."))
    return found


def activate(code: str, *, password: str, pin: str | None) -> Employee:
    """Spend the code: set the password (and PIN). Exactly one caller can win a code."""
    with transaction.atomic():
        activation = find_usable_code(code)
        employee = activation.employee
        issuer = activation.created_by
        if issuer is not None and not may_reach(issuer, employee):
            raise ActivationError(
                _("This activation code is no longer valid. Ask HR for a new letter.")
            )
        if not activation.is_reset and has_password(employee):
            raise ActivationError(
                _("You already have a password: log in with it, or ask HR for a reset.")
            )
        spent = ActivationCode.objects.filter(pk=activation.pk, used__isnull=True).update(
            used=timezone.now()
        )
        if not spent:
            raise ActivationError(_("This activation code has already been used."))
        employee.set_password(password)
        fields = ["password"]
        if pin:
            employee.set_pin(pin)
            fields.append("pin")
        employee.save(update_fields=fields)
        audit.record(
            AuditAction.ACTIVATION_USED,
            actor=employee,
            target=employee,
            reset=activation.is_reset,
            issued_by=activation.created_by_id,
        )
    return employee
