"""Reach dashboards for editors: one announcement, one campaign with its items side by side,
and the same figures as CSV. Aggregates only (``campaigns.reach``)."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from campaigns import access, report
from campaigns.models import Reach
from surveys.charts import Bar, Segment, layout, percent
from workplace.csvexport import csv_download
from workplace.http import AuthenticatedRequest


def split_titles() -> dict[str, str]:
    return {
        "department": _("Per department"),
        "service": _("Per service"),
        "worker_kind": _("Field and office workers"),
        "site": _("Per work site"),
        "channel": _("Per channel (first time through it)"),
    }


def _bars(rows: list[report.SplitRow], total: int | None = None) -> tuple[list[Bar], int]:
    """One bar per group: the share of its people who saw it (for channels: of all seen)."""
    bars = []
    for row in rows:
        whole = row.audience if row.audience is not None else (total or 0)
        share = percent(row.seen, whole)
        bars.append(Bar(row.name, whole, [Segment(row.name, row.seen, share, "s1", 0, share)]))
    return bars, layout(bars)


def _charts(figures: report.Figures) -> list[dict]:
    charts = []
    for name, title in split_titles().items():
        rows = figures.splits.get(name, [])
        bars, height = _bars(rows, figures.seen)
        charts.append({"name": name, "title": title, "rows": rows, "bars": bars, "height": height})
    return charts


def _day_bars(figures: report.Figures) -> tuple[list[Bar], int]:
    bars = []
    for day in figures.days[-14:]:
        share = percent(day.seen, figures.audience_size)
        label = day.day.strftime("%d/%m")
        bars.append(
            Bar(label, figures.audience_size, [Segment(label, day.seen, share, "s1", 0, share)])
        )
    return bars, layout(bars)


def reach_context(
    figures: report.Figures,
    *,
    title: str,
    back_url: str,
    csv_url: str,
    with_acknowledgement: bool = False,
) -> dict:
    """What reach.html needs; ``with_acknowledgement`` adds the "read" column (an
    announcement or directive that asks for it: the per-department progress of KUS)."""
    day_bars, day_height = _day_bars(figures)
    return {
        "with_acknowledgement": with_acknowledgement or bool(figures.acknowledged),
        "subject_title": title,
        "back_url": back_url,
        "csv_url": csv_url,
        "figures": figures,
        "charts": _charts(figures),
        "day_bars": day_bars,
        "day_height": day_height,
        "min_group": report.MIN_GROUP,
    }


@access.editor_required
def announcement_reach(request: AuthenticatedRequest, pk: int):
    item = access.access_editable_announcement(request.user, pk)
    figures = report.figures(Reach.objects.filter(announcement=item).first())
    context = reach_context(
        figures,
        title=item.title,
        back_url=item.get_absolute_url(),
        csv_url=reverse("campaigns:announcement_reach_csv", args=[item.pk]),
        with_acknowledgement=item.requires_ack,
    )
    return render(request, "campaigns/reach.html", {"item": item, **context})


@access.editor_required
def campaign_reach(request: AuthenticatedRequest, pk: int):
    campaign = access.access_editable_campaign(request.user, pk)
    figures = report.figures(Reach.objects.filter(campaign=campaign).first())
    items = list(campaign.items.filter(published__isnull=False).order_by("published"))
    own = {r.announcement_id: r for r in Reach.objects.filter(announcement__in=items)}
    side_by_side = [(item, report.totals(own.get(item.pk))) for item in items]
    return render(
        request,
        "campaigns/reach.html",
        {
            "campaign": campaign,
            "side_by_side": side_by_side,
            **reach_context(
                figures,
                title=campaign.title,
                back_url=campaign.get_absolute_url(),
                csv_url=reverse("campaigns:campaign_reach_csv", args=[campaign.pk]),
            ),
        },
    )


def reach_csv(filename: str, figures: report.Figures):
    response, writer = csv_download(filename)
    writer.writerow(
        [_("split"), _("group"), _("audience"), _("seen"), _("opened"), _("acted"), _("read")]
    )
    writer.writerow(
        [
            _("total"),
            "",
            figures.audience_size,
            figures.seen,
            figures.opened,
            figures.acted,
            figures.acknowledged,
        ]
    )
    titles = split_titles()
    for name, rows in figures.splits.items():
        for row in rows:
            writer.writerow(
                [
                    titles[name],
                    row.name,
                    row.audience,
                    row.seen,
                    row.opened,
                    row.acted,
                    row.acknowledged,
                ]
            )
    for day in figures.days:
        writer.writerow(
            [
                _("up to day"),
                day.day.isoformat(),
                "",
                day.seen,
                day.opened,
                day.acted,
                day.acknowledged,
            ]
        )
    return response


@access.editor_required
def announcement_reach_csv(request: AuthenticatedRequest, pk: int):
    item = access.access_editable_announcement(request.user, pk)
    figures = report.figures(Reach.objects.filter(announcement=item).first())
    return reach_csv(f"bereik-aankondiging-{item.pk}.csv", figures)


@access.editor_required
def campaign_reach_csv(request: AuthenticatedRequest, pk: int):
    campaign = access.access_editable_campaign(request.user, pk)
    figures = report.figures(Reach.objects.filter(campaign=campaign).first())
    return reach_csv(f"bereik-campagne-{campaign.pk}.csv", figures)
