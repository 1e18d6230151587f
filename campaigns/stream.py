"""Announcements' cards in the streams: the text's start, and the "seen" counter."""

from __future__ import annotations

from django.utils.html import strip_tags
from django.utils.text import Truncator

from campaigns.models import Announcement

CARD_TEMPLATE = "campaigns/includes/stream_card.html"


def decorate_cards(activities: list, user) -> None:
    """One query for every announcement card on the page."""
    ids = {int(a.object_ref.rsplit(":", 1)[1]) for a in activities if a.object_ref}
    found = {a.pk: a for a in Announcement.objects.filter(pk__in=ids).select_related("campaign")}
    for activity in activities:
        item = (
            found.get(int(activity.object_ref.rsplit(":", 1)[1])) if activity.object_ref else None
        )
        if item is None:
            continue
        activity.announcement = item
        activity.announcement_excerpt = Truncator(strip_tags(item.body_html)).chars(220)
        activity.card_template = CARD_TEMPLATE
