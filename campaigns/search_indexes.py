"""Published announcements in the search, for their audience only.

A scheduled or withdrawn announcement is not in ``index_queryset``: the queue
removes it (or never adds it). Publication is an UPDATE, not a save, so campaigns
announces it with ``announcement_changed``, which the search follows.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.html import strip_tags
from haystack import indexes

from campaigns.access import published
from campaigns.models import Announcement
from search.indexes import DocumentIndex, Kind
from workplace.audiences import Principals, principals


class AnnouncementIndex(DocumentIndex, indexes.Indexable):
    kind_name = Kind.ANNOUNCEMENT

    def get_model(self) -> type[Announcement]:
        return Announcement

    def index_queryset(self, using=None) -> QuerySet[Announcement]:
        return published().select_related("campaign", "author", "audience")

    def principals(self, obj: Announcement) -> Principals:
        return principals(obj.audience)

    def prepare_title(self, obj: Announcement) -> str:
        return obj.title

    def prepare_body(self, obj: Announcement) -> str:
        parts = [strip_tags(obj.body_html), str(obj.author)]
        if obj.campaign is not None:
            parts.append(obj.campaign.title)
        return "\n".join(parts)

    def prepare_date(self, obj: Announcement):
        return obj.published

    def prepare_detail(self, obj: Announcement) -> str:
        return obj.campaign.title if obj.campaign is not None else str(obj.author)
