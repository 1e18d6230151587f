"""/api/v1/notifications/: the latest notifications and the unread count as JSON."""

from __future__ import annotations

from django.http import JsonResponse

from notifications import actions, queries
from workplace.api import ApiError, api_view, json_body
from workplace.http import AuthenticatedRequest


@api_view(["GET", "POST"])
def notification_list(request: AuthenticatedRequest) -> JsonResponse:
    if request.method == "POST":
        body = json_body(request)
        ids = body.get("read")
        if ids != "all" and not (isinstance(ids, list) and all(isinstance(i, int) for i in ids)):
            raise ApiError("invalid_read", 'Geef "all" of een lijst met nummers in "read".')
        actions.mark_read(request.user, None if ids == "all" else ids)
    lines = queries.for_user(request.user)[:50]
    return JsonResponse(
        {
            "unread": queries.unread_count(request.user),
            "results": [
                {
                    "id": line.pk,
                    "kind": line.kind,
                    "actor": line.actor.username if line.actor is not None else None,
                    "others": line.others,
                    "title": line.title,
                    "url": line.url,
                    "read": line.read is not None,
                    "updated": line.updated.isoformat(),
                }
                for line in lines
            ],
        }
    )


@api_view(["POST"])
def test_notification(request: AuthenticatedRequest) -> JsonResponse:
    """One test notification now, on every channel set up (quiet hours do not hold it)."""
    return JsonResponse({"channels": actions.send_test(request.user)}, status=202)
