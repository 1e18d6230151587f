"""The Dutch relevance set: the query layer must keep finding what colleagues mean."""

from __future__ import annotations

import pytest

from search.documents import index_documents
from tests.search.relevance import CORPUS, QUERIES, evaluate, mean_reciprocal_rank, recall_at

pytestmark = pytest.mark.django_db

MRR_FLOOR = 0.85
RECALL_AT_5_FLOOR = 0.95
HARD = {"compound", "typo", "number"}


@pytest.fixture
def scores():
    index_documents(CORPUS)
    return evaluate()


def test_the_relevance_set_is_large_enough_and_covers_every_aspect():
    assert len(QUERIES) >= 40
    aspects = {judged.aspect for judged in QUERIES}
    assert {"inflection", "compound", "typo", "number", "people", "status"} <= aspects


def test_it_ranks_the_judged_answers_high_enough(scores):
    misses = [(s.query.query, s.rank) for s in scores if s.rank != 1]
    assert mean_reciprocal_rank(scores) >= MRR_FLOOR, misses
    assert recall_at(scores, 5) >= RECALL_AT_5_FLOOR, misses
    # Compounds, typos and numbers are what people get wrong: each must find its answer.
    hard = [s.query.query for s in scores if s.query.aspect in HARD and not s.rank]
    assert hard == []


def test_a_title_typed_in_full_comes_first(scores):
    ranks = {s.query.query: s.rank for s in scores}
    assert (ranks["groendienst"], ranks["Pieter De Smet"]) == (1, 1)
