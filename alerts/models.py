"""Urgent messages ("dringende berichten") and who acknowledged them.

A message is written by the communication team or crisis communication, tried
on the sender alone (``test_sent``), then sent once (``sent``) to everyone its
shared audience reaches, on every channel they set up. Whoever has not
acknowledged it after ``resend_after`` minutes gets it once more (``resent``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TITLE_LENGTH = 100  # an SMS carries the title and a link in 160 characters


class UrgentMessage(models.Model):
    title = models.CharField(_("title"), max_length=TITLE_LENGTH)
    body = models.TextField(_("message"))
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sender"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    audience = models.ForeignKey(
        "workplace.Audience",
        verbose_name=_("audience"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created = models.DateTimeField(default=timezone.now)
    test_sent = models.DateTimeField(null=True, blank=True)
    sent = models.DateTimeField(null=True, blank=True)
    resend_after = models.PositiveSmallIntegerField(
        _("send again after (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(24 * 60)],
        help_text=_(
            "Whoever has not acknowledged it by then gets it once more, also by SMS. "
            "Leave empty to send it once."
        ),
    )
    resent = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("urgent message")
        verbose_name_plural = _("urgent messages")
        indexes = [models.Index(fields=["sent"], name="alerts_sent")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("alerts:message", args=[self.pk])

    @property
    def resend_due(self) -> datetime | None:
        if self.sent is None or self.resend_after is None:
            return None
        return self.sent + timedelta(minutes=self.resend_after)


class Acknowledgement(models.Model):
    message = models.ForeignKey(
        UrgentMessage, on_delete=models.CASCADE, related_name="acknowledgements"
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
                fields=["message", "employee"], name="unique_urgent_acknowledgement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee_id}: {self.message_id}"
