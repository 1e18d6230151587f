"""The editors' pages: campaigns, announcements, the calendar, the poster."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns import access, actions, calendar
from campaigns.forms import AnnouncementForm, CampaignForm
from workplace.forms import AudienceForm
from workplace.http import AuthenticatedRequest


def _add_errors(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


@access.editor_required
def campaign_list(request: AuthenticatedRequest):
    found = access.editable_campaigns(request.user).select_related("owner").order_by("-starts")
    return render(request, "campaigns/campaign_list.html", {"campaigns": found[:100]})


@access.editor_required
def campaign_edit(request: AuthenticatedRequest, pk: int | None = None):
    campaign = access.access_editable_campaign(request.user, pk) if pk is not None else None
    data = request.POST if request.method == "POST" else None
    form = CampaignForm(data, request.FILES or None, instance=campaign, prefix="campaign")
    audience_form = AudienceForm(
        data,
        prefix="audience",
        instance=campaign.audience if campaign else None,
        initial={} if campaign else {"all_staff": True},
    )
    if data is not None and form.is_valid() and audience_form.is_valid():
        try:
            saved = actions.do_save_campaign(request.user, form, audience_form, campaign)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Campaign saved."))
            return redirect(saved)
    return render(
        request,
        "campaigns/campaign_form.html",
        {"form": form, "audience_form": audience_form, "campaign": campaign},
    )


@access.editor_required
def announcement_edit(request: AuthenticatedRequest, pk: int | None = None):
    announcement = access.access_editable_announcement(request.user, pk) if pk is not None else None
    data = request.POST if request.method == "POST" else None
    campaigns = actions.editable_campaigns(request.user)
    initial = {}
    if announcement is None:
        chosen = (
            campaigns.filter(pk=request.GET.get("campagne") or 0).first()
            if (request.GET.get("campagne", "").isdigit())
            else None
        )
        initial = {
            "campaign": chosen,
            "publish_at": timezone.localtime().replace(second=0, microsecond=0),
        }
    form = AnnouncementForm(
        data, instance=announcement, campaigns=campaigns, initial=initial, prefix="item"
    )
    own_audience = data is None or data.get("item-audience_choice", "own") != "campaign"
    published = announcement is not None and announcement.published is not None
    audience_form = AudienceForm(
        data if own_audience else None,
        prefix="audience",
        instance=announcement.audience if announcement else None,
        initial={} if announcement else {"all_staff": True},
    )
    if data is not None and form.is_valid():
        use_audience = own_audience and not published
        if not use_audience or audience_form.is_valid():
            try:
                saved = actions.do_save_announcement(
                    request.user, form, audience_form if use_audience else None, announcement
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                if saved.published:
                    messages.success(request, _("Saved. The change is visible at once."))
                else:
                    messages.success(
                        request,
                        _("Scheduled: it appears for its audience on %(when)s.")
                        % {"when": timezone.localtime(saved.publish_at).strftime("%d/%m/%Y %H:%M")},
                    )
                return redirect(saved)
    return render(
        request,
        "campaigns/announcement_form.html",
        {
            "form": form,
            "audience_form": audience_form,
            "announcement": announcement,
            "published": published,
            "own_audience": own_audience,
        },
    )


@access.editor_required
@require_POST
def publish_now(request: AuthenticatedRequest, pk: int):
    announcement = access.access_editable_announcement(request.user, pk)
    if actions.do_publish_now(request.user, announcement):
        messages.success(request, _("Published."))
    return redirect(announcement)


@access.editor_required
@require_POST
def withdraw(request: AuthenticatedRequest, pk: int):
    announcement = access.access_editable_announcement(request.user, pk)
    if announcement.withdrawn is None:
        actions.do_withdraw(request.user, announcement)
        messages.success(request, _("Withdrawn: only its editors still see it."))
    return redirect(announcement)


@access.editor_required
def calendar_page(request: AuthenticatedRequest):
    weeks = calendar.weeks(
        access.editable_announcements(request.user), access.editable_campaigns(request.user)
    )
    return render(
        request,
        "campaigns/calendar.html",
        {"weeks": weeks, "limit": calendar.settings.CAMPAIGN_WEEKLY_LIMIT},
    )


@access.editor_required
def poster(request: AuthenticatedRequest, pk: int):
    """An A4 poster with a QR code to the announcement, for notice boards without a screen."""
    announcement = access.access_editable_announcement(request.user, pk)
    url = request.build_absolute_uri(announcement.get_absolute_url()) + "?via=poster"
    return render(
        request,
        "campaigns/poster.html",
        {
            "item": announcement,
            "url": url,
            "qr": segno.make(url, error="m").svg_inline(scale=6, omitsize=True),
        },
    )
