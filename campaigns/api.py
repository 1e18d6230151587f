"""/api/v1/campaigns/…: campaigns, their items and their reach as JSON (session or token).

Input goes through the same forms and actions as the pages, so the API refuses
exactly what the pages refuse, with the same (translated) message.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from campaigns import access, actions, report
from campaigns.forms import AnnouncementForm, CampaignForm
from campaigns.models import Campaign, Reach, Theme
from workplace.api import ApiError, api_view, json_body
from workplace.audience_json import audience_form, audience_json
from workplace.http import AuthenticatedRequest

CAMPAIGN_FIELDS = {"title", "goal", "theme", "starts", "ends", "audience"}
ITEM_FIELDS = {
    "title",
    "body",
    "publish_at",
    "pinned_until",
    "requires_ack",
    "audience",
    "link_url",
}


def _refuse_unknown(body: dict[str, Any], known: set[str]) -> None:
    unknown = sorted(set(body) - known)
    if unknown:
        raise ApiError(
            "unknown_fields", _("Unknown fields: %(names)s.") % {"names": ", ".join(unknown)}
        )


def _form_error(form) -> ApiError:
    field, errors = next(iter(form.errors.items()))
    detail = str(errors[0])
    return ApiError("invalid", detail if field == "__all__" else f"{field}: {detail}")


def _editor(request: HttpRequest) -> None:
    if not access.is_editor(request.user):
        raise ApiError(
            "forbidden", _("Only the communication team and department communicators do this."), 403
        )


def campaign_json(campaign: Campaign) -> dict[str, Any]:
    return {
        "id": campaign.pk,
        "url": campaign.get_absolute_url(),
        "title": campaign.title,
        "goal": campaign.goal,
        "theme": campaign.theme,
        "starts": campaign.starts.isoformat(),
        "ends": campaign.ends.isoformat(),
        "audience": audience_json(campaign.audience),
    }


@api_view(["GET", "POST"])
def campaigns(request: AuthenticatedRequest) -> JsonResponse:
    _editor(request)
    if request.method == "GET":
        found = access.editable_campaigns(request.user).select_related("audience")[:100]
        return JsonResponse({"results": [campaign_json(c) for c in found]})
    body = json_body(request)
    _refuse_unknown(body, CAMPAIGN_FIELDS)
    if "audience" not in body:
        raise ApiError("invalid_audience", _("Choose at least one group of people to address."))
    form = CampaignForm(
        {
            "campaign-title": body.get("title", ""),
            "campaign-goal": body.get("goal", ""),
            "campaign-theme": body.get("theme", Theme.OTHER),
            "campaign-starts": body.get("starts", ""),
            "campaign-ends": body.get("ends", ""),
        },
        prefix="campaign",
    )
    if not form.is_valid():
        raise _form_error(form)
    audience = audience_form(body["audience"])
    try:
        campaign = actions.do_save_campaign(request.user, form, audience)
    except ValidationError as error:
        raise ApiError("invalid", error.messages[0]) from None
    return JsonResponse({"id": campaign.pk, "url": campaign.get_absolute_url()}, status=201)


def _moment(body: dict[str, Any], key: str) -> str:
    """A moment as the form's widget sends it; ISO 8601 with or without offset accepted."""
    value = body.get(key)
    if value in (None, ""):
        return ""
    if not isinstance(value, str) or parse_datetime(value) is None:
        raise ApiError("invalid", _("%(key)s: give a moment as 2026-05-04T09:30.") % {"key": key})
    return value


@api_view(["POST"])
def items(request: AuthenticatedRequest, pk: int) -> JsonResponse:
    _editor(request)
    campaign = access.access_editable_campaign(request.user, pk)
    body = json_body(request)
    _refuse_unknown(body, ITEM_FIELDS)
    if not isinstance(body.get("requires_ack", False), bool):
        raise ApiError("invalid", _("requires_ack must be true or false."))
    own = "audience" in body
    data = {
        "item-title": body.get("title", ""),
        "item-body": body.get("body", ""),
        "item-campaign": str(campaign.pk),
        "item-publish_at": _moment(body, "publish_at"),
        "item-pinned_until": _moment(body, "pinned_until"),
        "item-link_url": body.get("link_url", ""),
        "item-audience_choice": "own" if own else "campaign",
    }
    if body.get("requires_ack"):
        data["item-requires_ack"] = "on"
    form = AnnouncementForm(data, campaigns=actions.editable_campaigns(request.user), prefix="item")
    if not form.is_valid():
        raise _form_error(form)
    try:
        item = actions.do_save_announcement(
            request.user, form, audience_form(body["audience"]) if own else None
        )
    except ValidationError as error:
        raise ApiError("invalid", error.messages[0]) from None
    return JsonResponse({"id": item.pk, "url": item.get_absolute_url()}, status=201)


@api_view(["GET"])
def campaign_reach(request: AuthenticatedRequest, pk: int) -> JsonResponse:
    _editor(request)
    campaign = access.access_editable_campaign(request.user, pk)
    return JsonResponse(report.figures(Reach.objects.filter(campaign=campaign).first()).as_json())


@api_view(["GET"])
def announcement_reach(request: AuthenticatedRequest, pk: int) -> JsonResponse:
    _editor(request)
    item = access.access_editable_announcement(request.user, pk)
    return JsonResponse(report.figures(Reach.objects.filter(announcement=item).first()).as_json())
