"""How long a login lasts, and how it ends (see docs/security.md).

A session ends at whichever comes first: ``SESSION_IDLE_SECONDS`` without a
request (``TERMINAL_IDLE_SECONDS`` on a shared terminal), or
``SESSION_ABSOLUTE_SECONDS`` after the login. ``SessionLimitMiddleware``
enforces this on every request. A session can also end without any request
arriving — idle, past its limit, its password changed elsewhere — so the
WebSocket consumer asks ``socket_check`` at the session's deadline and when told
to (``realtime.check_user_sockets``).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from importlib import import_module

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, get_user_model, logout
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from workplace import terminals

STARTED = "session_started"
ACTIVITY = "session_activity"
# Personal devices note their activity at most once a minute: an idle limit of
# hours needs no better, and a write on every page would cost a database write.
TOUCH_EVERY = 60
# The store keeps a personal session this long past its absolute end, so that
# the owner who comes back is told why they were logged out instead of landing
# on a bare login page. The limits themselves are checked on every request.
NOTICE_SECONDS = 24 * 60 * 60


class EndReason(StrEnum):
    LOGOUT = "logout"
    IDLE = "idle"
    EXPIRED = "expired"
    PASSWORD_CHANGED = "password_changed"
    DEACTIVATED = "deactivated"
    TERMINAL_REMOVED = "terminal_removed"


def start(session: SessionBase) -> None:
    """Start the clocks of a new login (called for every login, through ``user_logged_in``)."""
    now = time.time()
    session[STARTED] = now
    session[ACTIVITY] = now
    if terminals.SESSION_FLAG in session:
        session.set_expiry(settings.TERMINAL_IDLE_SECONDS)
    else:
        end = now + settings.SESSION_ABSOLUTE_SECONDS + NOTICE_SECONDS
        session.set_expiry(datetime.fromtimestamp(end, tz=UTC))


def not_activity(view):
    """Mark a view whose requests are not the employee's doing (a page that refreshes
    itself): they must not keep a session alive."""
    view.counts_as_activity = False
    return view


def idle_limit(session: SessionBase) -> int:
    if terminals.SESSION_FLAG in session:
        return settings.TERMINAL_IDLE_SECONDS
    return settings.SESSION_IDLE_SECONDS


def deadline(session: SessionBase) -> float:
    """When this session ends unless it is used again, as a POSIX timestamp."""
    return min(
        session.get(ACTIVITY, 0) + idle_limit(session),
        session.get(STARTED, 0) + settings.SESSION_ABSOLUTE_SECONDS,
    )


def past_limits(session: SessionBase, now: float | None = None) -> EndReason | None:
    now = time.time() if now is None else now
    if now > session.get(STARTED, 0) + settings.SESSION_ABSOLUTE_SECONDS:
        return EndReason.EXPIRED
    if now > session.get(ACTIVITY, 0) + idle_limit(session):
        return EndReason.IDLE
    return None


def touch(session: SessionBase) -> None:
    """Note a request by the employee: the idle clock starts again."""
    now = time.time()
    if terminals.SESSION_FLAG in session:
        # Minutes of idle time: every request counts, to the second.
        session[ACTIVITY] = now
        session.set_expiry(settings.TERMINAL_IDLE_SECONDS)
    elif now - session.get(ACTIVITY, 0) >= TOUCH_EVERY:
        session[ACTIVITY] = now


def adopt(session: SessionBase) -> None:
    """A personal session from before the limits existed starts its clocks now.

    Terminal sessions are not adopted: without a clock they count as idle."""
    if STARTED not in session and terminals.SESSION_FLAG not in session:
        start(session)


def ended_reason(request: HttpRequest) -> EndReason | None:
    """Why the logged-in session of this request must end now, if it must."""
    if terminals.SESSION_FLAG in request.session and request.terminal is None:
        return EndReason.TERMINAL_REMOVED
    return past_limits(request.session)


def end(request: HttpRequest, reason: EndReason) -> None:
    """Log out, tell the employee why, and let the logout response clear the browser.

    ``logout`` sends ``user_logged_out``: the audit log records the reason and the
    session's sockets are closed, in every process."""
    on_terminal = terminals.SESSION_FLAG in request.session or request.terminal is not None
    # Nobody to tell on a personal device whose session had already gone.
    tell = request.user.is_authenticated or on_terminal
    request.logout_reason = reason
    logout(request)
    message = _logged_out_message(reason, on_terminal) if tell else ""
    if message:
        messages.info(request, message)


def _logged_out_message(reason: EndReason, was_terminal: bool) -> str:
    if reason in {EndReason.TERMINAL_REMOVED, EndReason.IDLE} and was_terminal:
        return _("You were logged out because the terminal was not used for a while.")
    if reason == EndReason.IDLE:
        return _(
            "You were logged out because you did nothing for %(duration)s. Please log in again."
        ) % {"duration": _duration(settings.SESSION_IDLE_SECONDS)}
    if reason == EndReason.EXPIRED:
        return _(
            "You were logged out because you had been logged in for %(duration)s. "
            "Please log in again."
        ) % {"duration": _duration(settings.SESSION_ABSOLUTE_SECONDS)}
    return ""


def _duration(seconds: int) -> str:
    """'8 uur', '2 weken': the largest unit only, in the active language."""
    now = datetime.now(tz=UTC)
    return timesince(now - timedelta(seconds=seconds), now, depth=1)


# --- for sockets, which see no requests ---------------------------------------------


def socket_check(session_key: str, user_id: int) -> tuple[EndReason | None, float]:
    """Why the session behind a socket has ended (or None), and when to look again.

    Reads the session and the employee afresh and changes neither: ending the
    session itself is left to the next request, which logs out as usual."""
    now = time.time()
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    if store.get(SESSION_KEY) != str(user_id):
        # Gone from the store: logged out elsewhere, or past the store's own expiry.
        return EndReason.EXPIRED, now
    user = get_user_model()._default_manager.filter(pk=user_id).first()
    if user is None or not user.is_active:
        return EndReason.DEACTIVATED, now
    if not _hash_matches(store.get(HASH_SESSION_KEY), user):
        return EndReason.PASSWORD_CHANGED, now
    reason = past_limits(store, now)
    if reason is not None:
        return reason, now
    return None, min(deadline(store), now + settings.SESSION_RECHECK_SECONDS)


def _hash_matches(session_hash: str | None, user) -> bool:
    # As django.contrib.auth.get_user, including SECRET_KEY_FALLBACKS, but without
    # cycling the key: a socket must not change the session under its browser.
    if not session_hash:
        return False
    if constant_time_compare(session_hash, user.get_session_auth_hash()):
        return True
    return any(
        constant_time_compare(session_hash, fallback)
        for fallback in user.get_session_auth_fallback_hash()
    )
