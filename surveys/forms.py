"""Builder forms for HR. Answer forms are read by ``surveys.answers``."""

from __future__ import annotations

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from surveys.models import Kind, Question, Section, Survey


def _lines(text: str) -> list[str]:
    seen: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if line and line not in seen:
            seen.append(line)
    return seen


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["title", "intro", "anonymity", "threshold", "opens_at", "closes_at", "owners"]
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 4}),
            "opens_at": DateTimeInput(),
            "closes_at": DateTimeInput(),
            "anonymity": forms.RadioSelect,
        }
        help_texts = {
            "anonymity": _(
                "Anonymous: answers are stored apart from the names of who took part. "
                "With name: respondents are told before they start."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "owners" in self.fields:
            from workplace.models import Employee
            from workplace.roles import Role

            # Only HR colleagues can own a survey (and so read its results).
            self.fields["owners"].queryset = Employee.objects.filter(
                is_active=True, groups__name=Role.HR.value
            ).distinct()
            self.fields["owners"].required = False
            self.fields["owners"].help_text = _(
                "HR colleagues who may build the survey and read its results. You stay one."
            )

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The survey must close after it opens."))
        return data


class StructureLockedForm(SurveyForm):
    """Once answering started, only the texts and the closing date may change."""

    class Meta(SurveyForm.Meta):
        fields = ["title", "intro", "closes_at", "owners"]


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["title", "intro"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 2})}


class QuestionForm(forms.ModelForm):
    choices_text = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line. For a matrix: the scale, e.g. always / sometimes / never."),
    )
    rows_text = forms.CharField(
        label=_("Matrix items"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, e.g. each section of the magazine."),
    )
    condition_values_text = forms.CharField(
        label=_("…is one of these answers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line, exactly as the option reads (or the score)."),
    )

    class Meta:
        model = Question
        fields = [
            "kind",
            "text",
            "help_text",
            "code",
            "required",
            "allow_other",
            "min_value",
            "max_value",
            "condition_question",
        ]

    def __init__(self, *args, section: Section, **kwargs):
        super().__init__(*args, **kwargs)
        self.section = section
        self.fields["code"].required = False
        self.fields["condition_question"].queryset = Question.objects.filter(
            section__survey=section.survey, section__position__lt=section.position
        ).exclude(kind__in=[Kind.MATRIX, Kind.SHORT_TEXT, Kind.LONG_TEXT])
        if self.instance.pk:
            self.fields["choices_text"].initial = "\n".join(self.instance.choices)
            self.fields["rows_text"].initial = "\n".join(self.instance.rows)
            self.fields["condition_values_text"].initial = "\n".join(self.instance.condition_values)

    def clean(self):
        data = super().clean()
        if not data.get("code") and data.get("text"):
            data["code"] = slugify(data["text"])[:50] or "vraag"
        return data

    def save(self, commit: bool = True) -> Question:
        question = super().save(commit=False)
        question.section = self.section
        question.code = self.cleaned_data["code"]
        question.choices = _lines(self.cleaned_data["choices_text"])
        question.rows = _lines(self.cleaned_data["rows_text"])
        question.condition_values = (
            _lines(self.cleaned_data["condition_values_text"])
            if question.condition_question_id
            else []
        )
        return question
