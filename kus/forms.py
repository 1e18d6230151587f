from __future__ import annotations

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kus.models import SUMMARY_MAX, Category, Directive
from workplace.models import Department, Employee


class TextForm(forms.Form):
    """The versioned part of a directive."""

    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": SUMMARY_MAX}),
        help_text=_("In plain language, at most 300 characters. Readers see it first."),
    )
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Markdown: ## heading, - list, | table |, [link](https://…)."),
    )
    change_note = forms.CharField(
        label=_("What changed"),
        max_length=300,
        required=False,
        help_text=_("A short note for the history, e.g. 'new amounts from 1 January'."),
        error_messages={"required": _("Say in a few words what changed.")},
    )
    material = forms.BooleanField(
        label=_("Material change: everyone has to acknowledge it again"), required=False
    )

    def __init__(self, *args, published: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if published:
            self.fields["change_note"].required = True
        else:
            # The first publication has nothing to compare with.
            del self.fields["change_note"]
            del self.fields["material"]


class ContactField(forms.CharField):
    """One colleague by username or personnel number (a select of 8,000 names is no use)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Username or personnel number."))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, int):
            return Employee.objects.filter(pk=value).values_list("username", flat=True).first()
        return getattr(value, "username", value)

    def clean(self, value):
        key = (super().clean(value) or "").strip()
        if not key:
            return None
        person = (
            Employee.objects.filter(is_active=True)
            .filter(models.Q(username=key) | models.Q(personnel_number=key))
            .first()
        )
        if person is None:
            raise forms.ValidationError(_("Unknown colleagues: %(names)s.") % {"names": key})
        return person

    def has_changed(self, initial, data) -> bool:
        return (self.prepare_value(initial) or "") != (data or "").strip()


class DirectiveForm(forms.ModelForm):
    """The metadata: it applies at once, also to a published directive."""

    tags_text = forms.CharField(
        label=_("Tags"), required=False, help_text=_("Separate tags with commas.")
    )
    contact = ContactField(label=_("Contact person"))

    class Meta:
        model = Directive
        fields = [
            "category",
            "owner_department",
            "contact",
            "requires_ack",
            "ack_by",
            "restricted",
            "effective_from",
            "review_by",
            "expires_on",
        ]
        widgets = {
            "ack_by": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "effective_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "review_by": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "expires_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, user: Employee, **kwargs):
        super().__init__(*args, **kwargs)
        from kus.access import is_kus_editor

        self.fields["category"].queryset = Category.objects.all()
        if not is_kus_editor(user):
            # Department editors keep their directives within their own department.
            self.fields["owner_department"].queryset = Department.objects.filter(
                pk=user.department_id
            ) | Department.objects.filter(pk=self.instance.owner_department_id or 0)
        if self.instance.pk:
            self.fields["tags_text"].initial = ", ".join(t.name for t in self.instance.tags.all())

    def clean(self):
        data = super().clean()
        start, review, expiry = (
            data.get("effective_from"),
            data.get("review_by"),
            data.get("expires_on"),
        )
        if start and review and review < start:
            self.add_error("review_by", _("The review date comes after the effective date."))
        if start and expiry and expiry <= start:
            self.add_error("expires_on", _("The expiry date comes after the effective date."))
        data["tags"] = [t.strip() for t in data.get("tags_text", "").split(",") if t.strip()]
        return data


class PublishForm(forms.Form):
    replaces = forms.CharField(
        label=_("Replaces"),
        required=False,
        help_text=_("Numbers of the directives this one replaces, separated by commas."),
    )

    def clean_replaces(self) -> list[str]:
        raw = self.cleaned_data["replaces"].replace(";", ",")
        return [n.strip().upper() for n in raw.split(",") if n.strip()]


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Attachment"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.docx,.xlsx,image/png,image/jpeg,image/webp,image/gif"}
        ),
        help_text=_("PDF, Word, Excel or an image; at most 15 MB."),
    )


class FilterForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All categories"),
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("All departments"),
    )
    tag = forms.SlugField(label=_("Tag"), required=False)

    def __init__(self, *args, directives, **kwargs):
        super().__init__(*args, **kwargs)
        # Only departments that own a directive the user may see: nothing hints at the rest.
        self.fields["department"].queryset = Department.objects.filter(
            pk__in=directives.values("owner_department")
        )


class BriefingForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Which team"), queryset=Department.objects.none())
    held_on = forms.DateField(
        label=_("Date of the briefing"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    attendees = forms.ModelMultipleChoiceField(
        label=_("Who was there"),
        queryset=Employee.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose who attended the briefing.")},
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, teams, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["attendees"].queryset = people
        self.fields["held_on"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        team, attendees = data.get("team"), data.get("attendees")
        if team and attendees:
            outside = [a for a in attendees if not a.department.is_within(team)]
            if outside:
                self.add_error(
                    "attendees",
                    _("%(names)s is not in %(team)s.")
                    % {"names": ", ".join(map(str, outside)), "team": team},
                )
        return data
