"""When something happened, said as people write it, in one way everywhere.

``{{ value|moment }}`` gives a ``<time>`` reading "zojuist" (under a minute), "5 min
geleden" (under an hour), "14:05" (today), "gisteren 14:05", "1 dec." (this year) or
"1 dec. 2025", with the full date as its title; in English "just now", "5 min ago",
"yesterday 14:05", "1 Dec". ``{% moment_words %}`` hands the same words to app.js, whose
``Werkplek.moment()`` says it exactly so for times that scripts render."""

from __future__ import annotations

import datetime
import json

from django import template
from django.utils import timezone
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext, pgettext_lazy

register = template.Library()

SHORT_MONTHS = (
    pgettext_lazy("month, short", "Jan"),
    pgettext_lazy("month, short", "Feb"),
    pgettext_lazy("month, short", "Mar"),
    pgettext_lazy("month, short", "Apr"),
    pgettext_lazy("month, short", "May"),
    pgettext_lazy("month, short", "Jun"),
    pgettext_lazy("month, short", "Jul"),
    pgettext_lazy("month, short", "Aug"),
    pgettext_lazy("month, short", "Sep"),
    pgettext_lazy("month, short", "Oct"),
    pgettext_lazy("month, short", "Nov"),
    pgettext_lazy("month, short", "Dec"),
)


def words() -> dict[str, object]:
    """The words of the current language, for app.js (the same that ``describe`` uses)."""
    return {
        "now": gettext("just now"),
        "minutes": gettext("%(minutes)s min ago"),
        "yesterday": gettext("yesterday %(time)s"),
        "shortMonths": [str(month) for month in SHORT_MONTHS],
        "months": [str(MONTHS[number]) for number in range(1, 13)],
        "weekdays": [str(WEEKDAYS[number]) for number in range(7)],  # Monday first
        "timeZone": timezone.get_current_timezone_name(),
    }


def describe(value: datetime.datetime, now: datetime.datetime | None = None) -> str:
    """The short text: relative within the hour, then the clock, then the date."""
    now = now or timezone.now()
    seconds = (now - value).total_seconds()
    if -60 < seconds < 60:  # a clock a little ahead is still "just now"
        return gettext("just now")
    if 60 <= seconds < 3600:
        return gettext("%(minutes)s min ago") % {"minutes": int(seconds // 60)}
    local = timezone.localtime(value)
    today = timezone.localtime(now).date()
    clock = f"{local:%H:%M}"
    if local.date() == today:
        return clock
    if local.date() == today - datetime.timedelta(days=1):
        return gettext("yesterday %(time)s") % {"time": clock}
    day = f"{local.day} {SHORT_MONTHS[local.month - 1]}"
    return day if local.year == today.year else f"{day} {local.year}"


def full(value: datetime.datetime) -> str:
    """The full date and time, e.g. "dinsdag 1 december 2026, 14:05"."""
    local = timezone.localtime(value)
    weekday = WEEKDAYS[local.weekday()]
    return f"{weekday} {local.day} {MONTHS[local.month]} {local.year}, {local:%H:%M}"


@register.filter
def moment(value: datetime.datetime | None) -> SafeString | str:
    if not isinstance(value, datetime.datetime):
        return ""
    return format_html(
        '<time datetime="{}" title="{}" data-moment>{}</time>',
        value.isoformat(),
        full(value),
        describe(value),
    )


@register.simple_tag
def moment_words() -> str:
    """The words as JSON, for a data attribute (escaped there like any text): an inline
    <script>, even of JSON, is what the XSS probe looks for."""
    return json.dumps(words(), ensure_ascii=False)
