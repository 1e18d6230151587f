from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from messaging.actions import ATTACHMENTS
from messaging.models import MAX_BODY, Preferences
from workplace.files import accept_attribute


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": MAX_BODY, "autocomplete": "off"}),
    )
    # Checked by messaging.actions (workplace.files), which the API shares.
    attachment = forms.FileField(
        label=_("Photo or file"),
        required=False,
        widget=forms.FileInput(attrs={"accept": accept_attribute(ATTACHMENTS)}),
    )
    # A fresh id per rendered form: posting the same form twice sends once.
    client_id = forms.CharField(widget=forms.HiddenInput, max_length=64)
    reply_to = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("client_id", uuid.uuid4().hex)


class EditForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_BODY}),
    )


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Name of the group"), max_length=100)


class NewGroupForm(GroupForm):
    space = forms.ModelChoiceField(label=_("Belongs to the space"), queryset=None, required=False)

    def __init__(self, *args, spaces=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].queryset = spaces
        if not spaces.exists():
            del self.fields["space"]


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = Preferences
        fields = ["read_receipts", "show_presence"]
