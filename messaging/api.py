"""The JSON API: /api/v1/conversations/ and their messages (session or token)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _

from messaging import access, actions, queries
from messaging.actions import MessagingError
from messaging.models import MAX_GROUP_MEMBERS
from workplace.api import ApiError, api_view, json_body
from workplace.models import Employee
from workplace.untrusted import parse_id

MESSAGES_PER_PAGE = 100


def _refused(error: MessagingError) -> ApiError:
    return ApiError(error.code, error.detail)


@api_view(["GET", "POST"])
def conversations(request: HttpRequest) -> JsonResponse:
    if request.method == "GET":
        mine = queries.conversations_for(request.user)[:200]
        return JsonResponse(
            {"results": [queries.conversation_payload(c, request.user) for c in mine]}
        )
    body = json_body(request)
    usernames = body.get("members")
    if not isinstance(usernames, list) or not all(isinstance(u, str) for u in usernames):
        raise ApiError("invalid_members", _("'members' is a list of usernames."))
    wanted = {u for u in usernames if u != request.user.username}
    if len(wanted) + 1 > MAX_GROUP_MEMBERS:
        # Before any lookup: no IN list of a hundred thousand names, no error that lists them.
        raise ApiError(
            "too_many_members",
            _("A group has at most %(max)s members.") % {"max": MAX_GROUP_MEMBERS},
        )
    people = list(Employee.objects.filter(username__in=wanted, is_active=True))
    if missing := wanted - {p.username for p in people}:
        raise ApiError(
            "unknown_members",
            _("Unknown or inactive: %(names)s") % {"names": ", ".join(sorted(missing))},
        )
    name = body.get("name")
    if name is not None and not isinstance(name, str):
        raise ApiError("invalid_name", _("'name' is a text."))
    space = None
    if (slug := body.get("space")) is not None:
        space = actions.spaces_for(request.user).filter(slug=str(slug)).first()
        if space is None:
            raise ApiError("space", _("You can only attach a group to a space you are in."))
    try:
        if len(people) == 1 and not name and space is None:
            chat, created = actions.get_or_create_direct(request.user, people[0])
        elif not people:
            raise ApiError("invalid_members", _("Name at least one colleague."))
        else:
            chat, created = actions.create_group(request.user, name or "", people, space), True
    except MessagingError as error:
        raise _refused(error) from None
    chat = queries.conversations_for(request.user).get(pk=chat.pk)
    return JsonResponse(
        queries.conversation_payload(chat, request.user), status=201 if created else 200
    )


@api_view(["GET"])
def unread(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"total": queries.unread_total(request.user)})


@api_view(["GET", "POST"])
def messages(request: HttpRequest, conversation_id: int) -> JsonResponse:
    membership = access.access_conversation(request.user, conversation_id)
    if request.method == "POST":
        # JSON, or a multipart form when a photo or file comes along (checked by the action).
        multipart = request.content_type == "multipart/form-data"
        body = request.POST if multipart else json_body(request)
        try:
            message, created = actions.send_message(
                request.user,
                membership.conversation_id,
                body.get("body", "" if multipart else None),
                body.get("client_id"),
                reply_to=body.get("reply_to"),
                attachment=request.FILES.get("attachment") if multipart else None,
            )
        except MessagingError as error:
            raise _refused(error) from None
        return JsonResponse(queries.message_payload(message), status=201 if created else 200)
    after = request.GET.get("after", "0")
    after_id = 0 if after == "0" else parse_id(after)
    if after_id is None:
        raise ApiError("invalid_after", _("'after' is a message id."))
    page = list(
        queries.messages_of(membership.conversation)
        .filter(pk__gt=after_id)
        .order_by("pk")[: MESSAGES_PER_PAGE + 1]
    )
    results = [queries.message_payload(m) for m in page[:MESSAGES_PER_PAGE]]
    has_more = len(page) > MESSAGES_PER_PAGE
    return JsonResponse(
        {
            "results": results,
            "next": (f"{request.path}?after={results[-1]['id']}" if has_more and results else None),
        }
    )
