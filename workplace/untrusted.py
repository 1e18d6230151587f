"""Hostile input, stopped at the door: one place for what no view should ever see.

NUL bytes (PostgreSQL cannot store them, the file system refuses them), lone
surrogates (no encoder can write them), integers beyond the 64 bits of a database
id (SQLite overflows), and JSON that is nested too deep for the parser. Pages,
the API and the WebSocket share these rules:

- ``UntrustedInputMiddleware`` answers 400 before any view runs, for the path,
  the query string, headers, form fields and JSON bodies, and for an id in the
  path beyond 64 bits (an unsafe cookie is ignored rather than refused);
- ``loads`` is the strict JSON parser of ``api.json_body`` and of the socket;
- ``check_frame`` holds a WebSocket frame to its schema (``workplace.schemas``)
  before any handler sees it;
- ``parse_id`` and ``local_url`` read an id or a redirect target from a form or
  a query string without ever raising.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from workplace import schemas

# A database id is a signed 64-bit integer everywhere (BigAutoField); so is any
# integer a client may send us.
MAX_INT = 2**63 - 1
MIN_INT = -(2**63)
# Every API body and frame is flat or nearly so; deeper means someone is probing.
MAX_JSON_DEPTH = 10
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class UnsafeInput(ValueError):
    """Input refused whatever the view: ``code`` for machines, ``detail`` for people."""

    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code, self.detail = code, detail


def check_text(value: str) -> None:
    match = _UNSTORABLE.search(value)
    if match is None:
        return
    if match.group() == "\x00":
        raise UnsafeInput("nul_character", _("The input contains a NUL character."))
    raise UnsafeInput("invalid_unicode", _("The input contains invalid Unicode."))


def _parse_int(text: str) -> int:
    # Checked on the digits, before Python builds a huge number from them.
    if len(text.lstrip("-")) > 19 or not MIN_INT <= int(text) <= MAX_INT:
        raise UnsafeInput("number_out_of_range", _("A number in the input is too large."))
    return int(text)


def _parse_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise UnsafeInput("number_out_of_range", _("A number in the input is too large."))
    return number


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def loads(data: str | bytes, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parse JSON that is safe to hand to any view or action.

    Raises ``UnsafeInput`` for NULs, lone surrogates, integers beyond 64 bits,
    infinite numbers and nesting deeper than ``max_depth``; ``ValueError`` (also
    ``UnicodeDecodeError``) for what is not JSON at all, including NaN and Infinity.
    """
    try:
        value = json.loads(
            data,
            parse_int=_parse_int,
            parse_float=_parse_float,
            parse_constant=_refuse_constant,
        )
    except RecursionError:
        raise _too_deep() from None
    _check_tree(value, max_depth)
    return value


def _too_deep() -> UnsafeInput:
    return UnsafeInput("too_deep", _("The JSON is nested too deeply."))


def _check_tree(value: Any, max_depth: int) -> None:
    # Iterative, so that checking cannot overflow the stack the parser just survived.
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            check_text(item)
        elif isinstance(item, dict | list):
            if depth > max_depth:
                raise _too_deep()
            if isinstance(item, dict):
                for key in item:
                    check_text(key)
                stack.extend((child, depth + 1) for child in item.values())
            else:
                stack.extend((child, depth + 1) for child in item)


def check_frame(frame: dict[str, Any], schema: type) -> None:
    """Refuse a parsed frame that does not fit its schema: a field it does not know,
    one it lacks or one of the wrong type, with the field's own ``Refuse`` code
    where the schema gives one (``invalid_body``, ``invalid_since``…)."""
    found = schemas.problems(frame, schema)
    if not found:
        return
    first = found[0]
    if first.refuse is not None:
        raise UnsafeInput(first.refuse.code, _(first.refuse.detail))
    field = first.path.partition(".")[0][:50]
    if first.kind == "extra":
        raise UnsafeInput("invalid_frame", _("Unknown field: %(field)s") % {"field": field})
    if first.kind == "missing":
        raise UnsafeInput("invalid_frame", _("The field %(field)s is missing.") % {"field": field})
    raise UnsafeInput("invalid_frame", _("The field %(field)s is not valid.") % {"field": field})


def parse_id(value: object) -> int | None:
    """A database id from a form or query value: a positive 64-bit integer, else None.

    Only ASCII digits: ``str.isdigit`` also accepts "²", which ``int()`` refuses.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 < value <= MAX_INT else None
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return None
    number = int(value) if len(value) <= 19 else 0
    return number if 0 < number <= MAX_INT else None


def local_url(request: HttpRequest, target: str | None, fallback: str) -> str:
    """``target`` if it is a path on this site (a safe ``next``), else ``fallback``.

    A bare word is refused too: ``redirect("abc")`` would look it up as a view name.
    """
    target = target or ""
    if (
        target.startswith("/")
        and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
        and _UNSTORABLE.search(target) is None
    ):
        return target
    return fallback


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


# --- the middleware ------------------------------------------------------------------


def _drop_unsafe_cookies(request: HttpRequest) -> None:
    # Dropped, not refused: a cookie outlives the request, and one that another
    # site under the same domain set would otherwise lock the employee out.
    for key, value in list(request.COOKIES.items()):
        if _UNSTORABLE.search(key) or _UNSTORABLE.search(value):
            del request.COOKIES[key]


class SafeCookiesMiddleware:
    """The same for a WebSocket handshake: an unsafe cookie is ignored.

    Goes between Channels' CookieMiddleware and SessionMiddleware: a NUL in the
    session cookie broke the session lookup on PostgreSQL before any consumer ran.
    """

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        cookies = {
            key: value
            for key, value in scope.get("cookies", {}).items()
            if _UNSTORABLE.search(key) is None and _UNSTORABLE.search(value) is None
        }
        return await self.application(dict(scope, cookies=cookies), receive, send)


def request_problem(request: HttpRequest) -> UnsafeInput | None:
    """What makes this request unsafe for every view, or None (unsafe cookies are dropped)."""
    _drop_unsafe_cookies(request)
    try:
        check_text(request.path_info)
        for key, values in request.GET.lists():
            check_text(key)
            for value in values:
                check_text(value)
        for key, value in request.META.items():
            if key.startswith("HTTP_") and key != "HTTP_COOKIE" and isinstance(value, str):
                check_text(value)
        if request.method in {"POST", "PUT", "PATCH", "DELETE"}:
            _check_body(request)
    except UnsafeInput as problem:
        return problem
    return None


def _check_body(request: HttpRequest) -> None:
    content_type = request.content_type or ""
    if content_type in _FORM_TYPES:
        # Parsed here as the CSRF check would; files stream to disk as usual.
        for key, values in request.POST.lists():
            check_text(key)
            for value in values:
                check_text(value)
        for key, files in request.FILES.lists():
            check_text(key)
            for upload in files:
                check_text(upload.name or "")
    elif content_type == "application/json" or content_type.endswith("+json"):
        try:
            loads(request.body)
        except UnsafeInput:
            raise
        except ValueError:
            pass  # not JSON at all: the view answers that in its own words


def refusal(request: HttpRequest, problem: UnsafeInput) -> HttpResponse:
    """400: JSON under /api/, the Dutch (or the user's) error page elsewhere."""
    from workplace.views.errors import error_page

    if is_api(request):
        from workplace.api import error_response

        return error_response(problem.code, problem.detail, 400)
    return error_page(request, 400, problem.detail)


def _cookie_language(request: HttpRequest) -> str:
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class UntrustedInputMiddleware:
    """Refuses unsafe requests before sessions, the CSRF check or any view touches them.

    It sits right after SecurityMiddleware: a NUL in the session cookie would
    otherwise break the session lookup on PostgreSQL before any view runs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Before the session is read, only the language cookie can say "English";
        # and the thread may still speak the language of its previous request.
        with translation.override(_cookie_language(request)):
            problem = request_problem(request)
            if problem is not None:
                return refusal(request, problem)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # ``<int:…>`` matches any run of digits; an id beyond 64 bits names nothing
        # and overflows SQLite, so it is refused here for every route at once.
        for value in (*view_args, *view_kwargs.values()):
            if isinstance(value, int) and not MIN_INT <= value <= MAX_INT:
                return refusal(
                    request, UnsafeInput("number_out_of_range", _("This id is too large."))
                )
        return None
