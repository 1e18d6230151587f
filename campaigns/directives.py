"""The reach of KUS directives that ask for acknowledgement: the same counts and the same
protected figures as an announcement, for the directive's editors.

KUS tells (``kus.signals``): ``directive_published`` counts the delivery to its
audience (a material new version delivers only to who was not counted yet: the
figures run over the directive's whole life), ``directive_read`` counts "opened"
(its page) and "confirmed read" (acknowledged, which is acting on it too); the
stream's directive cards count "seen".
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from campaigns import reach, report
from campaigns.models import Reach, Stage
from kus.access import access_directive, can_edit, is_in_audience, visible_directives
from kus.models import Directive
from workplace.audiences import members
from workplace.mfa import second_factor_required


def _reach_of(directive: Directive) -> Reach | None:
    return Reach.objects.filter(directive=directive).first()


def directive_published(sender, directive, **kwargs) -> None:
    if not kwargs.get("requires_ack", directive.requires_ack):
        return
    if not (kwargs.get("first") or kwargs.get("material")) and _reach_of(directive):
        return
    until = timezone.now() + timedelta(days=reach.measuring_days())
    subject = reach.reach_for(directive=directive, until=until)
    reach.deliver(subject, members(directive.audience))


def directive_read(sender, directive, user, request, stage, **kwargs) -> None:
    from campaigns.views.reading import channel_of

    subject = _reach_of(directive)
    if subject is None:
        return
    counted = Stage.ACKNOWLEDGED if stage == "acknowledged" else Stage.OPENED
    reach.record_in([subject], user, counted, channel_of(request))


def decorate_cards(activities: list, user) -> None:
    """A directive card counts "seen" when its directive's reach is measured."""
    ids = {}
    for activity in activities:
        kind, _colon, rest = activity.object_ref.partition(":")
        if kind == "kus" and rest:
            ids[activity.pk] = int(rest.split(":", 1)[0])
    measured = set(
        Reach.objects.filter(directive_id__in=set(ids.values())).values_list(
            "directive_id", flat=True
        )
    )
    for activity in activities:
        if ids.get(activity.pk) in measured:
            activity.seen_url = reverse("campaigns:directive_seen", args=[ids[activity.pk]])


def reach_link(directive: Directive) -> str:
    """For the directive's progress page (its editors): where its reach is."""
    if directive.requires_ack and Reach.objects.filter(directive=directive).exists():
        return reverse("campaigns:directive_reach", args=[directive.number])
    return ""


@login_required
def seen(request, pk: int) -> HttpResponseBase:
    from campaigns.views.reading import channel_of, seen_response

    directive = visible_directives(request.user).filter(pk=pk).first()
    subject = Reach.objects.filter(directive_id=pk).first()
    if directive is None or subject is None or not is_in_audience(request.user, directive):
        raise Http404
    reach.record_in([subject], request.user, Stage.SEEN, channel_of(request))
    return seen_response(request)


def _editable_subject(request, number: str) -> tuple[Directive, Reach]:
    directive = access_directive(request.user, number)
    subject = _reach_of(directive) if can_edit(request.user, directive) else None
    if subject is None:
        raise Http404
    return directive, subject


@login_required
@second_factor_required
def dashboard(request, number: str):
    from campaigns.views.dashboards import reach_context

    directive, subject = _editable_subject(request, number)
    context = reach_context(
        report.figures(subject),
        title=str(directive),
        back_url=reverse("kus:progress", args=[directive.number]),
        csv_url=reverse("campaigns:directive_reach_csv", args=[directive.number]),
        with_acknowledgement=True,
    )
    return render(request, "campaigns/reach.html", {"directive": directive, **context})


@login_required
@second_factor_required
def dashboard_csv(request, number: str):
    from campaigns.views.dashboards import reach_csv

    directive, subject = _editable_subject(request, number)
    return reach_csv(f"bereik-{directive.number}.csv", report.figures(subject))
