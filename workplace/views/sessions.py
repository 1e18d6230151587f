"""Ending a session: by hand, after the idle time on a terminal; and keeping one alive."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from workplace import sessions, terminals
from workplace.sessions import EndReason


# Without CSRF protection on purpose: a forged logout only ends a session, while a
# shared terminal must never refuse its logout button because the page was left
# by the previous worker (whose token is stale once the next one logged in).
@csrf_exempt
@require_http_methods(["GET", "POST"])
def logout(request: HttpRequest) -> HttpResponse:
    """POST logs out and lands on the login page (with the PIN form on a terminal).

    A GET only asks: a link, a prefetch or a crawler must not log anyone out."""
    if request.method == "POST":
        sessions.end(request, EndReason.LOGOUT)  # also when already logged out: clear the browser
        return redirect(settings.LOGOUT_REDIRECT_URL)
    if not request.user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    return render(request, "registration/logout_confirm.html")


@sessions.not_activity
@never_cache
def idle_logout(request: HttpRequest) -> HttpResponse:
    """Where a terminal's page goes after the idle time: its countdown, or its meta
    refresh when JavaScript does not run. Lands on the PIN login.

    A GET that logs out, but only ever a shared terminal's session, which is the
    safe direction there; a personal device is sent home untouched."""
    if request.user.is_authenticated and not terminals.is_terminal_session(request):
        return redirect(settings.LOGIN_REDIRECT_URL)
    sessions.end(request, EndReason.IDLE)
    return redirect(settings.LOGIN_URL)


@require_POST
@never_cache
def session_activity(request: HttpRequest) -> HttpResponse:
    """The page reports taps and typing that no request carried (chat over the socket,
    reading, scrolling), so that the idle clock on the server agrees with the page's.
    The middleware notes the activity; 401 tells the page that its session is over."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    return HttpResponse(status=204)
