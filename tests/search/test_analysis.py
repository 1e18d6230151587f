"""The Dutch analyzer: stems, folded accents, stop words, and a stable pickle."""

from __future__ import annotations

import pickle

import pytest

from search.analysis import dutch_analyzer, prefix_analyzer, words


def analyse(text: str) -> list[str]:
    return [token.text for token in dutch_analyzer()(text)]


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("circulaire", "circulaires"),
        ("medewerker", "medewerkers"),
        ("werkplek", "werkplekken"),
        ("richtlijn", "richtlijnen"),
        ("ploegbaas", "ploegbazen"),
        ("fietsvergoeding", "fietsvergoedingen"),
    ],
)
def test_it_gives_singular_and_plural_the_same_stem(one, other):
    assert analyse(one) == analyse(other)


def test_it_folds_accents_so_coordinatie_matches_coordinatie_with_a_diaeresis():
    assert analyse("Coördinatie") == analyse("coordinatie")
    assert analyse("privégebruik") == analyse("privegebruik")


def test_it_drops_dutch_stop_words():
    assert analyse("de regels voor het thuiswerk") == analyse("regels thuiswerk")


def test_it_survives_a_pickle_round_trip_because_whoosh_stores_the_analyzer_in_the_index():
    analyzer = pickle.loads(pickle.dumps(dutch_analyzer()))
    assert analyzer == dutch_analyzer()
    assert [t.text for t in analyzer("circulaires")] == analyse("circulaire")


def test_suggestions_match_the_beginning_of_each_word_without_accents():
    grams = {token.text for token in prefix_analyzer()("Coördinator")}
    assert {"co", "coo", "coordinator"} <= grams


def test_query_words_keep_their_form_but_lose_case_and_accents():
    assert words("KUS-2026-0042 Één") == ["kus", "2026", "0042", "een"]
