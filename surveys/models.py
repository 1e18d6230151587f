"""Surveys: their structure, who took part, and the answers — kept apart.

The anonymity of a survey rests on how the answers are stored:

- ``Participation`` says *who* takes part. While someone is still answering,
  their draft lives here so that they can resume on another device or after a
  terminal logged them out.
- ``Response`` holds the submitted answers. In anonymous mode it has no link
  to the person: a random UUID key (no insertion order), no foreign key to the
  participation or the employee, and only the ISO week of submission. The
  group attributes used for results (service, site, field or office) are
  copied at submit time, at service level and never finer.

On submit the draft is moved into a ``Response`` and erased from the
participation in one transaction.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MIN_THRESHOLD = 3
DEFAULT_THRESHOLD = 5
OTHER = "__other__"


class Status(models.TextChoices):
    DRAFT = "draft", _("In preparation")
    SCHEDULED = "scheduled", _("Scheduled")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Anonymity(models.TextChoices):
    ANONYMOUS = "anonymous", _("Anonymous")
    NAMED = "named", _("With name")


class Kind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    LIKERT = "likert", _("Agreement scale (5 points)")
    MATRIX = "matrix", _("Matrix of items and a scale")
    NPS = "nps", _("Recommendation score (0-10)")
    NUMBER = "number", _("Number")
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")


LIKERT_LABELS = [
    _("Strongly disagree"),
    _("Disagree"),
    _("Neutral"),
    _("Agree"),
    _("Strongly agree"),
]


def week_of(day: date) -> date:
    """The Monday of the day's ISO week: the only date a response keeps."""
    return day - timedelta(days=day.weekday())


class Survey(models.Model):
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(
        _("introduction"), blank=True, help_text=_("Shown before the first question.")
    )
    audience = models.ForeignKey(
        "workplace.Audience",
        verbose_name=_("audience"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    anonymity = models.CharField(
        _("anonymity"), max_length=10, choices=Anonymity.choices, default=Anonymity.ANONYMOUS
    )
    threshold = models.PositiveSmallIntegerField(
        _("minimum answers per group"),
        default=DEFAULT_THRESHOLD,
        validators=[MinValueValidator(MIN_THRESHOLD), MaxValueValidator(100)],
        help_text=_("Groups with fewer answers are merged into “other”. Never below 3."),
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    previous_edition = models.ForeignKey(
        "self",
        verbose_name=_("previous edition"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_editions",
    )
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("owners"), related_name="owned_surveys"
    )
    created = models.DateTimeField(_("created"), default=timezone.now)
    # How many responses there were at the last reshuffle (see actions.shuffle_responses).
    shuffled_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-opens_at", "-created"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:start", args=[self.pk])

    @property
    def is_anonymous(self) -> bool:
        return self.anonymity == Anonymity.ANONYMOUS

    def is_locked(self) -> bool:
        """Structure is frozen once anybody has started answering."""
        return self.participations.exists()


class Section(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    code = models.SlugField(
        _("code"),
        max_length=50,
        help_text=_("A short name that stays the same across editions, for comparisons."),
    )
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("explanation"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=True)
    choices = models.JSONField(
        _("options"),
        default=list,
        blank=True,
        help_text=_("Single and multiple choice: the options; matrix: the scale."),
    )
    rows = models.JSONField(_("matrix items"), default=list, blank=True)
    allow_other = models.BooleanField(_("offer “other: …”"), default=False)
    min_value = models.IntegerField(_("lowest number"), null=True, blank=True)
    max_value = models.IntegerField(_("highest number"), null=True, blank=True)
    condition_question = models.ForeignKey(
        "self",
        verbose_name=_("only ask when the answer to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dependents",
    )
    condition_values = models.JSONField(_("is one of"), default=list, blank=True)

    class Meta:
        ordering = ["section__position", "position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text

    @property
    def key(self) -> str:
        return str(self.pk)

    @property
    def scale(self) -> list[str]:
        """The answer categories of a chart, in order."""
        if self.kind == Kind.LIKERT:
            return [str(label) for label in LIKERT_LABELS]
        if self.kind == Kind.NPS:
            return [str(n) for n in range(11)]
        return list(self.choices)


class Participation(models.Model):
    """Who takes part: one per employee and survey. Never holds submitted answers."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="participations")
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_participations"
    )
    submitted = models.BooleanField(_("submitted"), default=False)
    draft = models.JSONField(default=dict, blank=True)
    section_reached = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["survey", "employee"], name="one_participation")
        ]

    def __str__(self) -> str:
        return f"{self.employee} · {self.survey}"


class Response(models.Model):
    """Submitted answers. In anonymous mode nothing here points at a person."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    week = models.DateField(_("week"))
    unit = models.ForeignKey(
        "workplace.Department",
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    site = models.ForeignKey(
        "workplace.WorkSite",
        verbose_name=_("work site"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_field_worker = models.BooleanField(_("field worker"), null=True)
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("respondent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Only for surveys with name."),
    )
    answers = models.JSONField(default=dict)

    class Meta:
        # Random order on purpose: never the order in which people submitted.
        ordering = ["id"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return str(self.id)
