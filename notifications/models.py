"""Notifications: one line per person per thing worth hearing about, and their choices.

A notification points at its ``target`` (a post, a comment, a space, a directive …)
through a generic key, so this app knows no content app; each content app may
register how its targets are listed (``notifications.targets``).
"""

from __future__ import annotations

from datetime import time

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
    REMINDER = "reminder", _("A reminder of something I must do")
    SPACE_POST = "space_post", _("A new post in a space I manage")
    SURVEY = "survey", _("A new survey for me")
    MEMBERSHIP = "membership", _("Someone asks to join a space I manage")
    MESSAGE = "message", _("A direct message I have not read")
    ANNOUNCEMENT = "announcement", _("An announcement for me")
    URGENT = "urgent", _("An urgent message")
    TEST = "test", _("A test notification I asked for")


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In Werkplek")
    PUSH = "push", _("Push message on my phone")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Text message (SMS)")


# The kinds an employee chooses about on the preferences page (a test is asked for).
CHOSEN_KINDS = [kind for kind in NotificationKind if kind != NotificationKind.TEST]
# Which kinds each channel carries: SMS costs money per message, so only what is urgent.
CHANNEL_KINDS: dict[str, frozenset[str]] = {
    Channel.IN_APP: frozenset(NotificationKind.values),
    Channel.PUSH: frozenset(NotificationKind.values),
    Channel.EMAIL: frozenset(NotificationKind.values),
    Channel.SMS: frozenset({NotificationKind.URGENT}),
}
# What someone who never chose gets (each channel also needs a device or an address).
# E-mail of a kind that can wait goes in the digest (weekly unless chosen otherwise).
DEFAULT_ON: dict[str, frozenset[str]] = {
    Channel.IN_APP: frozenset(NotificationKind.values),
    Channel.PUSH: frozenset(
        {
            NotificationKind.DIRECTIVE,
            NotificationKind.MESSAGE,
            NotificationKind.URGENT,
            NotificationKind.TEST,
        }
    ),
    Channel.EMAIL: frozenset(NotificationKind.values)
    - {NotificationKind.REACTION, NotificationKind.MEMBERSHIP},
    Channel.SMS: frozenset({NotificationKind.URGENT}),
}
# Kinds whose e-mail goes at once: urgent or personal, with something to do.
IMMEDIATE_EMAIL_KINDS = frozenset(
    {
        NotificationKind.URGENT,
        NotificationKind.MESSAGE,
        NotificationKind.DIRECTIVE,
        NotificationKind.REMINDER,
        NotificationKind.TEST,
    }
)
# Kinds nobody can switch off in the app: an urgent message must reach everyone addressed.
ALWAYS_IN_APP = frozenset({NotificationKind.URGENT, NotificationKind.TEST})


def default_enabled(kind: str, channel: str) -> bool:
    return kind in DEFAULT_ON[channel]


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
    urgent = models.BooleanField(default=False)
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
    """A choice that differs from ``default_enabled``, per kind and channel."""

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


class Digest(models.TextChoices):
    NEVER = "never", _("Never")
    DAILY = "daily", _("Every working day")
    WEEKLY = "weekly", _("Once a week")


class HoursSource(models.TextChoices):
    DEFAULT = "default", _("Office hours")
    HR = "hr", _("My shift pattern")
    SELF = "self", _("Set by me")


def _default_start() -> time:
    return time(8, 0)


def _default_end() -> time:
    return time(17, 30)


class DeliveryProfile(models.Model):
    """Where and when an employee may be reached outside the app.

    Working hours are the right to disconnect: outside them push, e-mail and SMS
    wait for the next working period (only urgent messages pass). ``work_days``
    holds ISO weekdays ("12345" is Monday to Friday); an end before the start is
    a shift across midnight (22:00-06:00 ends the next morning).

    A personal e-mail address or an SMS number counts only once confirmed (a link,
    a code): nothing goes to an address its owner did not prove is theirs.
    """

    employee = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delivery_profile"
    )
    digest = models.CharField(
        _("e-mail digest"), max_length=8, choices=Digest.choices, default=Digest.WEEKLY
    )
    digest_sent = models.DateTimeField(null=True, blank=True)
    work_days = models.CharField(_("working days"), max_length=7, default="12345")
    work_start = models.TimeField(_("working hours from"), default=_default_start)
    work_end = models.TimeField(_("working hours until"), default=_default_end)
    hours_source = models.CharField(
        max_length=8, choices=HoursSource.choices, default=HoursSource.DEFAULT
    )
    use_personal_email = models.BooleanField(_("send e-mail to my personal address"), default=False)
    personal_email = models.EmailField(_("personal e-mail"), blank=True)
    personal_email_confirmed = models.DateTimeField(null=True, blank=True)
    # Not a column: HR's shift pattern, set beside the profile by ``delivery.profiles``.
    shift_pattern: str = ""

    sms_number = models.CharField(_("mobile number for SMS"), max_length=20, blank=True)
    sms_confirmed = models.DateTimeField(null=True, blank=True)
    # The pending confirmation of ``sms_number`` (notifications.sms): a hash, never the code.
    sms_code = models.CharField(max_length=64, blank=True)
    sms_code_sent = models.DateTimeField(null=True, blank=True)
    sms_code_tries = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("delivery profile")
        verbose_name_plural = _("delivery profiles")

    def __str__(self) -> str:
        return str(self.employee)


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    DIGEST = "digest", _("In the next digest")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    RETRYING = "retrying", _("Failed, retried")
    FAILED = "failed", _("Gave up")
    SKIPPED = "skipped", _("Not sent")


class Delivery(models.Model):
    """One notification on one channel outside the app, and what became of it.

    ``key`` makes it happen once: one notification, one channel, one round (an
    urgent message sent again is a new round). ``not_before`` holds it until
    the recipient's next working period, or until its next retry.
    """

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    key = models.CharField(max_length=80, unique=True)
    status = models.CharField(
        max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    not_before = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    created = models.DateTimeField(default=timezone.now)
    finished = models.DateTimeField(null=True, blank=True)
    opened = models.DateTimeField(null=True, blank=True)
    detail = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [
            models.Index(fields=["status", "not_before"], name="delivery_due"),
            models.Index(fields=["recipient", "channel", "status"], name="delivery_recipient"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.channel}: {self.status}"


class DeliveryAttempt(models.Model):
    """The delivery log: every try, with its outcome, for administrators."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=8, choices=DeliveryStatus.choices)
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")

    def __str__(self) -> str:
        return f"{self.delivery_id}: {self.outcome}"


class PushSubscription(models.Model):
    """One browser on one device that accepted push messages (the PushSubscription JSON)."""

    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    user_agent = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField(default=timezone.now)
    last_used = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")

    def __str__(self) -> str:
        return f"{self.employee}: {self.user_agent or self.endpoint[:40]}"
