"""Shared terminals in workshops and depots.

An administrator registers a terminal once; the browser then carries a signed,
long-lived device cookie. On such a device an employee may log in with their
personnel number and PIN, the session ends after a short idle time, and wrong
PINs lock that personnel number at that terminal for a while, or at every
terminal once the city-wide cap is reached — in every process, since the
count lives in the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate, login
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from workplace import audit
from workplace.models import AuditAction, Employee, PinLockout, Terminal, WorkSite

COOKIE_NAME = settings.TERMINAL_COOKIE_NAME
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
    audit.record(AuditAction.TERMINAL_REGISTERED, actor=registered_by, target=terminal)
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


def forget_terminal(response: HttpResponse, terminal: Terminal | None, *, by: Employee) -> None:
    """This device is no longer a terminal: its cookie goes, and so does its record's use."""
    if terminal is not None:
        Terminal.objects.filter(pk=terminal.pk).update(is_active=False)
        audit.record(AuditAction.TERMINAL_FORGOTTEN, actor=by, target=terminal)
    response.delete_cookie(COOKIE_NAME)


def change_pin(employee: Employee, pin: str) -> None:
    employee.set_pin(pin)
    employee.save(update_fields=["pin"])
    audit.record(AuditAction.PIN_CHANGED, target=employee)


class PinLoginError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PinPolicy:
    max_failures: int  # per personnel number at one terminal
    max_failures_total: int  # per personnel number at all terminals together
    lock_seconds: int

    @classmethod
    def from_settings(cls) -> PinPolicy:
        return cls(
            settings.TERMINAL_PIN_MAX_FAILURES,
            settings.TERMINAL_PIN_MAX_FAILURES_TOTAL,
            settings.TERMINAL_PIN_LOCK_SECONDS,
        )


@dataclass(frozen=True)
class PinAttempt:
    """What counting one attempt decided, before the PIN was even looked at."""

    locked_until: datetime | None  # refused: a lock was already running
    tries_left: int  # after this attempt, should it fail
    locks: str | None  # "terminal" or "city": this attempt, should it fail, starts a lock


def pin_login(request: HttpRequest, personnel_number: str, pin: str) -> Employee:
    """Log in with a PIN on this terminal, or raise PinLoginError with a Dutch reason."""
    terminal = getattr(request, "terminal", None)
    if terminal is None:
        raise PinLoginError(_("Logging in with a PIN only works on a registered shared terminal."))
    personnel_number = personnel_number.strip()
    policy = PinPolicy.from_settings()
    attempt = count_attempt(personnel_number, terminal, policy)
    if attempt.locked_until is not None:
        minutes = max(1, round((attempt.locked_until - timezone.now()).total_seconds() / 60))
        raise PinLoginError(
            _("Too many wrong PINs. Try again in %(minutes)d minutes or ask your team leader.")
            % {"minutes": minutes}
        )
    user = authenticate(request, personnel_number=personnel_number, pin=pin)
    if user is None:
        wrong = _("That personnel number and PIN do not match.")
        if attempt.locks:
            _record_lock(request, personnel_number, attempt.locks, policy)
            minutes = max(1, round(policy.lock_seconds / 60))
            raise PinLoginError(
                f"{wrong} "
                + _(
                    "Too many wrong PINs. Try again in %(minutes)d minutes or ask your team leader."
                )
                % {"minutes": minutes}
            )
        left = ngettext(
            "%(count)d attempt left.", "%(count)d attempts left.", attempt.tries_left
        ) % {"count": attempt.tries_left}
        raise PinLoginError(f"{wrong} {left}")
    _attempts_here(personnel_number, terminal).delete()
    login(request, user, backend="workplace.backends.TerminalPinBackend")
    start_terminal_session(request, terminal)
    return user


def _attempts_here(personnel_number: str, terminal: Terminal):
    """This terminal's counter for the number, and the city-wide one."""
    return PinLockout.objects.filter(personnel_number=personnel_number).filter(
        Q(terminal=terminal) | Q(terminal__isnull=True)
    )


def count_attempt(personnel_number: str, terminal: Terminal, policy: PinPolicy) -> PinAttempt:
    """Count an attempt as a failure before its PIN is checked (a good PIN clears it).

    Counting first, under a row lock, is what keeps attempts sent all at once
    from all being checked: each waits for the one before it, and once the
    limit is reached the rest are refused without looking at their PIN.
    """
    now = timezone.now()
    stale = timedelta(seconds=policy.lock_seconds)
    with transaction.atomic():
        # The rows must exist before they can be locked; concurrent creators agree.
        PinLockout.objects.bulk_create(
            [
                PinLockout(personnel_number=personnel_number, terminal=terminal),
                PinLockout(personnel_number=personnel_number, terminal=None),
            ],
            ignore_conflicts=True,
        )
        rows = list(_attempts_here(personnel_number, terminal).select_for_update().order_by("pk"))
        running = [row.locked_until for row in rows if row.locked_until and row.locked_until > now]
        if running:
            return PinAttempt(locked_until=max(running), tries_left=0, locks=None)
        tries_left, locks = policy.max_failures, None
        for row in rows:
            scope = "terminal" if row.terminal_id else "city"
            limit = policy.max_failures if row.terminal_id else policy.max_failures_total
            if row.last_failure is None or now - row.last_failure > stale:
                row.failures = 0  # old mistakes are forgotten
            row.failures += 1
            row.last_failure = now
            if row.failures >= limit:
                row.failures, row.locked_until, locks = 0, now + stale, locks or scope
                tries_left = 0
            else:
                tries_left = min(tries_left, limit - row.failures)
            row.save(update_fields=["failures", "locked_until", "last_failure"])
    return PinAttempt(locked_until=None, tries_left=tries_left, locks=locks)


def _record_lock(request: HttpRequest, personnel_number: str, scope: str, policy) -> None:
    employee = Employee.objects.filter(personnel_number=personnel_number).first()
    audit.record(
        AuditAction.PIN_LOCKED,
        request=request,
        actor=None,
        target=employee,
        target_label=personnel_number,
        scope=scope,
        minutes=round(policy.lock_seconds / 60),
    )


def start_terminal_session(request: HttpRequest, terminal: Terminal) -> None:
    """Any login on a terminal is a terminal session: short-lived, never remembered.

    Call it right after ``login``; ``workplace.sessions`` keeps its idle clock."""
    request.session[SESSION_FLAG] = terminal.pk
    request.session.set_expiry(settings.TERMINAL_IDLE_SECONDS)
    Terminal.objects.filter(pk=terminal.pk).update(last_seen=timezone.now())


def is_terminal_session(request: HttpRequest) -> bool:
    return SESSION_FLAG in request.session
