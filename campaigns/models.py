"""Campaigns, their announcements, and how far each announcement reached.

An ``Announcement`` is one message from the communication team (or a
department's communicators) to a shared ``Audience``; it may belong to a
``Campaign``, a series of announcements with one goal over a period. Before its
``publish_at`` it exists only for its editors: it has no activity in the
streams, no search document, no notification (``published`` is set when the
background job publishes it).

Reach is stored as counts, never as rows per person and moment (docs/campaigns.md):

- a ``ReachGroup`` is one combination of department, work site and field or
  office work among the people an announcement was delivered to, with how many
  people it holds;
- a ``ReachCount`` counts, per group, day, channel and stage, how many people
  reached that stage for the first time (``people``) and how often it happened
  (``events``);
- a ``ReachMark`` remembers, under a keyed hash of the person, which stages a
  person already reached, so that a second impression is not a second person.
  Marks are deleted when the measuring period ends; the counts stay.

Acknowledgements are named by design (as for directives), like KUS.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.models import Notification
from workplace.files import RandomName

TITLE_LENGTH = 120
BODY_LENGTH = 5000


def upload_hero(instance, filename: str) -> str:
    return RandomName("campaigns/heroes")(instance, filename)


class Theme(models.TextChoices):
    # The policy note's themes (2.5.8), and room for others.
    WELLBEING = "welzijn", _("Well-being at work")
    PRIDE = "fierheid", _("Pride in the job")
    SUSTAINABILITY = "duurzaamheid", _("Sustainability")
    CHILD_FRIENDLY = "kindvriendelijk", _("Child-friendly city")
    SERVICE = "dienstverlening", _("Service to citizens")
    OTHER = "andere", _("Other")


class DepartmentCommunicator(models.Model):
    """Someone who writes announcements for one department (and everything below it)."""

    department = models.ForeignKey(
        "workplace.Department",
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="communicator_for",
    )

    class Meta:
        verbose_name = _("department communicator")
        verbose_name_plural = _("department communicators")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "employee"], name="unique_department_communicator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee} · {self.department}"


class Campaign(models.Model):
    title = models.CharField(_("title"), max_length=TITLE_LENGTH)
    goal = models.TextField(_("goal"), max_length=1000)
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices)
    starts = models.DateField(_("starts"))
    ends = models.DateField(_("ends"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Set when a department's communicator made it: that department's communicators
    # edit it (with the communication team); empty for the communication team's own.
    department = models.ForeignKey(
        "workplace.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    audience = models.ForeignKey(
        "workplace.Audience", verbose_name=_("audience"), on_delete=models.PROTECT, related_name="+"
    )
    hero = models.ImageField(_("hero image"), upload_to=upload_hero, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts", "-id"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends__gte=models.F("starts")), name="campaign_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaigns:campaign", args=[self.pk])


class Announcement(models.Model):
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
    )
    title = models.CharField(_("title"), max_length=TITLE_LENGTH)
    body = models.TextField(_("message"), max_length=BODY_LENGTH)
    body_html = models.TextField(editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(  # as on Campaign
        "workplace.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    audience = models.ForeignKey(
        "workplace.Audience", verbose_name=_("audience"), on_delete=models.PROTECT, related_name="+"
    )
    publish_at = models.DateTimeField(_("publish at"), db_index=True)
    published = models.DateTimeField(_("published"), null=True, blank=True)
    pinned_until = models.DateTimeField(_("pinned on the start page until"), null=True, blank=True)
    requires_ack = models.BooleanField(_("ask to confirm “read”"), default=False)
    directive = models.ForeignKey(
        "kus.Directive",
        verbose_name=_("linked directive"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    survey = models.ForeignKey(
        "surveys.Survey",
        verbose_name=_("linked survey"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    link_url = models.URLField(_("link for more information"), max_length=500, blank=True)
    created = models.DateTimeField(default=timezone.now)
    edited = models.DateTimeField(null=True, blank=True)
    withdrawn = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    notifications = GenericRelation(
        Notification, object_id_field="target_id", content_type_field="target_type"
    )

    class Meta:
        ordering = ["-publish_at", "-id"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        indexes = [models.Index(fields=["published", "pinned_until"], name="announcement_pinned")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaigns:announcement", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.published is not None and self.withdrawn is None

    def principals(self) -> frozenset[str]:
        """Search tokens: none before publication or after withdrawal."""
        if not self.is_published:
            return frozenset()
        from workplace.audiences import principals

        return frozenset(principals(self.audience).allow)


class Acknowledgement(models.Model):
    """Someone confirmed they read an announcement that asked for it."""

    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "employee"], name="unique_announcement_ack"
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee} read {self.announcement}"


class Stage(models.IntegerChoices):
    # Bits, so that a mark holds every stage a person reached in one integer.
    DELIVERED = 1, _("delivered")
    SEEN = 2, _("seen")
    OPENED = 4, _("opened")
    ACTED = 8, _("acted")
    ACKNOWLEDGED = 16, _("confirmed “read”")


class ReachChannel(models.TextChoices):
    STREAM = "stream", _("stream")
    WEB = "web", _("web")
    TERMINAL = "terminal", _("shared terminal")
    PUSH = "push", _("push")
    EMAIL = "email", _("e-mail")
    SMS = "sms", _("SMS")
    POSTER = "poster", _("poster QR code")


class Reach(models.Model):
    """What reach is measured for: one announcement, one campaign (its items together,
    so that someone who saw three of its items is one person reached), or one directive."""

    announcement = models.OneToOneField(
        Announcement, null=True, blank=True, on_delete=models.CASCADE, related_name="reach"
    )
    campaign = models.OneToOneField(
        Campaign, null=True, blank=True, on_delete=models.CASCADE, related_name="reach"
    )
    # A KUS directive that asks for acknowledgement: the same figures, for its editors.
    directive = models.OneToOneField(
        "kus.Directive", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Until when events are counted; the marks are deleted after it (campaigns.tasks).
    measured_until = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    announcement__isnull=False, campaign__isnull=True, directive__isnull=True
                )
                | models.Q(
                    announcement__isnull=True, campaign__isnull=False, directive__isnull=True
                )
                | models.Q(
                    announcement__isnull=True, campaign__isnull=True, directive__isnull=False
                ),
                name="reach_of_one_thing",
            )
        ]

    def __str__(self) -> str:
        return f"reach of {self.announcement or self.campaign or self.directive}"

    @property
    def subject(self) -> str:
        """What the marks' keys are made of: ``announcement:12``, ``campaign:3``, …"""
        if self.announcement_id:
            return f"announcement:{self.announcement_id}"
        if self.campaign_id:
            return f"campaign:{self.campaign_id}"
        return f"directive:{self.directive_id}"


class ReachGroup(models.Model):
    """People an announcement reached who share department, work site and kind of work."""

    reach = models.ForeignKey(Reach, on_delete=models.CASCADE, related_name="groups")
    department = models.ForeignKey(
        "workplace.Department", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    site = models.ForeignKey(
        "workplace.WorkSite", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    field_worker = models.BooleanField()
    audience = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            # Empty department or site count as one value (SQLite has no NULLS NOT DISTINCT).
            models.UniqueConstraint(
                "reach",
                Coalesce("department", 0),
                Coalesce("site", 0),
                "field_worker",
                name="unique_reach_group",
            )
        ]

    def __str__(self) -> str:
        return f"{self.department_id}/{self.site_id}/{self.field_worker}: {self.audience}"


class ReachMark(models.Model):
    """Which stages one (pseudonymous) person reached; deleted after the measuring period."""

    reach = models.ForeignKey(Reach, on_delete=models.CASCADE, related_name="marks")
    # A keyed hash of the reach's subject and the employee (campaigns.reach.person_key),
    # looked up by itself: its reach follows from it.
    person = models.CharField(max_length=32, db_index=True)
    group = models.ForeignKey(ReachGroup, on_delete=models.CASCADE, related_name="+")
    stages = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reach", "person"], name="unique_reach_mark")
        ]

    def __str__(self) -> str:
        return f"mark {self.pk}"


class ReachCount(models.Model):
    reach = models.ForeignKey(Reach, on_delete=models.CASCADE, related_name="counts")
    group = models.ForeignKey(ReachGroup, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    channel = models.CharField(max_length=10, choices=ReachChannel.choices)
    stage = models.PositiveSmallIntegerField(choices=Stage.choices)
    people = models.PositiveIntegerField(default=0)
    events = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["reach", "group", "day", "channel", "stage"],
                name="unique_reach_count",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.channel} {self.stage}: {self.people}"
