"""Dutch text analysis for the Whoosh index.

Whoosh pickles a field's analyzer into the index's table of contents, so every
class used here must stay importable at this path (``search.analysis``):
moving it breaks opening existing indexes. Change the analysis and you must
rebuild the index (``manage.py rebuild_index``).

The chain is the one the Elasticsearch mapping in ``search.elasticsearch``
reproduces: split on letters and digits, lower-case, drop Dutch stop words,
fold accents (é, ë → e), stem with the current Snowball Dutch algorithm.
Whoosh's bundled Dutch stemmer is the old algorithm and leaves ``circulaires``
alone; the ``snowballstemmer`` package's ``dutch`` stemmer maps both
``circulaire`` and ``circulaires`` to ``circulair``.
"""

from __future__ import annotations

import threading
from functools import lru_cache

import snowballstemmer
from whoosh.analysis import (
    CharsetFilter,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StopFilter,
)
from whoosh.support.charset import accent_map

# Snowball's Dutch stop list, the one Whoosh and Elasticsearch's ``_dutch_`` ship.
DUTCH_STOP_WORDS = frozenset(
    """
    aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen
    door dus een eens en er ge geen geweest haar had heb hebben heeft hem het hier hij
    hoe hun iemand iets ik in is ja je kan kon kunnen maar me meer men met mij mijn moet
    na naar niet niets nog nu of om omdat onder ons ook op over reeds te tegen toch toen
    tot u uit uw van veel voor want waren was wat werd wezen wie wil worden wordt zal ze
    zelf zich zij zijn zo zonder zou
    """.split()  # noqa: SIM905 - a word list reads better as text
)

# Letters (with their accents) and digits; hyphens and slashes split words.
WORD_PATTERN = r"\w+"

_local = threading.local()


def _stemmer():
    # Snowball stemmer objects keep state between calls: one per thread.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("dutch")
    return stemmer


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The Snowball Dutch stem of one lower-cased, accent-folded word."""
    return _stemmer().stemWord(word)


class DutchStemFilter(Filter):
    """Stems tokens with the Snowball Dutch algorithm (``snowballstemmer``)."""

    is_morph = True  # Whoosh keeps the unstemmed words for spelling suggestions

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DutchStemFilter)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(self, tokens):
        for token in tokens:
            if not token.stopped:
                token.text = stem(token.text)
            yield token


def dutch_analyzer(stop_words: bool = True):
    """The analyzer of the full-text fields: words, lower case, stop words, folding, stems."""
    chain = RegexTokenizer(WORD_PATTERN) | LowercaseFilter()
    if stop_words:
        chain = chain | StopFilter(stoplist=DUTCH_STOP_WORDS, minsize=1)
    return chain | CharsetFilter(accent_map) | DutchStemFilter()


def folding_analyzer():
    """Words, lower case and folded accents, no stems: for names, numbers and suggestions."""
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | CharsetFilter(accent_map)


def words(text: str) -> list[str]:
    """The folded words of a query, in order, stop words included."""
    return [token.text for token in folding_analyzer()(text)]


def is_stop_word(word: str) -> bool:
    return word in DUTCH_STOP_WORDS


def prefix_analyzer():
    """Folded word beginnings (2 to 20 letters) for as-you-type suggestions."""
    from whoosh.analysis import NgramFilter

    return folding_analyzer() | NgramFilter(2, 20, at="start")
