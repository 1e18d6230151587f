"""KUS: the city's official directives ("circulaires"), their versions and who read them.

A directive's *text* (title, summary, body, attachments) lives in versions:
every publication freezes one ``DirectiveVersion``; an edit works on the one
unpublished version a directive may have. Its *metadata* (owner, category,
tags, audience, dates) lives on the ``Directive`` row and applies at once.
``Directive.title`` and ``summary`` mirror the current version so lists sort
and filter without a join.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from workplace.files import RandomName

SUMMARY_MAX = 300


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")
    ARCHIVED = "archived", _("Archived")


#: The states in which a directive is part of the official record (readers may see it).
PUBLIC_STATUSES = (Status.PUBLISHED, Status.SUPERSEDED, Status.ARCHIVED)


class Category(models.Model):
    """The managed taxonomy; seeded by a data migration, kept in the admin."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class NumberSequence(models.Model):
    """The last directive number handed out per year; only ever grows."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Directive(models.Model):
    number = models.CharField(
        _("number"), max_length=20, unique=True, null=True, blank=True, editable=False
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # Mirrors of the current version (or of the draft while never published).
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=SUMMARY_MAX)
    summary_needs_review = models.BooleanField(_("summary to be checked"), default=False)

    owner_department = models.ForeignKey(
        "workplace.Department",
        verbose_name=_("owner department"),
        on_delete=models.PROTECT,
        related_name="directives",
    )
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="directives"
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="+")
    audience = models.OneToOneField(
        "workplace.Audience",
        verbose_name=_("audience"),
        on_delete=models.PROTECT,
        related_name="directive",
    )
    restricted = models.BooleanField(
        _("restricted"),
        default=False,
        help_text=_("Only the audience can see that this directive exists."),
    )
    requires_ack = models.BooleanField(_("requires acknowledgement"), default=False)
    #: Raised by every material change: acknowledgements of an older round no longer count.
    ack_round = models.PositiveIntegerField(default=1, editable=False)

    effective_from = models.DateField(_("effective from"), default=datetime.date.today)
    review_by = models.DateField(_("review by"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    ack_by = models.DateField(
        _("acknowledge by"),
        null=True,
        blank=True,
        help_text=_("Who has not acknowledged by then gets a reminder a few days before."),
    )
    review_reminded = models.DateField(null=True, blank=True, editable=False)

    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
        editable=False,
    )
    current_version = models.OneToOneField(
        "DirectiveVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    #: MinHash signature of the working text, for near-duplicate detection.
    signature = models.JSONField(default=list, blank=True, editable=False)
    import_path = models.CharField(max_length=500, blank=True, editable=False, db_index=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created = models.DateTimeField(default=timezone.now, editable=False)
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    updated = models.DateTimeField(_("last published"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-updated", "-created"]
        verbose_name = _("directive")
        verbose_name_plural = _("directives")
        permissions = [("view_restricted_directive", _("Can see a restricted directive"))]
        indexes = [models.Index(fields=["status", "-updated"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title

    def get_absolute_url(self) -> str:
        # An imported draft may carry its legacy number before it was ever published.
        if self.number and self.is_public:
            return reverse("kus:directive", args=[self.number])
        return reverse("kus:edit", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def review_overdue(self) -> bool:
        return bool(
            self.status == Status.PUBLISHED
            and self.review_by
            and self.review_by < timezone.localdate()
        )

    def indexable_text(self) -> str:
        """Everything search should find in the current published version, as one text.

        Empty while the directive was never published. Search (issue 4) indexes
        this together with ``principals(directive.audience)`` and ``restricted``.
        """
        version = self.current_version
        if version is None:
            return ""
        parts = [
            self.number or "",
            version.title,
            version.summary,
            version.body,
            *(a.text for a in version.attachments.all()),
            " ".join(tag.name for tag in self.tags.all()),
            self.category.name,
            self.owner_department.name,
        ]
        return "\n".join(part for part in parts if part)


class DirectiveVersion(models.Model):
    """One text of a directive. Published versions are immutable; at most one is not."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="versions")
    seq = models.PositiveIntegerField(_("version"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=SUMMARY_MAX)
    body = models.TextField(_("text"))
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
    material = models.BooleanField(
        _("material change"),
        default=False,
        help_text=_("Everyone has to read and acknowledge the directive again."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    imported = models.BooleanField(_("imported"), default=False)
    source_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["directive", "-seq"]
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        constraints = [
            models.UniqueConstraint(fields=["directive", "seq"], name="kus_unique_version_seq"),
            models.UniqueConstraint(
                fields=["directive"],
                condition=models.Q(published_at__isnull=True),
                name="kus_one_draft_per_directive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.directive} v{self.seq}" if self.seq else f"{self.directive} (draft)"

    def save(self, *args, **kwargs) -> None:
        if self.pk and self.published_at is not None:
            stored = DirectiveVersion.objects.filter(pk=self.pk, published_at__isnull=False)
            if stored.exists():
                raise ValueError("A published version cannot be changed.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("kus:version", args=[self.directive.number, self.seq])

    @property
    def in_review(self) -> bool:
        return self.published_at is None and self.submitted_at is not None


def attachment_path(instance: Attachment, filename: str) -> str:
    # A random name (workplace.files): the original name is ``Attachment.name``.
    return RandomName("kus")(instance, filename)


class AttachmentKind(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word"
    XLSX = "xlsx", "Excel"
    IMAGE = "image", _("image")


class Attachment(models.Model):
    version = models.ForeignKey(
        DirectiveVersion, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(max_length=10, choices=AttachmentKind.choices)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("kus:attachment", args=[self.pk])


class AckVia(models.TextChoices):
    SELF = "self", _("confirmed themselves")
    BRIEFING = "briefing", _("via briefing")


class Briefing(models.Model):
    """A team leader told a team about a directive; it counts as their acknowledgement."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="briefings")
    ack_round = models.PositiveIntegerField()
    held_on = models.DateField(_("date of the briefing"))
    team = models.ForeignKey(
        "workplace.Department",
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("attendees"), related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-created"]
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")

    def __str__(self) -> str:
        return f"{self.team} · {self.directive.number} · {self.held_on}"


class Acknowledgement(models.Model):
    directive = models.ForeignKey(
        Directive, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kus_acknowledgements"
    )
    ack_round = models.PositiveIntegerField()
    version = models.ForeignKey(DirectiveVersion, on_delete=models.PROTECT, related_name="+")
    via = models.CharField(max_length=10, choices=AckVia.choices, default=AckVia.SELF)
    briefing = models.ForeignKey(
        Briefing, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [
            models.UniqueConstraint(
                fields=["directive", "employee", "ack_round"], name="kus_one_ack_per_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee} · {self.directive.number} · {self.ack_round}"


class Reminder(models.Model):
    """A reminder to acknowledge, sent by an editor or a manager or by the daily job.

    ``recipients`` are the people it went to: nobody is reminded twice within a day.
    """

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="reminders")
    ack_round = models.PositiveIntegerField()
    #: The department (with everything below it) it was limited to; None: everyone due.
    department = models.ForeignKey(
        "workplace.Department", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    automatic = models.BooleanField(default=False)
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)
    recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")

    def __str__(self) -> str:
        return f"{self.directive.number} · {self.sent_at:%Y-%m-%d %H:%M}"


# Guardian with direct foreign keys: object grants become plain joins that list
# queries can filter on by subquery (guardian's generic table keys are strings).
class DirectiveUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Directive, on_delete=models.CASCADE)


class DirectiveGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Directive, on_delete=models.CASCADE)
