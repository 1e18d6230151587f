"""Notifications: one line per person per thing worth hearing about, and their choices.

A notification points at its ``target`` (a post, a comment, a space, a directive …)
through a generic key, so this app knows no content app; each content app may
register how its targets are listed (``notifications.targets``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    MENTION = "mention", _("Someone mentions me")
    REPLY = "reply", _("Someone replies to my post or comment")
    REACTION = "reaction", _("Someone reacts to my post")
    DIRECTIVE = "directive", _("A directive to acknowledge")
    SPACE_POST = "space_post", _("A new post in a space I manage")
    SURVEY = "survey", _("A new survey for me")
    MEMBERSHIP = "membership", _("Someone asks to join a space I manage")


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In Werkplek")
    EMAIL_DIGEST = "email_digest", _("E-mail digest")
    PUSH = "push", _("Push message on my phone")


# What each channel does when someone never chose: only in-app is on by default.
DEFAULT_CHANNELS: dict[str, bool] = {
    Channel.IN_APP: True,
    Channel.EMAIL_DIGEST: False,
    Channel.PUSH: False,
}


class Notification(models.Model):
    """One line in someone's notifications.

    Reactions to one post are grouped while unread: ``group_key`` finds the
    open line and ``actors`` collects who reacted ("Alice en 4 anderen").
    ``title`` and ``url`` are kept as they were when it was sent.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=12, choices=NotificationKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    actors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    actor_count = models.PositiveIntegerField(default=1)
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    title = models.CharField(max_length=255, blank=True)
    url = models.CharField(max_length=255, blank=True)
    group_key = models.CharField(max_length=80, blank=True)
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)
    read = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "-updated"], name="notification_recipient"),
            models.Index(fields=["recipient", "read"], name="notification_unread"),
            models.Index(fields=["target_type", "target_id"], name="notification_target"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.kind}"

    def get_absolute_url(self) -> str:
        return reverse("notification", args=[self.pk])

    @property
    def others(self) -> int:
        return max(self.actor_count - 1, 0)


class NotificationPreference(models.Model):
    """A choice that differs from ``DEFAULT_CHANNELS``, per kind and channel."""

    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=12, choices=NotificationKind.choices)
    channel = models.CharField(max_length=12, choices=Channel.choices)
    enabled = models.BooleanField()

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "kind", "channel"], name="unique_notification_preference"
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee}: {self.kind}/{self.channel}={self.enabled}"
