"""Quiet hours: the right to disconnect.

Belgian law gives employees the right to be unreachable outside their working
hours (federal civil servants since 2022, employers of 20 or more since 2023).
Push, e-mail and SMS therefore wait for the recipient's next working period;
only urgent messages (and a test someone asked for) go at once.

Whose hours: the employee's own when they set them (``HoursSource.SELF``), else
their shift pattern from HR's staff file, else office hours.
"""

from __future__ import annotations

from datetime import datetime

from notifications.models import DeliveryProfile, HoursSource
from workplace.shifts import ShiftPatternError, WorkingHours, parse_shift_pattern

__all__ = ["WorkingHours", "hours_of", "next_moment"]


def hours_of(profile: DeliveryProfile) -> WorkingHours:
    """``profile.shift_pattern`` is HR's, set by ``delivery.profiles``."""
    shift_pattern = getattr(profile, "shift_pattern", "")
    if profile.hours_source != HoursSource.SELF and shift_pattern:
        try:
            return parse_shift_pattern(shift_pattern)
        except ShiftPatternError:
            pass  # the import checks patterns; an old one that no longer parses: office hours
    return WorkingHours.of(profile)


def next_moment(profile: DeliveryProfile, at: datetime) -> datetime:
    return hours_of(profile).next_moment(at)
