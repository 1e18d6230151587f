"""Shared terminals in workshops and depots.

An administrator registers a terminal once; the browser then carries a signed,
long-lived device cookie. On such a device an employee may log in with their
personnel number and PIN, the session ends after a short idle time, and wrong
PINs lock that personnel number for a while — on every terminal and process,
since the count lives in the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate, login
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from workplace.models import Employee, PinLockout, Terminal, WorkSite

COOKIE_NAME = "werkplek_terminal"
COOKIE_SALT = "werkplek.terminal"
COOKIE_MAX_AGE = 60 * 60 * 24 * 365 * 5
SESSION_FLAG = "terminal_id"


def terminal_from_request(request: HttpRequest) -> Terminal | None:
    token = request.get_signed_cookie(COOKIE_NAME, default=None, salt=COOKIE_SALT)
    if not token:
        return None
    return Terminal.objects.filter(token=token, is_active=True).first()


def register_terminal(
    response: HttpResponse, *, name: str, site: WorkSite | None, registered_by: Employee
) -> Terminal:
    terminal = Terminal.objects.create(name=name, site=site, registered_by=registered_by)
    response.set_signed_cookie(
        COOKIE_NAME,
        str(terminal.token),
        salt=COOKIE_SALT,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )
    return terminal


def forget_terminal(response: HttpResponse) -> None:
    response.delete_cookie(COOKIE_NAME)


class PinLoginError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PinPolicy:
    max_failures: int
    lock_seconds: int

    @classmethod
    def from_settings(cls) -> PinPolicy:
        return cls(settings.TERMINAL_PIN_MAX_FAILURES, settings.TERMINAL_PIN_LOCK_SECONDS)


def pin_login(request: HttpRequest, personnel_number: str, pin: str) -> Employee:
    """Log in with a PIN on this terminal, or raise PinLoginError with a Dutch reason."""
    terminal = getattr(request, "terminal", None)
    if terminal is None:
        raise PinLoginError(_("Logging in with a PIN only works on a registered shared terminal."))
    personnel_number = personnel_number.strip()
    lockout = PinLockout.objects.filter(personnel_number=personnel_number).first()
    if lockout and lockout.is_locked:
        minutes = max(1, round((lockout.locked_until - timezone.now()).total_seconds() / 60))
        raise PinLoginError(
            _("Too many wrong PINs. Try again in %(minutes)d minutes or ask your team leader.")
            % {"minutes": minutes}
        )
    user = authenticate(request, personnel_number=personnel_number, pin=pin)
    if user is None:
        _record_failure(personnel_number, PinPolicy.from_settings())
        raise PinLoginError(_("That personnel number and PIN do not match."))
    PinLockout.objects.filter(personnel_number=personnel_number).delete()
    login(request, user, backend="workplace.backends.TerminalPinBackend")
    start_terminal_session(request, terminal)
    return user


def _record_failure(personnel_number: str, policy: PinPolicy) -> None:
    now = timezone.now()
    with transaction.atomic():
        lockout, _created = PinLockout.objects.get_or_create(personnel_number=personnel_number)
        # Counting in SQL keeps concurrent attempts from two terminals honest.
        PinLockout.objects.filter(pk=lockout.pk).update(
            failures=F("failures") + 1, last_failure=now
        )
        lockout.refresh_from_db()
        if lockout.failures >= policy.max_failures:
            lockout.failures = 0
            lockout.locked_until = now + timedelta(seconds=policy.lock_seconds)
            lockout.save(update_fields=["failures", "locked_until"])


def start_terminal_session(request: HttpRequest, terminal: Terminal) -> None:
    """Any login on a terminal is a terminal session: short-lived, never remembered.

    Call it right after ``login``; ``workplace.sessions`` keeps its idle clock."""
    request.session[SESSION_FLAG] = terminal.pk
    request.session.set_expiry(settings.TERMINAL_IDLE_SECONDS)
    Terminal.objects.filter(pk=terminal.pk).update(last_seen=timezone.now())


def is_terminal_session(request: HttpRequest) -> bool:
    return SESSION_FLAG in request.session
