"""The JSON API's common ground: authentication, errors and request bodies.

Every endpoint under /api/v1/ is a function view wrapped in ``api_view``:

- it authenticates by session (browsers; CSRF is checked on writes) or by a
  personal token (``Authorization: Bearer <key>``; no CSRF, no cookies);
- it answers JSON errors, never HTML: 400 for bad input (``ApiError``), 401
  without credentials, 403, 404 for what the caller may not know exists, 405.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, RawPostDataException
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from workplace import audit, untrusted
from workplace.models import ApiToken, AuditAction, Employee
from workplace.models.access import hash_token

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
TOKEN_BYTES = 30


class ApiError(Exception):
    """Bad input from the caller: answered as ``{"error": {"code", "detail"}}``."""

    def __init__(self, code: str, detail: str, status: int = 400):
        super().__init__(detail)
        self.code, self.detail, self.status = code, detail, status


def error_response(code: str, detail: str, status: int) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "detail": str(detail)}}, status=status)


def issue_token(user: Employee, name: str) -> str:
    """Make a token and return its key; the key is not stored and cannot be shown again."""
    key = secrets.token_urlsafe(TOKEN_BYTES)
    token = ApiToken.objects.create(user=user, name=name, key_hash=hash_token(key), prefix=key[:8])
    audit.record(AuditAction.TOKEN_CREATED, actor=user, target=token)
    return key


def revoke_token(user: Employee, token_id) -> bool:
    """Revoke one of the user's own live tokens; False when there is no such token."""
    token = ApiToken.objects.filter(user=user, pk=token_id, revoked__isnull=True).first()
    if token is None:
        return False
    if not ApiToken.objects.filter(pk=token.pk, revoked__isnull=True).update(
        revoked=timezone.now()
    ):
        return False
    audit.record(AuditAction.TOKEN_REVOKED, actor=user, target=token)
    return True


def user_for_token(key: str) -> Employee | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(key), revoked__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used=timezone.now())
    return token.user


def _bearer_key(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _space, key = header.partition(" ")
    return key.strip() if scheme.lower() in {"bearer", "token"} and key.strip() else None


def _csrf_failure(request: HttpRequest) -> HttpResponse | None:
    check = CsrfViewMiddleware(lambda req: HttpResponse())
    check.process_request(request)
    return check.process_view(request, None, (), {})


def json_body(request: HttpRequest) -> dict[str, Any]:
    """The request's JSON object, or an ApiError that says what is wrong with it.

    Parsed strictly (``untrusted.loads``): nothing in it can break a query.
    """
    try:
        body = untrusted.loads(request.body or b"{}")
    except untrusted.UnsafeInput as problem:
        raise ApiError(problem.code, problem.detail) from None
    except (ValueError, RawPostDataException):
        # RawPostDataException: a form body, already read as a form.
        raise ApiError("invalid_json", _("The request body is not valid JSON.")) from None
    if not isinstance(body, dict):
        raise ApiError("invalid_json", _("The request body must be a JSON object."))
    return body


def api_view(methods: Iterable[str] = ("GET",)) -> Callable:
    allowed = {method.upper() for method in methods}

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @csrf_exempt  # checked below for session-authenticated writes only
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method not in allowed:
                response = error_response(
                    "method_not_allowed", _("This method is not allowed here."), 405
                )
                response["Allow"] = ", ".join(sorted(allowed))
                return response
            key = _bearer_key(request)
            if key is not None:
                user = user_for_token(key)
                if user is None:
                    return error_response("invalid_token", _("This token is not valid."), 401)
                request.user = user
            elif not request.user.is_authenticated:
                request.user = AnonymousUser()
                return error_response("not_authenticated", _("Log in or send a token."), 401)
            elif request.method not in SAFE_METHODS and _csrf_failure(request) is not None:
                return error_response("csrf_failed", _("The CSRF check failed."), 403)
            try:
                return view(request, *args, **kwargs)
            except ApiError as error:
                return error_response(error.code, error.detail, error.status)
            except Http404:
                return error_response("not_found", _("Not found."), 404)
            except PermissionDenied:
                return error_response("forbidden", _("You may not do this."), 403)

        return wrapper

    return decorator
