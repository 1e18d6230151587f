from __future__ import annotations

from django import forms

from alerts.models import UrgentMessage


class MessageForm(forms.ModelForm):
    class Meta:
        model = UrgentMessage
        fields = ["title", "body", "resend_after"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 5}),
            "resend_after": forms.NumberInput(attrs={"inputmode": "numeric", "min": 5}),
        }
