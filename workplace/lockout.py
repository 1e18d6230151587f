"""Limits on password guessing, through django-axes (settings: ``LOGIN_*_LIMIT``).

Three counters, each over the last ``LOGIN_LOCKOUT_MINUTES``:

- one account from one address (``LOGIN_FAILURE_LIMIT``, 5): the common case,
  someone guessing a colleague's password at a depot. Only that account, and
  only from that address, is locked: the colleagues behind the same NAT
  address log in as usual, and so does the owner from anywhere else;
- one account from anywhere (``LOGIN_ACCOUNT_FAILURE_LIMIT``, 20): guessing
  spread over many addresses still stops at a few attempts per minute;
- one address for any accounts (``LOGIN_ADDRESS_FAILURE_LIMIT``, 100): spraying
  one password over the sequential personnel numbers. Far above what a
  depot's shift start produces, so that one address is only locked under attack.

Axes has one failure limit for every counter, so ``LockoutHandler`` scales
each counter to it. The PIN on terminals has its own lock (``terminals``).
"""

from __future__ import annotations

from axes.conf import settings as axes_settings
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_lockout_parameters
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from workplace import audit
from workplace.models import AuditAction, Employee

API_PREFIX = "/api/"


def _limit_for(parameters: list[str] | str) -> int:
    key = tuple(sorted([parameters] if isinstance(parameters, str) else parameters))
    if key == ("username",):
        return settings.LOGIN_ACCOUNT_FAILURE_LIMIT
    if key == ("ip_address",):
        return settings.LOGIN_ADDRESS_FAILURE_LIMIT
    return settings.AXES_FAILURE_LIMIT


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit of its own for each lockout parameter."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        """The worst counter, scaled to ``AXES_FAILURE_LIMIT``: the result reaches that
        limit exactly when some counter reaches its own limit."""
        base = settings.AXES_FAILURE_LIMIT
        worst = 0
        groups = get_lockout_parameters(request, credentials)
        for parameters, attempts in zip(
            groups, self.get_user_attempts(request, credentials), strict=True
        ):
            count = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            worst = max(worst, count * base // _limit_for(parameters))
        return worst

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """A good login forgives this person's typos from this address, nothing more:
        failures against the account elsewhere and from this address against other
        accounts still count (axes would otherwise clear every counter it matches)."""
        username = get_client_username(request, credentials)
        deleted, _per_model = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return deleted


def account_name(request: HttpRequest, credentials: dict | None) -> str | None:
    """The account a login aims at, so that its username and its personnel number
    share one counter (the login form takes either, as the backend does)."""
    typed = str((credentials or {}).get("username") or "").strip()[:150]
    if not typed:
        return None
    found = Employee.objects.filter(username=typed).values_list("username", flat=True).first()
    if found is None:
        found = (
            Employee.objects.filter(personnel_number=typed)
            .values_list("username", flat=True)
            .first()
        )
    return found or typed


def is_pin_attempt(request: HttpRequest, credentials: dict | None) -> bool:
    """PIN logins are counted by ``terminals`` per personnel number and terminal."""
    return "pin" in (credentials or {})


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    minutes = int(axes_settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if request.path.startswith(API_PREFIX):
        from workplace.api import error_response

        response = error_response(
            "locked_out",
            _("Too many failed login attempts. Try again in %(minutes)d minutes.")
            % {"minutes": minutes},
            429,
        )
    else:
        response = render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


@receiver(user_locked_out)
def record_lockout(sender, request, username, ip_address, **kwargs) -> None:
    # Axes also sends this for each attempt refused during a lock; only the
    # failure that started it has been counted (axes_failures_since_start).
    if getattr(request, "axes_failures_since_start", None) is None:
        return
    target = Employee.objects.filter(username=username).first() if username else None
    audit.record(
        AuditAction.ACCOUNT_LOCKED,
        request=request,
        actor=None,
        target=target,
        target_label=username or "",
        minutes=int(axes_settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    )
