"""The search page and the search API: thin layers over ``search.query``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from search import query
from search.query import KIND_LABELS, STATUS_LABELS, InvalidSearch, SearchParams, SearchResults
from search.types import Hit
from workplace.api import ApiError, api_view


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    try:
        params = SearchParams.from_query(request.GET)
    except InvalidSearch as error:
        context = {"results": SearchResults(SearchParams()), "error": error.detail}
        return render(request, "search/results.html", context, status=400)
    results = query.search(request.user, params)
    if results.goto and params == SearchParams(q=params.q):
        # A directive number typed in the search box opens that directive.
        return redirect(results.goto)
    context = {
        "results": results,
        "query": params.q,
        "kind_labels": KIND_LABELS,
        "status_labels": STATUS_LABELS,
    }
    return render(request, "search/results.html", context)


@api_view(["GET"])
def api_search(request: HttpRequest) -> JsonResponse:
    try:
        params = SearchParams.from_query(request.GET)
    except InvalidSearch as error:
        raise ApiError(error.code, error.detail) from None
    if not params.q:
        raise ApiError("missing_query", _("Say what to search for in q."))
    results = query.search(request.user, params)
    return JsonResponse(
        {
            "count": results.count,
            "page": params.page,
            "num_pages": results.num_pages,
            "results": [_hit_json(hit) for hit in results.hits],
            "facets": {
                name: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
                for name, values in results.facets.items()
            },
            "suggestion": results.suggestion,
            "corrected_from": results.corrected_from,
            "goto": results.goto,
        }
    )


@api_view(["GET"])
def api_suggest(request: HttpRequest) -> JsonResponse:
    text = request.GET.get("q", "")
    if len(text) > query.MAX_QUERY_LENGTH:
        raise ApiError(
            "query_too_long",
            _("Search for at most %(count)s characters.") % {"count": query.MAX_QUERY_LENGTH},
        )
    suggestions = query.suggest(request.user, text)
    return JsonResponse(
        {
            "results": [
                {
                    "type": item.kind,
                    "type_label": str(KIND_LABELS.get(item.kind, item.kind)),
                    "title": item.title,
                    "number": item.number,
                    "detail": item.detail,
                    "url": item.url,
                }
                for item in suggestions
            ]
        }
    )


def _hit_json(hit: Hit) -> dict[str, Any]:
    return {
        "type": hit.kind,
        "id": hit.id,
        "title": hit.title,
        "number": hit.number,
        "url": hit.url,
        "snippet": str(hit.snippet),
        "department": hit.department_name or hit.department,
        "department_code": hit.department,
        "date": hit.date.isoformat() if hit.date else None,
        "status": hit.status,
    }
