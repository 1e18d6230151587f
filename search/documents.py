"""Documents without a model: for the relevance set, the benchmark and tests.

A ``PlainDocument`` takes the same shape in the index as what a
``DocumentIndex`` prepares from a model, so the query layer cannot tell them
apart. Production content always comes from the apps' indexes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from haystack import connections

from search.backend import SCHEMA_VERSION
from search.indexes import EVERYONE, STATUS_WEIGHT, document_checksum, number_words
from workplace.audiences import Principals

PLAIN_CT = "search.plaindocument"


@dataclass
class PlainDocument:
    id: str
    kind: str
    title: str
    body: str = ""
    url: str = ""
    number: str = ""
    names: str = ""
    department: str = ""
    department_name: str = ""
    category: str = ""
    status: str = ""
    date: dt.datetime | None = None
    detail: str = ""
    principals: Principals = field(default=EVERYONE)
    grants: frozenset[str] = frozenset()
    suggestible: bool = True  # offered as you type (titles, numbers, people)

    def prepare(self) -> dict:
        data = {
            "id": f"{PLAIN_CT}.{self.id}",
            "django_ct": PLAIN_CT,
            "django_id": self.id,
            "text": "\n".join(part for part in (self.title, self.body) if part),
            "title": self.title,
            "names": f"{self.names} {self.number} {number_words(self.number)}".strip(),
            "number": self.number,
            "suggest": f"{self.number} {self.title}".strip() if self.suggestible else "",
            "kind": self.kind,
            "department": self.department,
            "department_name": self.department_name,
            "category": self.category,
            "status": self.status,
            "date": self.date,
            "year": str(self.date.year) if self.date else "",
            "url": self.url or f"/zoeken/document/{self.id}/",
            "detail": self.detail,
            "weight": STATUS_WEIGHT.get(self.status, 100),
            "allow": sorted(self.principals.allow),
            "deny": sorted(self.principals.deny),
            "grant": sorted(self.grants),
            "schema_version": SCHEMA_VERSION,
        }
        data["checksum"] = document_checksum(data)
        return data


def index_documents(documents: Iterable[PlainDocument], batch_size: int = 2000) -> int:
    """Write plain documents to the index, ``batch_size`` per commit."""
    backend = connections["default"].get_backend()
    written, batch = 0, []
    for document in documents:
        batch.append(document.prepare())
        if len(batch) >= batch_size:
            written += backend.write_prepared(batch)
            batch = []
    if batch:
        written += backend.write_prepared(batch)
    return written
