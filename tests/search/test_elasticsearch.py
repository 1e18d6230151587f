"""The Elasticsearch backend sends the same Dutch analysis and permission filter.

No server runs in the test suite: a fake connection records the requests and
answers like Elasticsearch 7 would.
"""

from __future__ import annotations

import pytest

from search.elasticsearch import (
    ANALYSIS,
    ElasticsearchQueryEngine,
    WerkplekElasticsearchBackend,
)

TOKENS = frozenset({"all", "group:7", "user:3"})


class FakeConnection:
    def __init__(self, response: dict):
        self.response = response
        self.bodies: list[dict] = []

    def search(self, index, body):
        self.bodies.append(body)
        return self.response


@pytest.fixture
def engine():
    backend = WerkplekElasticsearchBackend("default", URL="http://es.invalid:9200", INDEX_NAME="t")
    backend.setup_complete = True
    backend.conn = FakeConnection(
        {
            "hits": {
                "total": {"value": 1},
                "hits": [
                    {
                        "_source": {
                            "kind": "directive",
                            "django_id": "4",
                            "title": "Circulaire thuiswerk",
                            "url": "/kus/KUS-2026-0004/",
                            "text": "Circulaire thuiswerk\nTwee dagen per week.",
                            "number": "kus-2026-0004",
                            "date": "2026-03-01T09:00:00+00:00",
                            "status": "current",
                        },
                        "highlight": {"text": ["Twee dagen <mark>thuiswerk</mark>"]},
                    }
                ],
            },
            "aggregations": {
                name: {"buckets": [{"key": "directive", "doc_count": 1}]}
                for name in ("type", "department", "category", "year")
            },
        }
    )

    class Engine(ElasticsearchQueryEngine):
        @property
        def backend(self):
            return backend

    return Engine(), backend.conn


def test_the_index_settings_analyse_dutch_like_the_whoosh_index():
    dutch = ANALYSIS["analyzer"]["werkplek_dutch"]["filter"]
    assert dutch == ["lowercase", "werkplek_stop", "asciifolding", "werkplek_stemmer"]
    assert ANALYSIS["filter"]["werkplek_stemmer"]["language"] == "dutch"
    assert "het" in ANALYSIS["filter"]["werkplek_stop"]["stopwords"]
    _name, mapping = WerkplekElasticsearchBackend(
        "default", URL="http://es.invalid:9200", INDEX_NAME="t"
    ).build_schema({})
    assert mapping["text"]["analyzer"] == "werkplek_dutch"
    assert mapping["allow"] == {"type": "keyword"}


def test_every_search_carries_the_permission_filter_and_counts_inside_it(engine):
    query_engine, conn = engine
    results = query_engine.search("thuiswerken", TOKENS, {"kind": "directive"}, 1, 20)
    body = conn.bodies[0]
    permission, kind = body["query"]["bool"]["filter"]
    audience, grant = permission["bool"]["should"]
    assert audience["bool"]["filter"] == [{"terms": {"allow": sorted(TOKENS)}}]
    assert audience["bool"]["must_not"] == [{"terms": {"deny": sorted(TOKENS)}}]
    assert grant == {"terms": {"grant": sorted(TOKENS)}}
    assert kind == {"term": {"kind": "directive"}}
    assert body["track_total_hits"] is True
    assert set(body["aggs"]) == {"type", "department", "category", "year"}
    assert results.count == 1
    hit = results.hits[0]
    assert (hit.number, hit.status, str(hit.snippet)) == (
        "KUS-2026-0004",
        "current",
        "Twee dagen <mark>thuiswerk</mark>",
    )


def test_suggestions_and_numbers_are_filtered_too(engine):
    query_engine, conn = engine
    query_engine.suggest("thuisw", TOKENS, 8)
    assert query_engine.by_number("KUS-2026-0004", TOKENS) == "/kus/KUS-2026-0004/"
    suggest_body, number_body = conn.bodies
    assert suggest_body["query"]["bool"]["filter"][0]["bool"]["minimum_should_match"] == 1
    assert number_body["query"]["bool"]["filter"][0] == {"term": {"number": "kus-2026-0004"}}


def test_a_user_without_principals_gets_nothing_and_sends_nothing(engine):
    query_engine, conn = engine
    assert query_engine.search("thuiswerk", frozenset(), {}, 1, 20).count == 0
    assert query_engine.suggest("thuis", frozenset(), 8) == []
    assert conn.bodies == []
    # The control: the same calls with principals ask the engine and get its hit.
    assert query_engine.search("thuiswerk", TOKENS, {}, 1, 20).count == 1
    assert query_engine.suggest("thuis", TOKENS, 8) != []
    assert len(conn.bodies) == 2
