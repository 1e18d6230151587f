from __future__ import annotations

from django.conf import settings
from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.shortcuts import redirect
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from workplace import sessions, terminals


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, except that a request whose session ended meanwhile lands on the login page.

    A page that reloads while another tab logs out (or the idle logout runs) still
    holds the old session; saving it fails with SessionInterrupted, which Django
    answers with a bare "Bad Request (400)". The session is over either way, and
    the login page (with the PIN form on a terminal) is where the person must go.
    """

    def process_response(self, request, response):
        try:
            return super().process_response(request, response)
        except SessionInterrupted:
            return redirect(settings.LOGIN_URL)


class TerminalMiddleware:
    """Recognises registered terminals; their pages are never cached."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.terminal = terminals.terminal_from_request(request)
        on_terminal = request.user.is_authenticated and terminals.is_terminal_session(request)
        response = self.get_response(request)
        if request.terminal is not None or on_terminal:
            # The next person on this terminal must not page back into this one's screens.
            add_never_cache_headers(response)
        return response


class UserLanguageMiddleware:
    """Dutch unless the employee chose English (or, before login, the language cookie says so).

    Replaces Django's LocaleMiddleware on purpose: a browser's Accept-Language
    must not turn a Dutch-first workplace into an English one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        available = {code for code, _name in settings.LANGUAGES}
        if request.user.is_authenticated:
            language = request.user.language
        else:
            language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in available:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response


class SessionLimitMiddleware:
    """Ends a session past its idle or absolute limit (``workplace.sessions``).

    After ``TerminalMiddleware`` (it needs ``request.terminal``) and after
    ``UserLanguageMiddleware``, so that the message says why in the employee's language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = None
        if request.user.is_authenticated:
            sessions.adopt(request.session)
            reason = sessions.ended_reason(request)
            if reason is not None:
                sessions.end(request, reason)
                response = redirect(settings.LOGIN_URL)
        if response is None:
            response = self.get_response(request)
        if getattr(request, "logged_out", False):
            # Whatever the browser kept for the person who just left (queued
            # messages, caches) must not be there for the next one.
            response["Clear-Site-Data"] = '"cache", "storage"'
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # After URL resolution, so that a view can say a request is not the
        # employee's doing (a page refreshing itself) and must not keep them logged in.
        if request.user.is_authenticated and getattr(view_func, "counts_as_activity", True):
            sessions.touch(request.session)
