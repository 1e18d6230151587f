"""What administrators see of the background jobs: the failures, kept until dealt with."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobFailure(models.Model):
    """One failed run of a background task (Huey), retried or given up."""

    task = models.CharField(_("task"), max_length=150)
    task_id = models.CharField(max_length=64)
    arguments = models.CharField(_("arguments"), max_length=500, blank=True)
    error = models.TextField(_("error"))
    retries_left = models.PositiveIntegerField(_("retries left"), default=0)
    failed = models.DateTimeField(_("failed"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-failed"]
        verbose_name = _("failed background job")
        verbose_name_plural = _("failed background jobs")

    def __str__(self) -> str:
        return f"{self.task} ({self.failed:%Y-%m-%d %H:%M})"

    @property
    def gave_up(self) -> bool:
        return self.retries_left == 0
