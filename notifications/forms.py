from __future__ import annotations

from django import forms

from notifications.models import Channel, NotificationKind


class PreferencesForm(forms.Form):
    """One checkbox per kind and channel; e-mail digest and push are stored for later."""

    def __init__(self, current: dict[tuple[str, str], bool], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for kind, kind_label in NotificationKind.choices:
            row = []
            for channel, channel_label in Channel.choices:
                name = f"{kind}__{channel}"
                self.fields[name] = forms.BooleanField(
                    label=channel_label, required=False, initial=current[(kind, channel)]
                )
                row.append(name)
            self.rows.append((kind_label, row))

    def chosen(self) -> dict[tuple[str, str], bool]:
        result = {}
        for name, value in self.cleaned_data.items():
            kind, _sep, channel = name.partition("__")
            result[(kind, channel)] = bool(value)
        return result

    def field_rows(self):
        return [(label, [self[name] for name in names]) for label, names in self.rows]
