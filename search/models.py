"""The index update queue: one row per object whose index entry may be out of date."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndexTask(models.Model):
    """Look at this object again": written in the same transaction as the change.

    A row says nothing about *what* changed. The writer reads the object's
    current state and indexes it, or removes it when it is gone or no longer
    indexable, so tasks can be repeated, merged and applied in any order.
    """

    model = models.CharField(_("model"), max_length=100)  # "app_label.modelname"
    object_id = models.CharField(_("object id"), max_length=64)
    created = models.DateTimeField(_("queued at"), auto_now_add=True)
    # Failed tries: a task that keeps failing is set aside, not retried forever.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    class Meta:
        ordering = ["id"]
        verbose_name = _("index task")
        verbose_name_plural = _("index tasks")

    def __str__(self) -> str:
        return f"{self.model}.{self.object_id}"
