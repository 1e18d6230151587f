from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from streams import uploads
from streams.actions import allowed_departments, postable_spaces
from streams.models import (
    COMMENT_MAX_LENGTH,
    POST_MAX_LENGTH,
    AudienceKind,
    Space,
    SpaceKind,
)
from workplace import files
from workplace.models import Department


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=POST_MAX_LENGTH,
        widget=forms.Textarea(
            attrs={"rows": 3, "maxlength": POST_MAX_LENGTH, "data-mentions": "true"}
        ),
        help_text=_("**bold**, lists with -, @username to mention, #topic for a topic."),
        error_messages={"required": _("Write something first.")},
    )
    audience = forms.ChoiceField(label=_("Who may read this?"))
    photo = files.UploadField(uploads.PHOTOS, label=_("Photo"), required=False)
    attachment = files.UploadField(uploads.FILES, label=_("File"), required=False)
    directive_number = forms.CharField(
        label=_("Link to a KUS directive (number)"), max_length=30, required=False
    )

    def __init__(self, user, *args, space: Space | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        choices = [("all", _("All staff"))]
        choices += [
            (f"dept:{d.pk}", _("%(name)s (with sub-departments)") % {"name": d.name})
            for d in allowed_departments(user)
        ]
        choices += [
            (f"space:{s.pk}", _("Space: %(name)s") % {"name": s.name})
            for s in postable_spaces(user)
        ]
        self.fields["audience"].choices = choices
        if space is not None:
            self.fields["audience"].initial = f"space:{space.pk}"

    def clean_audience(self) -> dict:
        value = self.cleaned_data["audience"]
        kind, _colon, pk = value.partition(":")
        if kind == "dept":
            department = Department.objects.get(pk=int(pk))
            return {"audience_kind": AudienceKind.DEPARTMENT, "department": department}
        if kind == "space":
            return {"audience_kind": AudienceKind.SPACE, "space": Space.objects.get(pk=int(pk))}
        return {"audience_kind": AudienceKind.ALL}


class EditForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=POST_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": POST_MAX_LENGTH}),
        error_messages={"required": _("Write something first.")},
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(
            attrs={"rows": 2, "maxlength": COMMENT_MAX_LENGTH, "data-mentions": "true"}
        ),
        error_messages={"required": _("Write something first.")},
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
        error_messages={"required": _("Tell us briefly what is wrong.")},
    )


class SpaceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(
        label=_("Who can join?"), choices=SpaceKind.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label=_("What is it about?"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
