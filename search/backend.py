"""Haystack's Whoosh backend with Werkplek's Dutch schema and one writer at a time.

Every index declares the same fields (see ``search.indexes.DocumentIndex``),
so the schema is fixed here rather than guessed from haystack's field classes:
the full-text fields use the Dutch analyzer, the facet fields are sortable
columns, and the permission tokens are keywords the query filters on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ImproperlyConfigured
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SkipDocument
from haystack.utils import get_identifier, get_model_ct
from whoosh import fields as wf
from whoosh.query import Or, Term

from search.analysis import dutch_analyzer, folding_analyzer, prefix_analyzer
from search.locks import writer_lock

# Changing what goes into a document: bump it, and `search_check --fix` rewrites every
# document written with another version (it is part of each document's checksum).
SCHEMA_VERSION = "1"


def werkplek_schema() -> wf.Schema:
    return wf.Schema(
        **{
            ID: wf.ID(stored=True, unique=True),
            DJANGO_CT: wf.ID(stored=True),
            DJANGO_ID: wf.ID(stored=True),
            # Full text: the title repeated in the body, so one field holds every word.
            "text": wf.TEXT(analyzer=dutch_analyzer(), stored=True, spelling=True),
            "title": wf.TEXT(analyzer=dutch_analyzer(), stored=True),
            # Names and numbers: exact words, no stems ("Peeters" is no "Peeter").
            "names": wf.TEXT(analyzer=folding_analyzer(), phrase=False),
            "number": wf.KEYWORD(stored=True, lowercase=True),
            "suggest": wf.TEXT(analyzer=prefix_analyzer(), phrase=False),
            "kind": wf.ID(stored=True, sortable=True),
            "department": wf.ID(stored=True, sortable=True),
            "department_name": wf.STORED(),
            "category": wf.ID(stored=True, sortable=True),
            "status": wf.ID(stored=True),
            "date": wf.DATETIME(stored=True, sortable=True),
            "year": wf.ID(stored=True, sortable=True),
            "url": wf.STORED(),
            "detail": wf.STORED(),
            # Percent of the relevance score a document keeps (outdated ones sink).
            "weight": wf.NUMERIC(numtype=int, stored=True, sortable=True, default=100),
            "allow": wf.KEYWORD(commas=True),
            "deny": wf.KEYWORD(commas=True),
            # Who sees it whatever the audience says: editors, guardian grants.
            "grant": wf.KEYWORD(commas=True),
            "checksum": wf.STORED(),
            "schema_version": wf.STORED(),
        }
    )


class WerkplekWhooshBackend(WhooshSearchBackend):
    def build_schema(self, fields):
        schema = werkplek_schema()
        unknown = sorted(
            field.index_fieldname
            for field in fields.values()
            if field.index_fieldname not in schema.names()
        )
        if unknown:
            raise ImproperlyConfigured(
                f"Search indexes declare fields the Werkplek schema lacks: {', '.join(unknown)}. "
                "Subclass search.indexes.DocumentIndex and fill its fields instead."
            )
        return "text", schema

    def _from_python(self, value):
        # Whoosh's DATETIME wants naive UTC.
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return value.astimezone(dt.UTC).replace(tzinfo=None)
        return super()._from_python(value)

    def apply(self, index, objects: Iterable, removed: Iterable[str] = ()) -> int:
        """Write ``objects`` and delete the ids in ``removed`` in one commit."""
        prepared, skipped = [], list(removed)
        for obj in objects:
            try:
                prepared.append(index.full_prepare(obj))
            except SkipDocument:
                skipped.append(get_identifier(obj))
        return self.write_prepared(prepared, skipped)

    def write_prepared(self, documents: list[dict], removed: Iterable[str] = ()) -> int:
        """Write prepared documents and delete the ids in ``removed``, in one commit."""
        if not self.setup_complete:
            self.setup()
        written = 0
        with writer_lock():
            self.index = self.index.refresh()
            writer = self.index.writer(timeout=30)
            try:
                for identifier in removed:
                    writer.delete_by_term(ID, identifier)
                    written += 1
                for doc in documents:
                    doc.pop("boost", None)
                    writer.update_document(
                        **{k: self._from_python(v) for k, v in doc.items() if v is not None}
                    )
                    written += 1
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
        return written

    def update(self, index, iterable, commit=True):
        self.apply(index, list(iterable))

    def remove(self, obj_or_string, commit=True):
        if not self.setup_complete:
            self.setup()
        with writer_lock():
            self.index = self.index.refresh()
            writer = self.index.writer(timeout=30)
            writer.delete_by_term(ID, get_identifier(obj_or_string))
            writer.commit()

    def clear(self, models=None, commit=True):
        if not self.setup_complete:
            self.setup()
        with writer_lock():
            if models is None:
                self.delete_index()
                return
            self.index = self.index.refresh()
            writer = self.index.writer(timeout=30)
            writer.delete_by_query(Or([Term(DJANGO_CT, get_model_ct(model)) for model in models]))
            writer.commit()

    def index_state(self) -> dict:
        if not self.setup_complete:
            self.setup()
        index = self.index.refresh()
        stored = index.storage.open_index(index.indexname).schema
        current = set(stored.names()) == set(werkplek_schema().names())
        documents = index.doc_count()
        return {
            "ok": current,
            "documents": documents,
            "schema": "current" if current else "outdated",
        }

    def stored_checksums(self, content_type: str) -> dict[str, str]:
        """``django_id`` → checksum of every document of one model in the index."""
        if not self.setup_complete:
            self.setup()
        with self.index.refresh().searcher() as searcher:
            return {
                fields[DJANGO_ID]: fields.get("checksum", "")
                for fields in searcher.documents(**{DJANGO_CT: content_type})
            }


class WerkplekWhooshEngine(WhooshEngine):
    backend = WerkplekWhooshBackend
