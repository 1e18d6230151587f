"""Error pages: Dutch (or the user's language) in the shell, JSON under /api/.

Django calls these for exceptions that escape a view (``handler400`` …), for a
failed CSRF check (``CSRF_FAILURE_VIEW``) and, through the last route of the
root URLconf, for every unknown path under /api/.
"""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from workplace.api import error_response
from workplace.http import WerkplekRequest
from workplace.untrusted import is_api


def _titles() -> dict[int, str]:
    return {
        400: _("This request cannot be handled"),
        403: _("You may not do this"),
        404: _("This page does not exist"),
    }


def error_page(request: WerkplekRequest, status: int, detail: str = "") -> HttpResponse:
    """The shell's error page; ``detail`` says what to do, never what the input was."""
    request.error_page = True
    return HttpResponse(
        loader.render_to_string(
            "workplace/errors/error.html",
            {"status": status, "title": _titles()[status], "detail": detail},
            request,
        ),
        status=status,
    )


@requires_csrf_token
def bad_request(request: WerkplekRequest, exception: Exception | None = None) -> HttpResponse:
    detail = _("Check what you typed or the link you followed, and try again.")
    if is_api(request):
        return error_response("bad_request", _("The request is not valid."), 400)
    return error_page(request, 400, detail)


@requires_csrf_token
def permission_denied(request: WerkplekRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return error_response("forbidden", _("You may not do this."), 403)
    return error_page(
        request, 403, _("Ask your manager or the service desk if you think you should.")
    )


@requires_csrf_token
def page_not_found(request: WerkplekRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return api_not_found(request)
    return error_page(
        request, 404, _("The link may be old, or the page was removed or is not meant for you.")
    )


@requires_csrf_token
def server_error(request: WerkplekRequest) -> HttpResponse:
    if is_api(request):
        return error_response("server_error", _("Something went wrong on our side."), 500)
    # No context processors and no database: whatever broke may break those too.
    page = loader.get_template("workplace/errors/500.html").render({"status": 500})
    return HttpResponseServerError(page)


def csrf_failure(request: WerkplekRequest, reason: str = "") -> HttpResponse:
    """A form sent from an old page (or from another site): say how to carry on."""
    if is_api(request):
        return error_response("csrf_failed", _("The CSRF check failed."), 403)
    request.error_page = True
    return HttpResponse(
        loader.render_to_string("workplace/errors/csrf.html", {"status": 403}, request),
        status=403,
    )


def api_not_found(request: WerkplekRequest, *args, **kwargs) -> HttpResponse:
    """Every unknown path under /api/: JSON, never the HTML shell."""
    detail = _("There is no API endpoint at this address.")
    if not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not api_not_found:
            detail = _("There is no API endpoint at this address; the address ends with a /.")
    return error_response("not_found", detail, 404)
