"""The demo's campaigns: two that ran, one that runs, with a reach that looks like Ghent's."""

from __future__ import annotations

import random

import pytest
from django.db.models import Q, Sum
from django.utils import timezone

from campaigns import calendar, report
from campaigns.demo import seed_campaigns
from campaigns.models import (
    Acknowledgement,
    Announcement,
    Campaign,
    ReachChannel,
    ReachCount,
    ReachMark,
    Stage,
)
from notifications.models import Notification
from workplace import demo as core
from workplace.models import Department


@pytest.fixture
def demo_organisation(db):
    core.seed_organisation(random.Random(2026))
    core.seed_demo_logins({d.code: d for d in Department.objects.all()})


def web_share(campaign: Campaign, field_worker: bool) -> float:
    """Of the people who first saw the campaign, the share who saw it on the web."""
    seen = ReachCount.objects.filter(
        reach=campaign.reach, stage=Stage.SEEN, group__field_worker=field_worker
    ).aggregate(all=Sum("people"), web=Sum("people", filter=Q(channel=ReachChannel.WEB)))
    return seen["web"] / seen["all"]


def test_the_demo_brings_two_past_campaigns_and_a_running_one_once(demo_organisation):
    assert (70, seed_campaigns) in core.seeders
    seed_campaigns(random.Random(2026))

    today = timezone.localdate()
    past = Campaign.objects.filter(ends__lt=today)
    running = Campaign.objects.filter(starts__lte=today, ends__gte=today)
    assert past.count() == 2 and running.count() == 1
    assert Campaign.objects.count() == 3
    assert running.get().owner.username == "communicatie"

    for campaign in past:
        items = campaign.items.all()
        assert 3 <= items.count() <= 4
        assert all(item.is_published for item in items)
        assert items.filter(requires_ack=True).exists()
        figures = report.figures(campaign.reach)
        assert figures.audience_size > 250 and 0 < figures.seen < figures.audience_size
        assert figures.opened and figures.acted
        assert len(figures.splits["worker_kind"]) == 2  # field and office, none too small
        # Field workers were reached less on the web than office workers.
        assert web_share(campaign, True) < web_share(campaign, False) / 2
    assert Acknowledgement.objects.filter(announcement__campaign__in=past).exists()
    # The bell's lines date from publication, not from the day of seeding.
    assert Notification.objects.exists()  # the control: the seeding told people
    assert not Notification.objects.filter(created__date=today).exists()

    now = timezone.now()
    live = running.get().items.all()
    assert live.filter(published__lte=now).count() == 2
    assert live.filter(published=None, publish_at__gt=now).count() == 2
    weeks = calendar.weeks(Announcement.objects.all(), Campaign.objects.all())
    assert any(week.crowded for week in weeks), "a week beyond the weekly limit"

    counts = (
        Campaign.objects.count(),
        Announcement.objects.count(),
        ReachCount.objects.aggregate(n=Sum("events"))["n"],
        ReachMark.objects.count(),
        Acknowledgement.objects.count(),
        Notification.objects.count(),
    )
    seed_campaigns(random.Random(2026))
    assert (
        Campaign.objects.count(),
        Announcement.objects.count(),
        ReachCount.objects.aggregate(n=Sum("events"))["n"],
        ReachMark.objects.count(),
        Acknowledgement.objects.count(),
        Notification.objects.count(),
    ) == counts
