from __future__ import annotations

from django import forms

from notifications.models import CHOSEN_KINDS, Channel, NotificationKind


class PreferencesForm(forms.Form):
    """One checkbox per kind and per channel that carries it (SMS only for what is urgent)."""

    def __init__(self, current: dict[tuple[str, str], bool], channels: list[str], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        labels = dict(Channel.choices)
        for kind in CHOSEN_KINDS:
            row = []
            for channel in channels:
                if (kind, channel) not in current:
                    continue
                name = f"{kind}__{channel}"
                self.fields[name] = forms.BooleanField(
                    label=labels[channel], required=False, initial=current[(kind, channel)]
                )
                row.append(name)
            if row:
                self.rows.append((NotificationKind(kind).label, row))

    def chosen(self) -> dict[tuple[str, str], bool]:
        result = {}
        for name, value in self.cleaned_data.items():
            kind, _sep, channel = name.partition("__")
            result[(kind, channel)] = bool(value)
        return result

    def field_rows(self):
        return [(label, [self[name] for name in names]) for label, names in self.rows]
