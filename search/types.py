"""What the query layer answers, whatever the engine."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# Facet name (in the API and the page) → index field.
FACETS = {"type": "kind", "department": "department", "category": "category", "year": "year"}


@dataclass
class Hit:
    kind: str
    id: str
    title: str
    url: str
    snippet: str  # safe HTML: escaped text with <mark> around the matched words
    department: str = ""
    department_name: str = ""
    date: dt.datetime | None = None
    status: str = ""
    detail: str = ""
    number: str = ""


@dataclass
class Suggestion:
    kind: str
    title: str
    url: str
    detail: str = ""
    number: str = ""


@dataclass
class RawResults:
    count: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    any_word: bool = False  # no document had every word; these have some

    @classmethod
    def empty(cls) -> RawResults:
        return cls(count=0, hits=[], facets={})
