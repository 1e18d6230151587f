"""Re-authentication before sensitive actions: ``@recent_auth_required``.

Setting up a second factor, making an API token, printing activation codes and
exporting data are what someone who found a session open (on a shared
terminal, on a colleague's unlocked phone) would be after. Those views ask for
the password again — and the second factor, for whoever has one — unless both
were given within the last ``REAUTH_SECONDS``.

A PIN login on a terminal is not a password confirmation: a PIN is short and
typed in front of colleagues.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

PASSWORD_AT = "werkplek_password_at"
SECOND_FACTOR_AT = "werkplek_second_factor_at"


def note_password(request: HttpRequest) -> None:
    """The user has just typed their password (a login, the confirmation page)."""
    request.session[PASSWORD_AT] = timezone.now().timestamp()


def note_second_factor(request: HttpRequest) -> None:
    """The user has just given a code of their second factor."""
    request.session[SECOND_FACTOR_AT] = timezone.now().timestamp()


def _recent(request: HttpRequest, key: str) -> bool:
    at = request.session.get(key)
    if not isinstance(at, int | float):
        return False
    age = timezone.now().timestamp() - at
    return 0 <= age <= settings.REAUTH_SECONDS


def is_recent(request: HttpRequest) -> bool:
    """Password, and the second factor when the user has one, given recently in this session."""
    from workplace import mfa

    if not request.user.is_authenticated or not _recent(request, PASSWORD_AT):
        return False
    return not mfa.has_second_factor(request.user) or _recent(request, SECOND_FACTOR_AT)


def confirm_url(request: HttpRequest) -> str:
    """The confirmation page, and back: to this page, or for a form that was posted (which
    cannot be repeated by a redirect) to the page that showed the form."""
    target = request.get_full_path()
    if request.method != "GET":
        referer = request.headers.get("Referer", "")
        allowed = url_has_allowed_host_and_scheme(
            referer, {request.get_host()}, request.is_secure()
        )
        target = urlsplit(referer).path if referer and allowed else "/"
    return f"{reverse('reauth')}?{urlencode({'next': target})}"


def recent_auth_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """View decorator: log in, then confirm the password (and second factor) if that was
    not done in the last ``REAUTH_SECONDS``, before the view runs at all."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_recent(request):
            return redirect(confirm_url(request))
        return view(request, *args, **kwargs)

    return wrapper


def check_password(request: HttpRequest, password: str) -> bool:
    """Is this the logged-in user's password? Asked through ``authenticate`` so that
    guessing it here counts towards the login lock like any other attempt."""
    user = request.user
    found = authenticate(request, username=user.get_username(), password=password)
    return found is not None and found.pk == user.pk
