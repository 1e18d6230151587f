"""/api/v1/kus/: the directives a caller may see, one directive, and "read and understood"."""

from __future__ import annotations

from django.core.paginator import InvalidPage, Paginator
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _

from kus import actions
from kus.access import access_directive, to_read, visible_directives
from kus.models import Directive, Status
from workplace.api import ApiError, api_view


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
def acknowledge(request: HttpRequest, number: str) -> JsonResponse:
    directive = access_directive(request.user, number)
    try:
        ack = actions.acknowledge(request.user, directive)
    except actions.ActionError as error:
        raise ApiError("not_applicable", error.message) from None
    return JsonResponse({"number": directive.number, "acknowledged": ack.at.isoformat()})
