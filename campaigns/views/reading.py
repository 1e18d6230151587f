"""What employees see: an announcement, a campaign's page, and the counters behind them.

Opening an announcement counts as "opened" (with the channel it came through:
``?via=push|email|sms|poster``, a shared terminal, or the web), a card on screen
as "seen" (``seen``: a POST from the page's script, or the ``<noscript>`` image
when script is off), a followed link, a reaction or an acknowledgement as "acted".
"""

from __future__ import annotations

import base64
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from campaigns import access, actions
from campaigns.models import Acknowledgement, Announcement, ReachChannel, Stage
from kus.access import visible_directives
from surveys.access import surveys_for
from workplace import files
from workplace.http import AuthenticatedRequest
from workplace.models import Employee
from workplace.untrusted import local_url

# A transparent 1-pixel GIF: the "seen" counter of a card when script is off.
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
# Rows of the start page's to-do card, before the one to every announcement.
TO_DO_CARD_ROWS = 3
VIA_CHANNELS = {
    ReachChannel.PUSH,
    ReachChannel.EMAIL,
    ReachChannel.SMS,
    ReachChannel.POSTER,
}


def channel_of(request: HttpRequest) -> str:
    """The channel a request came through: the link's ``via``, a terminal, or the web."""
    via = request.GET.get("via", "")
    if via in VIA_CHANNELS:
        return via
    if getattr(request, "terminal", None) is not None:
        return ReachChannel.TERMINAL
    return ReachChannel.WEB


def _readable(request: AuthenticatedRequest, pk: int) -> Announcement:
    """An announcement the user reads as its audience (editors too when they are in it)."""
    announcement = access.readable_announcements(request.user).filter(pk=pk).first()
    if announcement is None:
        raise Http404
    return announcement


def _links(user, announcement: Announcement) -> list[dict[str, str]]:
    """The announcement's links the reader may follow (a directive or a survey they can see)."""
    links = []
    if (
        announcement.directive_id
        and visible_directives(user).filter(pk=announcement.directive_id).exists()
    ):
        links.append(
            {
                "what": "richtlijn",
                "label": _("Read the directive: %(title)s") % {"title": announcement.directive},
            }
        )
    if announcement.survey_id and surveys_for(user).filter(pk=announcement.survey_id).exists():
        links.append(
            {
                "what": "enquete",
                "label": _("Take the survey: %(title)s") % {"title": announcement.survey},
            }
        )
    if announcement.link_url:
        links.append({"what": "link", "label": _("More information")})
    return links


@login_required
@never_cache
def announcement(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item, is_editor = access.access_announcement(request.user, pk)
    in_audience = access.readable_announcements(request.user).filter(pk=item.pk).exists()
    if in_audience:
        actions.do_record(request.user, item, Stage.OPENED, channel_of(request))
    acknowledged = Acknowledgement.objects.filter(announcement=item, employee=request.user).first()
    context: dict[str, Any] = {
        "item": item,
        "is_editor": is_editor,
        "in_audience": in_audience,
        "links": _links(request.user, item) if in_audience else [],
        "acknowledged": acknowledged.at if acknowledged else None,
        "campaign": item.campaign,
    }
    if is_editor:
        from workplace.audiences import describe, members

        context.update(
            audience=describe(item.audience), audience_size=members(item.audience).count()
        )
    return render(request, "campaigns/announcement.html", context)


@login_required
def seen(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    """The card was on screen: POST from the script (204), GET from ``<noscript>`` (a GIF)."""
    if request.method not in ("GET", "POST"):
        return HttpResponse(status=405)
    item = _readable(request, pk)
    actions.do_record(request.user, item, Stage.SEEN, channel_of(request))
    return seen_response(request)


def seen_response(request: HttpRequest) -> HttpResponse:
    """204 to the script's POST; the image to ``<noscript>``'s GET, never cached."""
    if request.method == "POST":
        return HttpResponse(status=204)
    response = HttpResponse(PIXEL, content_type="image/gif")
    response["Cache-Control"] = "private, no-store, max-age=0"
    return response


@login_required
def follow(request: AuthenticatedRequest, pk: int, what: str) -> HttpResponse:
    """A link in the announcement was followed: count it, and go there."""
    item = _readable(request, pk)
    targets = {
        "richtlijn": item.directive.get_absolute_url() if item.directive is not None else "",
        "enquete": item.survey.get_absolute_url() if item.survey is not None else "",
        "link": item.link_url,
    }
    allowed = {link["what"] for link in _links(request.user, item)}
    if what not in allowed or not targets.get(what):
        raise Http404
    actions.do_record(request.user, item, Stage.ACTED, channel_of(request))
    return redirect(targets[what])


@login_required
@require_POST
def acknowledge(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = _readable(request, pk)
    if not item.requires_ack:
        raise Http404
    if actions.do_acknowledge(request.user, item, channel_of(request)):
        messages.success(request, _("Thank you: the sender knows you read it."))
    return redirect(local_url(request, request.POST.get("next"), item.get_absolute_url()))


@login_required
def announcements(request: AuthenticatedRequest) -> HttpResponse:
    """Every announcement to me, newest first, with the pinned ones on top."""
    now = timezone.now()
    mine = access.readable_announcements(request.user).select_related("campaign")
    pinned = list(mine.filter(pinned_until__gt=now).order_by("-published")[:5])
    rest = list(mine.exclude(pk__in=[a.pk for a in pinned]).order_by("-published", "-id")[:50])
    return render(
        request,
        "campaigns/announcements.html",
        {"pinned": pinned, "items": rest, "is_editor": access.is_editor(request.user)},
    )


@login_required
def campaign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item, is_editor = access.access_campaign(request.user, pk)
    # Its editors see every published item, also those whose audience leaves them out.
    visible = access.published() if is_editor else access.readable_announcements(request.user)
    published = visible.filter(campaign=item)
    context: dict[str, Any] = {
        "campaign": item,
        "is_editor": is_editor,
        "items": published.order_by("-published", "-id"),
    }
    if is_editor:
        context["scheduled"] = item.items.filter(published=None, withdrawn=None).order_by(
            "publish_at"
        )
    return render(request, "campaigns/campaign.html", context)


@login_required
def campaign_hero(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    item, _is_editor = access.access_campaign(request.user, pk)
    return files.file_response(request, item.hero, f"campagne-{item.pk}.jpg")


# The start page's announcements come in one query for its two panels, pinned ones
# first: more than this many pinned for one person at the same moment would be a wall
# of posters, not a pin.
START_PAGE_ANNOUNCEMENTS = 30


def _start_page_announcements(request: HttpRequest) -> tuple[list, list]:
    """(pinned and not to confirm, to confirm), each newest first; once per request."""
    found = getattr(request, "_start_page_announcements", None)
    if found is None:
        user = cast(Employee, request.user)  # the panels asked for a logged-in one
        now = timezone.now()
        pinned_q = Q(pinned_until__gt=now)
        asks_q = access.to_confirm_q(user)
        rows = list(
            access.readable_announcements(user)
            .filter(pinned_q | asks_q)
            .annotate(
                is_pinned=ExpressionWrapper(pinned_q, output_field=BooleanField()),
                asks_me=ExpressionWrapper(asks_q, output_field=BooleanField()),
            )
            .order_by("-is_pinned", "-published", "-id")[:START_PAGE_ANNOUNCEMENTS]
        )
        newest_first = sorted(rows, key=lambda row: (row.published, row.pk), reverse=True)
        found = (
            [row for row in newest_first if row.is_pinned and not row.asks_me],
            [row for row in newest_first if row.asks_me],
        )
        request._start_page_announcements = found  # type: ignore[attr-defined]
    return found


def pinned_panel(request: HttpRequest) -> dict[str, Any] | None:
    """On top of the start page: what the communication team pinned for me, now.

    What I still have to confirm is a row of the to-do card instead: it shows once."""
    if not request.user.is_authenticated:
        return None
    items = _start_page_announcements(request)[0][:3]
    return {"items": items} if items else None


def todo_panel(request: HttpRequest) -> dict[str, Any] | None:
    """Rows of the start page's to-do card: announcements to me that ask "Gelezen" and
    that I have not confirmed yet, newest first."""
    if not request.user.is_authenticated:
        return None
    items = _start_page_announcements(request)[1]
    if not items:
        return None
    return {"items": items[:TO_DO_CARD_ROWS], "more": len(items) > TO_DO_CARD_ROWS}


def editor_panel(request: HttpRequest) -> dict[str, Any] | None:
    return {} if access.is_editor(request.user) else None
