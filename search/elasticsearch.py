"""The same search on Elasticsearch 7, for when one Whoosh index is no longer enough.

Chosen by configuration (``SEARCH_URL``; install the ``elasticsearch`` extra).
It mirrors ``search.backend`` and ``search.whoosh_engine``: the same fields,
Dutch analysis in the index settings, and the same permission filter as a
``bool`` filter clause, so counts, aggregations (facets) and suggestions are
computed on visible documents only. See docs/search.md for the mapping.

Elasticsearch has no single-writer constraint; the update queue still batches
writes and keeps saves fast.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.html import escape
from django.utils.safestring import mark_safe
from haystack import connections
from haystack.backends.elasticsearch7_backend import (
    Elasticsearch7SearchBackend,
    Elasticsearch7SearchEngine,
)
from haystack.constants import DJANGO_CT, DJANGO_ID
from haystack.exceptions import SkipDocument
from haystack.utils import get_identifier

from search.analysis import DUTCH_STOP_WORDS, is_stop_word, words
from search.indexes import number_key
from search.types import FACETS, Hit, RawResults, Suggestion

KEYWORD = {"type": "keyword"}
STORED_ONLY = {"type": "keyword", "index": False}

ANALYSIS = {
    "filter": {
        "werkplek_stop": {"type": "stop", "stopwords": sorted(DUTCH_STOP_WORDS)},
        # Lucene's Snowball "dutch" stemmer (see docs/search.md for how it differs).
        "werkplek_stemmer": {"type": "stemmer", "language": "dutch"},
        "werkplek_prefix": {"type": "edge_ngram", "min_gram": 2, "max_gram": 20},
        # "crisis communicatie" and "crisiscommunicatie" meet as the same token.
        "werkplek_joined": {
            "type": "shingle",
            "min_shingle_size": 2,
            "max_shingle_size": 2,
            "token_separator": "",
            "output_unigrams": True,
        },
    },
    "analyzer": {
        "werkplek_dutch": {
            "tokenizer": "standard",
            "filter": ["lowercase", "werkplek_stop", "asciifolding", "werkplek_stemmer"],
        },
        "werkplek_joined": {
            "tokenizer": "standard",
            "filter": ["lowercase", "werkplek_stop", "asciifolding", "werkplek_joined"],
        },
        "werkplek_folding": {"tokenizer": "standard", "filter": ["lowercase", "asciifolding"]},
        "werkplek_prefix": {
            "tokenizer": "standard",
            "filter": ["lowercase", "asciifolding", "werkplek_prefix"],
        },
    },
    "normalizer": {"werkplek_lower": {"type": "custom", "filter": ["lowercase", "asciifolding"]}},
}

PROPERTIES = {
    "text": {
        "type": "text",
        "analyzer": "werkplek_dutch",
        "fields": {
            "joined": {"type": "text", "analyzer": "werkplek_joined"},
            "spell": {"type": "text", "analyzer": "werkplek_folding"},
        },
    },
    "title": {"type": "text", "analyzer": "werkplek_dutch"},
    "names": {"type": "text", "analyzer": "werkplek_folding"},
    "number": {"type": "keyword", "normalizer": "werkplek_lower"},
    "suggest": {
        "type": "text",
        "analyzer": "werkplek_prefix",
        "search_analyzer": "werkplek_folding",
    },
    "kind": KEYWORD,
    "department": KEYWORD,
    "department_name": STORED_ONLY,
    "category": KEYWORD,
    "status": KEYWORD,
    "date": {"type": "date"},
    "year": KEYWORD,
    "url": STORED_ONLY,
    "detail": STORED_ONLY,
    "weight": {"type": "integer"},
    "allow": KEYWORD,
    "deny": KEYWORD,
    "grant": KEYWORD,
    "checksum": STORED_ONLY,
    "schema_version": STORED_ONLY,
}


class WerkplekElasticsearchBackend(Elasticsearch7SearchBackend):
    DEFAULT_SETTINGS = {"settings": {"index": {"max_ngram_diff": 18}, "analysis": ANALYSIS}}

    def build_schema(self, fields):
        mapping = self._get_common_mapping()
        mapping.update(PROPERTIES)
        return "text", mapping

    def _from_python(self, value):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return value.astimezone(dt.UTC).isoformat()
        return super()._from_python(value)

    def apply(self, index, objects, removed=()) -> int:
        prepared, skipped = [], list(removed)
        for obj in objects:
            try:
                prepared.append(index.full_prepare(obj))
            except SkipDocument:
                skipped.append(get_identifier(obj))
        return self.write_prepared(prepared, skipped)

    def write_prepared(self, documents: list[dict], removed=()) -> int:
        from elasticsearch.helpers import bulk

        if not self.setup_complete:
            self.setup()
        actions: list[dict[str, Any]] = [
            {"_op_type": "delete", "_index": self.index_name, "_id": identifier}
            for identifier in removed
        ]
        for doc in documents:
            doc.pop("boost", None)
            source = {k: self._from_python(v) for k, v in doc.items() if v is not None}
            actions.append({"_index": self.index_name, "_id": source["id"], "_source": source})
        bulk(self.conn, actions, raise_on_error=False)
        self.conn.indices.refresh(index=self.index_name)
        return len(actions)

    def index_state(self) -> dict:
        alive = bool(self.conn.ping())
        documents = self.conn.count(index=self.index_name)["count"] if alive else 0
        return {"ok": alive, "documents": documents, "schema": "current"}

    def stored_checksums(self, content_type: str) -> dict[str, str]:
        from elasticsearch.helpers import scan

        hits = scan(
            self.conn,
            index=self.index_name,
            query={"query": {"term": {DJANGO_CT: content_type}}},
            _source=[DJANGO_ID, "checksum"],
        )
        return {hit["_source"][DJANGO_ID]: hit["_source"].get("checksum", "") for hit in hits}


class WerkplekElasticsearchEngine(Elasticsearch7SearchEngine):
    backend = WerkplekElasticsearchBackend


# --- the query side -------------------------------------------------------------------


def _permission_filter(tokens: frozenset[str]) -> dict:
    tokens_list = sorted(tokens)
    return {
        "bool": {
            "should": [
                {
                    "bool": {
                        "filter": [{"terms": {"allow": tokens_list}}],
                        "must_not": [{"terms": {"deny": tokens_list}}],
                    }
                },
                {"terms": {"grant": tokens_list}},
            ],
            "minimum_should_match": 1,
        }
    }


def _word_clause(word: str) -> dict:
    return {
        "dis_max": {
            "queries": [
                {"match": {"title": {"query": word, "boost": 3}}},
                {"match": {"text": word}},
                {"match": {"text.joined": {"query": word, "boost": 0.8}}},
                {"match": {"names": {"query": word, "boost": 3}}},
            ],
            "tie_breaker": 0.1,
        }
    }


def _query(text: str, any_word: bool) -> dict | None:
    terms = [word for word in words(text) if not is_stop_word(word)]
    if not terms:
        return None
    clauses = [_word_clause(word) for word in terms]
    # Written apart or together: the joined sub-field holds both forms.
    clauses.append({"match": {"text.joined": {"query": " ".join(terms), "boost": 0.5}}})
    if any_word:
        return {"bool": {"should": clauses, "minimum_should_match": 1}}
    return {"bool": {"must": clauses[:-1], "should": clauses[-1:]}}


class ElasticsearchQueryEngine:
    @property
    def backend(self) -> WerkplekElasticsearchBackend:
        backend = connections["default"].get_backend()
        if not backend.setup_complete:
            backend.setup()
        return backend

    def _search(self, body: dict) -> dict:
        return self.backend.conn.search(index=self.backend.index_name, body=body)

    def _filtered(self, query: dict, tokens, filters: dict[str, str]) -> dict:
        filter_clauses = [_permission_filter(tokens)]
        filter_clauses += [{"term": {field: value}} for field, value in filters.items() if value]
        # Outdated directives keep a fraction of their score (the ``weight`` field).
        scored = {
            "function_score": {
                "query": query,
                "field_value_factor": {"field": "weight", "factor": 0.01, "missing": 100},
                "boost_mode": "multiply",
            }
        }
        return {"bool": {"must": [scored], "filter": filter_clauses}}

    def search(self, text, tokens, filters, page, per_page, any_word=False) -> RawResults:
        query = _query(text, any_word)
        if query is None or not tokens:
            return RawResults.empty()
        body = {
            "query": self._filtered(query, tokens, filters),
            "from": (page - 1) * per_page,
            "size": per_page,
            "track_total_hits": True,
            "aggs": {
                name: {"terms": {"field": field, "size": 50}} for name, field in FACETS.items()
            },
            "highlight": {
                "fields": {"text": {"fragment_size": 180, "number_of_fragments": 2}},
                "pre_tags": ["<mark>"],
                "post_tags": ["</mark>"],
                "encoder": "html",
            },
        }
        raw = self._search(body)
        hits = [self._hit(hit) for hit in raw["hits"]["hits"]]
        facets = {
            name: {b["key"]: b["doc_count"] for b in raw["aggregations"][name]["buckets"]}
            for name in FACETS
        }
        return RawResults(
            count=raw["hits"]["total"]["value"],
            hits=hits,
            facets=facets,
            any_word=any_word,
        )

    def _hit(self, hit: dict) -> Hit:
        source = hit["_source"]
        fragments = hit.get("highlight", {}).get("text")
        snippet = (
            mark_safe(" … ".join(fragments))  # escaped by the "html" encoder
            if fragments
            else escape(source.get("text", "").partition("\n")[2][:180])
        )
        date = source.get("date")
        return Hit(
            kind=source.get("kind", ""),
            id=source.get(DJANGO_ID, ""),
            title=source.get("title", ""),
            url=source.get("url", ""),
            snippet=snippet,
            department=source.get("department", ""),
            department_name=source.get("department_name", ""),
            date=dt.datetime.fromisoformat(date) if date else None,
            status=source.get("status", ""),
            detail=source.get("detail", ""),
            number=(source.get("number") or "").upper(),
        )

    def count(self, text, tokens, filters) -> int:
        query = _query(text, any_word=False)
        if query is None or not tokens:
            return 0
        return self.backend.conn.count(
            index=self.backend.index_name, body={"query": self._filtered(query, tokens, filters)}
        )["count"]

    def spelling(self, text: str) -> str | None:
        body = {
            "size": 0,
            "suggest": {
                "text": text,
                "spelling": {"term": {"field": "text.spell", "suggest_mode": "missing"}},
            },
        }
        options = self._search(body)["suggest"]["spelling"]
        corrected, changed = [], False
        for entry in options:
            if entry["options"]:
                corrected.append(entry["options"][0]["text"])
                changed = True
            else:
                corrected.append(entry["text"])
        return " ".join(corrected) if changed else None

    def suggest(self, text, tokens, limit) -> list[Suggestion]:
        if not tokens:
            return []
        body = {
            "size": limit,
            "query": {
                "bool": {
                    "must": [{"match": {"suggest": {"query": text, "operator": "and"}}}],
                    "filter": [_permission_filter(tokens)],
                }
            },
        }
        return [
            Suggestion(
                kind=hit["_source"]["kind"],
                title=hit["_source"]["title"],
                url=hit["_source"]["url"],
                detail=hit["_source"].get("detail") or hit["_source"].get("department_name", ""),
                number=(hit["_source"].get("number") or "").upper(),
            )
            for hit in self._search(body)["hits"]["hits"]
        ]

    def by_number(self, number: str, tokens) -> str | None:
        if not tokens:
            return None
        body = {
            "size": 1,
            "query": {
                "bool": {
                    "filter": [{"term": {"number": number_key(number)}}, _permission_filter(tokens)]
                }
            },
        }
        hits = self._search(body)["hits"]["hits"]
        return hits[0]["_source"]["url"] if hits else None
