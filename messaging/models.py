"""Conversations, their members and their messages.

The database is the source of truth: a message exists once it is committed,
and every socket catches up from here (``sync``), never from the channel layer.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from workplace.files import RandomName

MAX_BODY = 10_000
MAX_GROUP_MEMBERS = 5_000
EDIT_WINDOW_MINUTES = 15


class AttachmentStorage(FileSystemStorage):
    """Where attachments were kept before every user file moved to the private default
    storage (workplace.files); ``manage.py files_secure`` moves them from here."""

    @property
    def base_location(self) -> str:  # type: ignore[override]
        root = settings.MESSAGING_ATTACHMENT_ROOT
        return str(root or Path(settings.MEDIA_ROOT).parent / "attachments")

    @property
    def location(self) -> str:  # type: ignore[override]
        return str(Path(self.base_location).resolve())

    @property
    def base_url(self) -> None:  # type: ignore[override]
        return None


attachment_storage = AttachmentStorage()


def attachment_path(message: Message, filename: str) -> str:
    # A random name (workplace.files); the original name is ``Message.attachment_name``.
    return RandomName("messaging")(message, filename)


class ConversationKind(models.TextChoices):
    DIRECT = "direct", _("Direct")
    GROUP = "group", _("Group")


class Conversation(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=ConversationKind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True)
    # "<smaller id>:<larger id>" for a direct conversation, so each pair has only one.
    direct_key = models.CharField(max_length=41, null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A group may belong to a space (a project, a community); membership stays its own.
    space = models.ForeignKey(
        "streams.Space",
        verbose_name=_("space"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
    )
    created = models.DateTimeField(_("created"), default=timezone.now)
    # The newest message's id and time, kept by send_message, to order the list cheaply.
    last_message_id = models.BigIntegerField(default=0, editable=False)
    last_activity = models.DateTimeField(default=timezone.now, db_index=True, editable=False)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self) -> str:
        return self.name or f"#{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("messaging:conversation", args=[self.pk])

    @property
    def is_direct(self) -> bool:
        return self.kind == ConversationKind.DIRECT

    def title_for(self, user) -> str:
        """A group's name, or the other person's name in a direct conversation."""
        if not self.is_direct:
            return self.name
        others = [m.user for m in self.memberships.all() if m.user_id != user.pk]
        return str(others[0]) if others else str(user)

    def other_member(self, user):
        for membership in self.memberships.all():
            if membership.user_id != user.pk:
                return membership.user
        return None


class MemberRole(models.TextChoices):
    ADMIN = "admin", _("Admin")
    MEMBER = "member", _("Member")


class Membership(models.Model):
    """Being in a conversation. Removing someone deletes the row: access ends at once."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("role"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    joined = models.DateTimeField(_("joined"), default=timezone.now)
    last_read_id = models.BigIntegerField(default=0)
    muted = models.BooleanField(_("muted"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="one_membership")
        ]
        indexes = [models.Index(fields=["user", "conversation"])]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} in {self.conversation}"

    @property
    def is_admin(self) -> bool:
        return self.role == MemberRole.ADMIN


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Chosen by the client; a retry with the same id returns the original message.
    client_id = models.CharField(max_length=64)
    body = models.TextField(_("message"), max_length=MAX_BODY, blank=True)
    created = models.DateTimeField(_("sent"), default=timezone.now)
    edited = models.DateTimeField(_("edited"), null=True, blank=True)
    deleted = models.DateTimeField(_("deleted"), null=True, blank=True)
    # Set by an edit or a deletion, so that ``sync`` can replay changes to old messages.
    changed = models.DateTimeField(null=True, blank=True, db_index=True, editable=False)
    reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attachment = models.FileField(_("attachment"), upload_to=attachment_path, blank=True)
    attachment_name = models.CharField(max_length=255, blank=True)
    attachment_size = models.PositiveIntegerField(default=0)
    attachment_is_image = models.BooleanField(default=False)
    # A photo's pixels, so that the page reserves its place before it loads (0: unknown,
    # for photos stored before these were kept).
    attachment_width = models.PositiveIntegerField(default=0)
    attachment_height = models.PositiveIntegerField(default=0)
    # A photo made small at upload (THUMBNAIL_SIDE), for the conversation; the full
    # one opens on a tap. Empty for other files and for photos from before.
    attachment_thumbnail = models.FileField(upload_to=attachment_path, blank=True)
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sender", "client_id"], name="one_message_per_client_id"
            )
        ]
        indexes = [models.Index(fields=["conversation", "id"])]
        ordering = ["id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return self.body[:50]

    def get_absolute_url(self) -> str:
        return f"{self.conversation.get_absolute_url()}#m{self.pk}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted is not None

    def can_edit(self, user, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.sender_id == user.pk
            and not self.is_deleted
            and now - self.created <= timedelta(minutes=EDIT_WINDOW_MINUTES)
        )

    @cached_property
    def html(self) -> str:
        from messaging.formatting import render_body

        return "" if self.is_deleted else render_body(self.body)


class Preferences(models.Model):
    """What an employee shares about their reading and presence (personal data)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messaging_preferences"
    )
    read_receipts = models.BooleanField(
        _("share read receipts"),
        default=True,
        help_text=_("Off: others do not see when you have read, and you do not see it of them."),
    )
    show_presence = models.BooleanField(
        _("show when I am online"),
        default=True,
        help_text=_("Off: others see neither that you are online nor when you were last seen."),
    )
    last_seen = models.DateTimeField(null=True, blank=True)
    # Set when their last heartbeating socket closed (announced as away), cleared by the
    # next heartbeat: until then a recent ``last_seen`` does not mean online.
    away_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("messaging preferences")
        verbose_name_plural = _("messaging preferences")

    def __str__(self) -> str:
        return str(self.user)


class PresenceSocket(models.Model):
    """An open socket that sends presence heartbeats (a messaging page), by channel name.

    Shared by every daphne process, so that the close of someone's last socket can be
    told apart from the close of one of several tabs or devices. A row whose ``seen``
    is older than the online window belongs to a socket that died without closing (a
    process killed); it counts for nothing and goes at the user's next heartbeat.
    """

    channel = models.CharField(max_length=200, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seen = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "seen"])]
        verbose_name = _("open socket")
        verbose_name_plural = _("open sockets")

    def __str__(self) -> str:
        return self.channel
