from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _

from workplace import terminals


class TerminalMiddleware:
    """Recognises registered terminals and ends idle sessions on them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.terminal = terminals.terminal_from_request(request)
        on_terminal = request.user.is_authenticated and terminals.is_terminal_session(request)
        if on_terminal:
            if terminals.idle_expired(request) or request.terminal is None:
                logout(request)
                messages.info(
                    request, _("You were logged out because the terminal was not used for a while.")
                )
                return redirect(settings.LOGIN_URL)
            terminals.touch(request)
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
