"""Directive numbers (``KUS-YYYY-NNNN``): allocated once, never reused, imported ones
reserved so that the counter moves past them."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest

from kus.models import NumberSequence

NUMBER_RE = re.compile(r"^KUS-(\d{4})-(\d{4,})$")


def _ensure_year(year: int) -> None:
    """The year's counter row exists (created here, or by a concurrent transaction)."""
    try:
        with transaction.atomic():
            NumberSequence.objects.get_or_create(year=year)
    except IntegrityError:  # another transaction created the year's row first
        pass


def allocate_number(year: int) -> str:
    """The next ``KUS-YYYY-NNNN``: an UPDATE on the year's row serialises concurrent callers
    (a row lock on PostgreSQL, the write lock on SQLite), and the counter never goes back."""
    with transaction.atomic():
        _ensure_year(year)
        NumberSequence.objects.filter(year=year).update(last=F("last") + 1)
        last = NumberSequence.objects.values_list("last", flat=True).get(year=year)
    return f"KUS-{year}-{last:04d}"


def reserve_number(number: str) -> None:
    """An imported number is taken: the year's counter moves past it, so it is never reused.

    ``number`` must match ``NUMBER_RE`` (the importer checks it first)."""
    match = NUMBER_RE.match(number)
    if not match:
        raise ValueError(f"Not a KUS number: {number!r}")
    year, value = int(match[1]), int(match[2])
    _ensure_year(year)
    NumberSequence.objects.filter(year=year).update(last=Greatest(F("last"), value))
