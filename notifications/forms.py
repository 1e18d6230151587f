from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import CHOSEN_KINDS, Channel, NotificationKind
from workplace.shifts import WorkingHours


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


WEEKDAYS = [
    ("1", _("Monday")),
    ("2", _("Tuesday")),
    ("3", _("Wednesday")),
    ("4", _("Thursday")),
    ("5", _("Friday")),
    ("6", _("Saturday")),
    ("7", _("Sunday")),
]


class WorkingHoursForm(forms.Form):
    """My working days and hours; an end before the start is a shift across midnight."""

    days = forms.MultipleChoiceField(
        label=_("Working days"), choices=WEEKDAYS, widget=forms.CheckboxSelectMultiple
    )
    start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(
        label=_("Until"),
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("Earlier than the start for a night shift (22:00 until 06:00)."),
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("start") == data.get("end"):
            self.add_error("end", _("The end must differ from the start."))
        return data

    def hours(self) -> WorkingHours:
        data = self.cleaned_data
        return WorkingHours(frozenset(int(d) for d in data["days"]), data["start"], data["end"])
