"""/api/v1/kus/: the directives a caller may see, one directive, and "read and understood"."""

from __future__ import annotations

from django.core.paginator import InvalidPage, Paginator
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _

from kus import actions
from kus.access import access_directive, to_read, visible_directives
from kus.models import Directive, Status
from workplace.api import ApiError, api_view, json_body
from workplace.http import AuthenticatedRequest


def _summary(directive: Directive) -> dict:
    return {
        "number": directive.number,
        "title": directive.title,
        "summary": directive.summary,
        "status": directive.status,
        "category": directive.category.name,
        "department": directive.owner_department.code,
        "requires_ack": directive.requires_ack,
        "updated": directive.updated.isoformat() if directive.updated else None,
        "url": directive.get_absolute_url(),
    }


@api_view(["GET"])
def directive_list(request: HttpRequest) -> JsonResponse:
    """?te_lezen=1 lists only what the caller still has to acknowledge."""
    if request.GET.get("te_lezen"):
        directives = to_read(request.user)
    else:
        directives = visible_directives(request.user).filter(status=Status.PUBLISHED)
    directives = directives.select_related("category", "owner_department").order_by("-updated")
    try:
        page = Paginator(directives, 50).page(int(request.GET.get("page", 1)))
    except (ValueError, InvalidPage):
        raise ApiError("bad_page", _("This page does not exist.")) from None
    return JsonResponse(
        {
            "results": [_summary(d) for d in page.object_list],
            "count": page.paginator.count,
            "next": page.next_page_number() if page.has_next() else None,
        }
    )


@api_view(["GET"])
def directive_detail(request: HttpRequest, number: str) -> JsonResponse:
    directive = access_directive(request.user, number)
    data = _summary(directive)
    version = directive.current_version
    data["version"] = version.seq if version else None
    data["body"] = version.body if version else ""
    data["replaced_by"] = (
        directive.replaced_by.number
        if directive.replaced_by
        and visible_directives(request.user).filter(pk=directive.replaced_by_id).exists()
        else None
    )
    return JsonResponse(data)


@api_view(["POST"])
def acknowledge(request: AuthenticatedRequest, number: str) -> JsonResponse:
    """An optional ``{"version": n}`` confirms that version only: a stale one is refused."""
    directive = access_directive(request.user, number)
    # The body is optional: an empty POST, or a form, confirms the current version.
    form = request.content_type in {"multipart/form-data", "application/x-www-form-urlencoded"}
    version = None if form else json_body(request).get("version")
    if version is not None and (
        not isinstance(version, int) or isinstance(version, bool) or version < 1
    ):
        raise ApiError("bad_version", _("Give the version as a whole number, 1 or more."))
    try:
        shown = actions.check_acknowledge(request.user, directive, version)
    except actions.StaleVersion as error:
        raise ApiError("stale_version", error.message, status=409) from None
    except actions.UnknownVersion as error:
        raise ApiError("bad_version", error.message) from None
    except actions.ActionError as error:
        raise ApiError("not_applicable", error.message) from None
    ack = actions.do_acknowledge(request.user, directive, shown)
    return JsonResponse(
        {
            "number": directive.number,
            "version": ack.version.seq,
            "acknowledged": ack.at.isoformat(),
        }
    )
