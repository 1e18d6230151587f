"""Working hours: HR's shift patterns, and the next moment someone is at work.

HR's staff file gives each employee a shift pattern (``ma-vr 07:00-15:30``);
notifications use it for the right to disconnect (``notifications.quiet``).
Times are the city's (``TIME_ZONE``), so that 07:00 is seven in the morning in
Ghent in summer and in winter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

# How far ahead to look for the next working period (a week and a day covers every pattern).
HORIZON_DAYS = 8
DAY_NAMES = {"ma": 1, "di": 2, "wo": 3, "do": 4, "vr": 5, "za": 6, "zo": 7}
_TIME = r"(\d{1,2})[:.hu](\d{2})"
SHIFT_RE = re.compile(rf"^\s*(?P<days>[a-z,\-\s]+?)\s+{_TIME}\s*-\s*{_TIME}\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class WorkingHours:
    """ISO weekdays (1 = Monday) and the hours of each working period."""

    days: frozenset[int]
    start: time
    end: time

    @classmethod
    def of(cls, profile) -> WorkingHours:
        """The hours of anything with ``work_days``, ``work_start`` and ``work_end``."""
        return cls(
            frozenset(int(d) for d in profile.work_days if d.isdigit()),
            profile.work_start,
            profile.work_end,
        )

    @property
    def day_digits(self) -> str:
        return "".join(str(day) for day in sorted(self.days))

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start

    def periods_around(self, day: date) -> list[tuple[datetime, datetime]]:
        """The working periods that start from the day before ``day`` on, in order."""
        zone = timezone.get_current_timezone()
        periods = []
        for offset in range(-1, HORIZON_DAYS):
            start_day = day + timedelta(days=offset)
            if start_day.isoweekday() not in self.days:
                continue
            end_day = start_day + timedelta(days=1) if self.crosses_midnight else start_day
            start = timezone.make_aware(datetime.combine(start_day, self.start), zone)
            end = timezone.make_aware(datetime.combine(end_day, self.end), zone)
            periods.append((start, end))
        return periods

    def next_moment(self, at: datetime) -> datetime:
        """``at`` itself within working hours, otherwise the start of the next period."""
        if not self.days:
            return at  # no working days known: nothing to wait for
        local = timezone.localtime(at)
        for start, end in self.periods_around(local.date()):
            if start <= at < end:
                return at
            if start > at:
                return start
        return at

    def describe(self) -> str:
        names = {number: name for name, number in DAY_NAMES.items()}
        days = ", ".join(names[d] for d in sorted(self.days))
        return _("%(days)s from %(start)s to %(end)s") % {
            "days": days,
            "start": self.start.strftime("%H:%M"),
            "end": self.end.strftime("%H:%M"),
        }


class ShiftPatternError(ValueError):
    pass


def parse_shift_pattern(text: str) -> WorkingHours:
    """HR's shift column: ``ma-vr 07:00-15:30``, ``ma,wo,vr 22:00-06:00``, ``za-zo 6u00-14u00``."""
    match = SHIFT_RE.match(text or "")
    if not match:
        raise ShiftPatternError(_("Write days and hours, like “ma-vr 07:00-15:30”."))
    days: set[int] = set()
    for part in re.split(r"[,\s]+", match["days"].strip().lower()):
        if not part:
            continue
        first, _sep, last = part.partition("-")
        if first not in DAY_NAMES or (last and last not in DAY_NAMES):
            raise ShiftPatternError(
                _("Unknown day “%(day)s”: use ma, di, wo, do, vr, za, zo.") % {"day": part}
            )
        low, high = DAY_NAMES[first], DAY_NAMES[last or first]
        span = range(low, high + 1) if low <= high else [*range(low, 8), *range(1, high + 1)]
        days.update(span)
    try:
        start = time(int(match[2]), int(match[3]))
        end = time(int(match[4]), int(match[5]))
    except ValueError as error:
        raise ShiftPatternError(_("Hours go from 00:00 to 23:59.")) from error
    if start == end:
        raise ShiftPatternError(_("A shift needs different start and end times."))
    return WorkingHours(frozenset(days), start, end)
