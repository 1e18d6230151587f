"""/api/v1/streams/…: the same streams and posts as JSON."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _

from streams import access, actions, display, visibility
from streams.models import Activity, AudienceKind, Post, Space
from workplace.api import ApiError, api_view, json_body
from workplace.models import Department


def post_json(post: Post) -> dict:
    return {
        "id": post.pk,
        "url": post.get_absolute_url(),
        "author": {"username": post.author.username, "name": str(post.author)},
        "body": post.body,
        "html": post.body_html,
        "audience": post.audience_kind,
        "department": post.department.code if post.department_id else None,
        "space": post.space.slug if post.space_id else None,
        "announcement": post.is_announcement,
        "created": post.created.isoformat(),
        "edited": post.edited.isoformat() if post.edited else None,
        "reactions": getattr(getattr(post, "reaction_summary", None), "total", 0),
        "comments": getattr(post, "comment_count", 0),
    }


def activity_json(activity: Activity) -> dict:
    return {
        "id": activity.pk,
        "verb": activity.verb,
        "actor": activity.actor.username if activity.actor_id else None,
        "created": activity.created.isoformat(),
        "title": activity.title,
        "url": activity.url or (activity.post.get_absolute_url() if activity.post_id else ""),
        "post": post_json(activity.post) if activity.post_id else None,
    }


@api_view(["GET"])
def stream(request: HttpRequest) -> JsonResponse:
    source = display.resolve(
        request.user, request.GET.get("stream", "home"), request.GET.get("filter", "")
    )
    page = visibility.page(
        display.with_related(source.activities), before=request.GET.get("cursor")
    )
    display.decorate(page.items, request.user)
    return JsonResponse(
        {"results": [activity_json(item) for item in page.items], "next": page.next_cursor}
    )


def _audience(user, value: str) -> dict:
    kind, _colon, ident = str(value or "all").partition(":")
    if kind == "all":
        return {"audience_kind": AudienceKind.ALL}
    try:
        pk = int(ident)
    except ValueError:
        raise ApiError("invalid_audience", _("Choose who may read this.")) from None
    if kind == "dept":
        department = Department.objects.filter(pk=pk).first()
        return {"audience_kind": AudienceKind.DEPARTMENT, "department": department}
    if kind == "space":
        return {"audience_kind": AudienceKind.SPACE, "space": Space.objects.filter(pk=pk).first()}
    raise ApiError("invalid_audience", _("Choose who may read this."))


@api_view(["POST"])
def create_post(request: HttpRequest) -> JsonResponse:
    body = json_body(request)
    text = body.get("body")
    if not isinstance(text, str):
        raise ApiError("invalid_body", _("Write something first."))
    try:
        post = actions.create_post(
            request.user, text, **_audience(request.user, body.get("audience"))
        )
    except ValidationError as error:
        raise ApiError("invalid", " ".join(error.messages)) from None
    return JsonResponse(post_json(post), status=201)


@api_view(["GET"])
def post_detail(request: HttpRequest, post_id: int) -> JsonResponse:
    post = access.access_post(request.user, post_id)
    display.decorate_posts([post], request.user)
    return JsonResponse(post_json(post))
