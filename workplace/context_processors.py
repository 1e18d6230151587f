from __future__ import annotations

from django.conf import settings

from workplace import mfa, sessions, shell, terminals
from workplace.roles import Role, has_role


def shell_context(request) -> dict:
    user = getattr(request, "user", None)
    on_terminal = bool(user and user.is_authenticated and terminals.is_terminal_session(request))
    # A login that still owes its second factor sees no navigation and opens no socket.
    pending = bool(user) and mfa.is_pending(request)
    signed_in = bool(user and user.is_authenticated) and not pending
    return {
        "second_factor_pending": pending,
        "nav_items": (
            # Error pages skip the badge queries: a scanner's 404s should cost nothing.
            shell.navigation(None if getattr(request, "error_page", False) else request)
            if signed_in
            else []
        ),
        # Called by the template only where it is shown (base.html), not for fragments.
        "page_notices": (
            (lambda: shell.notices_for(request))
            if signed_in and not getattr(request, "error_page", False)
            else []
        ),
        "search_url": shell.nav_items["search"].url,
        "on_terminal": on_terminal,
        "terminal_device": getattr(request, "terminal", None),
        "terminal_idle_seconds": settings.TERMINAL_IDLE_SECONDS,
        "session_idle_seconds": (
            sessions.idle_limit(request.session) if user and user.is_authenticated else 0
        ),
        "is_hr": bool(user) and has_role(user, Role.HR),
    }
