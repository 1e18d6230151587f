"""Spaces, posts, comments, reactions, follows and activities.

The stream is fanned out on read: an ``Activity`` row carries its audience
(all staff, a department subtree, a space, or a shared ``Audience``) in
indexed columns, and ``streams.visibility`` turns "what may this person see"
and "what does this person follow" into one filtered, cursor-paged query.
See docs/architecture.md for the measured cost.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.models import Notification
from workplace.files import RandomName

POST_MAX_LENGTH = 2000
COMMENT_MAX_LENGTH = 1000


# Random names (workplace.files); a file's original name is ``Post.attachment_name``.
def upload_photo(instance, filename: str) -> str:
    return RandomName("streams/photos")(instance, filename)


def upload_file(instance, filename: str) -> str:
    return RandomName("streams/files")(instance, filename)


class SpaceKind(models.TextChoices):
    OPEN = "open", _("Open: anyone can join")
    CLOSED = "closed", _("Closed: managers approve members")


class Space(models.Model):
    """A project or community group with its own stream."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name"), max_length=120, unique=True)
    description = models.TextField(_("description"), max_length=1000, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=SpaceKind.choices)
    created = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Notifications about it go when it goes (the notifications' generic target).
    notifications = GenericRelation(
        Notification, object_id_field="target_id", content_type_field="target_type"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("space")
        verbose_name_plural = _("spaces")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("streams:space", args=[self.slug])

    @property
    def is_closed(self) -> bool:
        return self.kind == SpaceKind.CLOSED

    @property
    def principal(self) -> str:
        """The search token for this space's content: open spaces are for all staff."""
        return f"space:{self.pk}" if self.is_closed else "all"


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("member")
    MANAGER = "manager", _("manager")


class MembershipStatus(models.TextChoices):
    PENDING = "pending", _("waiting for approval")
    ACTIVE = "active", _("member")


class Membership(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="memberships")
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="space_memberships"
    )
    role = models.CharField(
        _("role"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MembershipStatus.choices,
        default=MembershipStatus.ACTIVE,
    )
    created = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("space membership")
        verbose_name_plural = _("space memberships")
        constraints = [
            models.UniqueConstraint(fields=["space", "employee"], name="unique_space_member")
        ]
        indexes = [models.Index(fields=["employee", "status"])]

    def __str__(self) -> str:
        return f"{self.employee} in {self.space}"


class Topic(models.Model):
    """A ``#topic``: stored lower-case, so #Fiets and #fiets are one topic."""

    name = models.CharField(_("name"), max_length=50, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return f"#{self.name}"

    def get_absolute_url(self) -> str:
        return reverse("streams:topic", args=[self.name])


class AudienceKind(models.TextChoices):
    ALL = "all", _("All staff")
    DEPARTMENT = "department", _("A department with its sub-departments")
    SPACE = "space", _("A space")
    AUDIENCE = "audience", _("A target audience")  # directives and surveys


class Post(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="posts",
    )
    body = models.TextField(_("message"), max_length=POST_MAX_LENGTH)
    body_html = models.TextField(editable=False)
    audience_kind = models.CharField(
        _("audience"), max_length=12, choices=AudienceKind.choices, default=AudienceKind.ALL
    )
    department = models.ForeignKey(
        "workplace.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    space = models.ForeignKey(
        Space,
        verbose_name=_("space"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="posts",
    )
    is_announcement = models.BooleanField(_("announcement"), default=False)
    photo = models.ImageField(_("photo"), upload_to=upload_photo, blank=True)
    attachment = models.FileField(_("file"), upload_to=upload_file, blank=True)
    attachment_name = models.CharField(max_length=150, blank=True)
    directive_number = models.CharField(_("KUS directive"), max_length=30, blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="posts")
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="mentioned_in"
    )
    created = models.DateTimeField(_("posted"), default=timezone.now, db_index=True)
    edited = models.DateTimeField(_("edited"), null=True, blank=True)
    deleted = models.DateTimeField(_("deleted"), null=True, blank=True)
    hidden = models.DateTimeField(_("hidden by moderation"), null=True, blank=True)
    pinned = models.DateTimeField(_("pinned"), null=True, blank=True)
    notifications = GenericRelation(
        Notification, object_id_field="target_id", content_type_field="target_type"
    )

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self) -> str:
        return self.body[:60]

    def get_absolute_url(self) -> str:
        return reverse("streams:post", args=[self.pk])

    @property
    def is_visible(self) -> bool:
        return self.deleted is None and self.hidden is None

    def principals(self) -> frozenset[str]:
        """The search tokens of who may see this post (see docs/streams.md)."""
        if not self.is_visible:
            return frozenset()
        if self.audience_kind == AudienceKind.DEPARTMENT and self.department_id:
            return frozenset({f"group:{self.department.group_id}"})
        if self.audience_kind == AudienceKind.SPACE and self.space_id:
            return frozenset({self.space.principal})
        return frozenset({"all"})


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reply to"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="stream_comments"
    )
    body = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    body_html = models.TextField(editable=False)
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created = models.DateTimeField(_("posted"), default=timezone.now)
    edited = models.DateTimeField(_("edited"), null=True, blank=True)
    deleted = models.DateTimeField(_("deleted"), null=True, blank=True)
    notifications = GenericRelation(
        Notification, object_id_field="target_id", content_type_field="target_type"
    )

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=["post", "created"])]

    def __str__(self) -> str:
        return self.body[:60]

    def get_absolute_url(self) -> str:
        return f"{self.post.get_absolute_url()}#reactie-{self.pk}"

    def principals(self) -> frozenset[str]:
        return self.post.principals() if self.deleted is None else frozenset()


class ReactionKind(models.TextChoices):
    LIKE = "like", _("Like")
    THANKS = "thanks", _("Thanks")
    CELEBRATE = "celebrate", _("Celebrate")
    INSIGHTFUL = "insightful", _("Insightful")
    SUPPORT = "support", _("Support")


REACTION_EMOJI = {
    ReactionKind.LIKE: "👍",
    ReactionKind.THANKS: "🙏",
    ReactionKind.CELEBRATE: "🎉",
    ReactionKind.INSIGHTFUL: "💡",
    ReactionKind.SUPPORT: "💪",
}


class Reaction(models.Model):
    """One reaction per person per post; choosing another kind replaces it."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("reaction"), max_length=12, choices=ReactionKind.choices)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")
        constraints = [
            models.UniqueConstraint(fields=["post", "employee"], name="unique_post_reaction")
        ]

    def __str__(self) -> str:
        return f"{self.employee}: {self.kind}"

    @property
    def emoji(self) -> str:
        return REACTION_EMOJI.get(self.kind, "")


class FollowKind(models.TextChoices):
    EMPLOYEE = "employee", _("colleague")
    TOPIC = "topic", _("topic")
    DEPARTMENT = "department", _("department")
    SPACE = "space", _("space")


class Follow(models.Model):
    """Someone follows a colleague, a topic, a department or a space.

    One column per kind (rather than a generic key) keeps each "what do I
    follow" subquery an indexed integer lookup the stream query can join on.
    """

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    kind = models.CharField(max_length=12, choices=FollowKind.choices)
    target_id = models.PositiveIntegerField()
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["follower", "kind", "target_id"], name="unique_follow")
        ]
        indexes = [models.Index(fields=["kind", "target_id"])]

    def __str__(self) -> str:
        return f"{self.follower} → {self.kind}:{self.target_id}"


class Verb(models.TextChoices):
    POSTED = "posted", _("posted")
    COMMENTED = "commented", _("commented")
    JOINED_ORGANISATION = "joined", _("joined the organisation")
    SPACE_CREATED = "space_created", _("created a space")
    SPACE_JOINED = "space_joined", _("joined a space")
    DIRECTIVE_PUBLISHED = "directive_published", _("published a directive")
    DIRECTIVE_VERSION = "directive_version", _("published a new version of a directive")
    SURVEY_OPENED = "survey_opened", _("opened a survey")
    ANNOUNCED = "announced", _("made an announcement")  # campaigns' announcements


class Activity(models.Model):
    """Actor, verb, object, target and audience of something that happened.

    ``post``/``comment`` point at the object when it lives here; directives and
    surveys are referred to by ``object_ref`` and ``title``/``url`` so this app
    never imports theirs. ``hidden`` follows the object (deleted or moderated).
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="activities",
    )
    verb = models.CharField(max_length=24, choices=Verb.choices)
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="activities"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="activities"
    )
    object_ref = models.CharField(max_length=80, blank=True, db_index=True)
    title = models.CharField(max_length=255, blank=True)
    url = models.CharField(max_length=255, blank=True)
    # The audience, in columns the stream query filters on.
    audience_kind = models.CharField(max_length=12, choices=AudienceKind.choices)
    department = models.ForeignKey(
        "workplace.Department", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    space = models.ForeignKey(
        Space, null=True, blank=True, on_delete=models.CASCADE, related_name="activities"
    )
    audience = models.ForeignKey(
        "workplace.Audience", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="activities")
    is_announcement = models.BooleanField(default=False)
    hidden = models.BooleanField(default=False)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            models.Index(fields=["-created", "-id"], name="activity_newest"),
            models.Index(fields=["actor", "-created"], name="activity_actor"),
            models.Index(fields=["department", "-created"], name="activity_department"),
            models.Index(fields=["space", "-created"], name="activity_space"),
        ]

    def __str__(self) -> str:
        return f"{self.actor} {self.verb} {self.object_ref or self.post_id}"


class Report(models.Model):
    """Someone flags a post for the community managers."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("what is wrong?"), max_length=500)
    created = models.DateTimeField(default=timezone.now)
    resolved = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=models.Q(resolved__isnull=True),
                name="one_open_report_per_reporter",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reporter} on {self.post_id}"


class ModerationAction(models.TextChoices):
    HIDE = "hide", _("hidden")
    RESTORE = "restore", _("restored")
    DISMISS = "dismiss", _("reports dismissed")


class ModerationLog(models.Model):
    """The audit trail: who hid or restored which post, when and why."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="moderation_log")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=10, choices=ModerationAction.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("moderation entry")
        verbose_name_plural = _("moderation log")

    def __str__(self) -> str:
        return f"{self.moderator} {self.action} {self.post_id}"
