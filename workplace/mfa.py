"""Two-step login (django-otp): an authenticator app (TOTP) and one-time recovery codes.

Who must use it: superusers, staff and the holders of ``MFA_REQUIRED_ROLES``
(communication, HR, KUS editors) — the accounts that can change what others
read or see what others answered. Anyone else may set it up too, and is then
asked for a code at every password login. Field workers without such a role
keep logging in with their PIN on terminals.

``SecondFactorMiddleware`` enforces it for every page at once: a session that
needs a second factor and has not given one reaches nothing but the code page
(or the set-up page, for whoever has no app yet) and logging out. The
management guards (``role_required``, ``staff_required``) and the admin check
it again themselves, so a page does not depend on the middleware's list.
API bearer tokens are a credential of their own and are not asked for a code.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

import django_otp
import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from workplace import audit, reauth
from workplace.models import AuditAction, Employee
from workplace.roles import role_names

RECOVERY_CODES = 10
PENDING = "werkplek_second_factor_pending"
# What a session that still owes its code may open.
OPEN_WHILE_PENDING = {"mfa_verify", "mfa_setup", "reauth", "logout", "set_language", "healthz"}


def requires_second_factor(user) -> bool:
    """Must this account give a second factor? (Superusers, staff, the required roles.)"""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return bool(role_names(user) & set(settings.MFA_REQUIRED_ROLES))


def has_second_factor(user) -> bool:
    """Has the account an authenticator app set up?"""
    return user.is_authenticated and TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_verified(request: HttpRequest) -> bool:
    verified = getattr(request.user, "is_verified", None)
    return bool(verified and verified())


def is_pending(request: HttpRequest) -> bool:
    """Does this session still owe a code before it may do anything?"""
    user = request.user
    if not user.is_authenticated or is_verified(request):
        return False
    return bool(request.session.get(PENDING)) or requires_second_factor(user)


def session_owes_code(user, session) -> bool:
    """``is_pending`` for a session without a request (a WebSocket's scope)."""
    if user is None or not user.is_authenticated:
        return False
    device_id = session.get(django_otp.DEVICE_ID_SESSION_KEY)
    device = Device.from_persistent_id(device_id) if device_id else None
    if device is not None and device.user_id == user.pk and device.confirmed:
        return False
    return bool(session.get(PENDING)) or requires_second_factor(user)


def next_step_url(request: HttpRequest) -> str:
    """The code page, or the set-up page for whoever has no app yet; back here after."""
    name = "mfa_verify" if has_second_factor(request.user) else "mfa_setup"
    return f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}"


class SecondFactorMiddleware:
    """Keeps a session that owes its second factor on the code (or set-up) page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _uses_bearer_token(request) or not is_pending(request) or _open_while_pending(request):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            from workplace.api import error_response

            return error_response(
                "second_factor_required", _("Confirm your login with a code first."), 403
            )
        return redirect(next_step_url(request))


def _uses_bearer_token(request: HttpRequest) -> bool:
    from workplace.api import _bearer_key

    return _bearer_key(request) is not None


def _open_while_pending(request: HttpRequest) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.url_name in OPEN_WHILE_PENDING


def second_factor_required(view):
    """View decorator for management pages: a verified second factor where one is required.

    Also the middleware's job; checked here so that no management page depends on it."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if is_pending(request):
            return redirect(next_step_url(request))
        return view(request, *args, **kwargs)

    return wrapper


def staff_required(view):
    """Staff only (403 for others), with their second factor."""

    @wraps(view)
    @login_required
    @second_factor_required
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


# --- the actions --------------------------------------------------------------------


def note_login(request: HttpRequest, user: Employee) -> None:
    """At a password login: whoever has an app gives a code too, required or not."""
    if has_second_factor(user):
        request.session[PENDING] = True


def pending_totp(user: Employee) -> TOTPDevice:
    """The app being set up: an unconfirmed device, kept until the first good code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator-app", confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret as typed into an app by hand: base32, in groups of four."""
    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def qr_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4, omitsize=False)


@dataclass(frozen=True)
class VerifyResult:
    device: TOTPDevice | StaticDevice | None
    wait_seconds: int = 0  # the device is throttled after repeated wrong codes


def confirm_totp(request: HttpRequest, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the app with its first code: it replaces any earlier app, comes with fresh
    recovery codes (returned, to be shown once) and verifies this session."""
    if not device.verify_token(_digits(token)):
        audit.record(AuditAction.MFA_FAILED, target=request.user, step="set-up")
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        device.confirmed = True
        codes = _replace_recovery_codes(device.user)
    audit.record(AuditAction.MFA_ENABLED, target=device.user)
    _verified(request, device)
    return codes


def verify(request: HttpRequest, token: str) -> VerifyResult:
    """Check a code from the app, or a recovery code (used up once it worked)."""
    user = request.user
    token = token.strip()
    digits = _digits(token)
    devices = (
        TOTPDevice.objects.filter(user=user, confirmed=True)
        if digits.isdigit() and len(digits) in (6, 8)
        else StaticDevice.objects.filter(user=user, confirmed=True)
    )
    typed = digits if digits.isdigit() else token.replace(" ", "").replace("-", "").lower()
    wait = 0
    for device in devices:
        allowed, details = device.verify_is_allowed()
        if not allowed and details and details.get("locked_until"):
            # Throttled after wrong codes (1, 2, 4 … seconds): not even checked.
            wait = max(wait, int((details["locked_until"] - timezone.now()).total_seconds()) + 1)
            continue
        if django_otp.verify_token(user, device.persistent_id, typed) is not None:
            if isinstance(device, StaticDevice):
                audit.record(
                    AuditAction.RECOVERY_CODE_USED,
                    target=user,
                    left=StaticToken.objects.filter(device=device).count(),
                )
            _verified(request, device)
            return VerifyResult(device)
    audit.record(AuditAction.MFA_FAILED, target=user)
    return VerifyResult(None, wait_seconds=wait)


def new_recovery_codes(user: Employee) -> list[str]:
    codes = _replace_recovery_codes(user)
    audit.record(AuditAction.RECOVERY_CODES_CREATED, target=user)
    return codes


def recovery_codes_left(user: Employee) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def remove_second_factor(user: Employee, *, by: Employee, reason: str = "") -> int:
    """Remove the app and the recovery codes. Sessions verified with them are verified no
    longer (django-otp finds no device), so the next page asks for a new set-up."""
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=user).delete()[0]
        removed += StaticDevice.objects.filter(user=user).delete()[0]
    detail = {"by_administrator": True, "reason": reason} if by.pk != user.pk else {}
    audit.record(AuditAction.MFA_DISABLED, actor=by, target=user, **detail)
    return removed


def _replace_recovery_codes(user: Employee) -> list[str]:
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name="Herstelcodes", confirmed=True)
        codes = [StaticToken.random_token() for _n in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _verified(request: HttpRequest, device) -> None:
    # The login is complete only now: a new session key, so that one seen before
    # the code (over a shoulder, in a log) is worth nothing.
    request.session.cycle_key()
    django_otp.login(request, device)
    request.session.pop(PENDING, None)
    reauth.note_second_factor(request)


def _digits(token: str) -> str:
    return token.replace(" ", "").replace("-", "").strip()


@receiver(user_logged_in)
def ask_for_a_code_after_login(sender, request, user, **kwargs) -> None:
    # A PIN on a terminal stays one step for whoever is not required to give a code.
    if request is not None and not getattr(user, "backend", "").endswith("TerminalPinBackend"):
        note_login(request, user)
