"""Activation codes: how an employee without e-mail gets their first password.

HR prints a letter with a code and a QR code. The code is shown once, stored
only as a keyed hash, expires, and works once: the employee chooses a password
and a terminal PIN with it.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workplace.models import ActivationCode, Employee
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


def issue_activation_code(employee: Employee, *, created_by: Employee | None) -> str:
    """Create a fresh code for the employee (older unused ones stop working) and return it."""
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
        spent = ActivationCode.objects.filter(pk=activation.pk, used__isnull=True).update(
            used=timezone.now()
        )
        if not spent:
            raise ActivationError(_("This activation code has already been used."))
        employee = activation.employee
        employee.set_password(password)
        fields = ["password"]
        if pin:
            employee.set_pin(pin)
            fields.append("pin")
        employee.save(update_fields=fields)
    return employee
