"""Audiences: one way for every module to say who is addressed.

An audience is a saved rule set. Its include rules are alternatives (anyone
who matches one of them is in), the worker-kind rule narrows the whole set,
and the exclusions take people out again. ``workplace.audiences`` turns the
rules into members, into the audiences of a person, and into the principals
the search engine filters on.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


class WorkerKind(models.TextChoices):
    EVERYONE = "", _("field and office workers")
    FIELD = "field", _("field workers only")
    OFFICE = "office", _("office workers only")


def job_title_key(title: str) -> str:
    """The comparable form of a job title: case, accents and punctuation do not count."""
    return slugify(title.strip().lower())[:150]


class Audience(models.Model):
    name = models.CharField(
        _("name"),
        max_length=150,
        blank=True,
        help_text=_("Give an audience a name to reuse it; unnamed ones belong to one item."),
    )
    all_staff = models.BooleanField(_("all staff"), default=False)
    departments = models.ManyToManyField(
        "workplace.Department",
        verbose_name=_("departments with their sub-departments"),
        blank=True,
        related_name="+",
    )
    departments_only = models.ManyToManyField(
        "workplace.Department",
        verbose_name=_("departments without their sub-departments"),
        blank=True,
        related_name="+",
    )
    groups = models.ManyToManyField(
        Group,
        verbose_name=_("role groups"),
        blank=True,
        related_name="+",
        limit_choices_to={"department__isnull": True},
    )
    sites = models.ManyToManyField(
        "workplace.WorkSite", verbose_name=_("work sites"), blank=True, related_name="+"
    )
    employees = models.ManyToManyField(
        "workplace.Employee", verbose_name=_("named employees"), blank=True, related_name="+"
    )
    worker_kind = models.CharField(
        _("limit to"), max_length=10, choices=WorkerKind.choices, default="", blank=True
    )
    excluded_departments = models.ManyToManyField(
        "workplace.Department",
        verbose_name=_("except departments (with sub-departments)"),
        blank=True,
        related_name="+",
    )
    excluded_employees = models.ManyToManyField(
        "workplace.Employee", verbose_name=_("except employees"), blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")

    def __str__(self) -> str:
        if self.name:
            return self.name
        from workplace.audiences import describe

        return describe(self)

    def members(self):
        from workplace.audiences import members

        return members(self)

    def includes(self, user) -> bool:
        from workplace.audiences import includes

        return includes(self, user)


class AudienceJobTitle(models.Model):
    """One job title an audience addresses (kept as rows so that SQL can match it)."""

    audience = models.ForeignKey(Audience, on_delete=models.CASCADE, related_name="job_titles")
    title = models.CharField(_("job title"), max_length=150)
    key = models.CharField(max_length=150, db_index=True, editable=False)

    class Meta:
        verbose_name = _("job title")
        verbose_name_plural = _("job titles")
        constraints = [
            models.UniqueConstraint(fields=["audience", "key"], name="unique_audience_job_title")
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.key = job_title_key(self.title)
        super().save(*args, **kwargs)
