"""The query side on Whoosh: Dutch queries, permission filter, facets, snippets, spelling.

Queries are built from words, not parsed: what people type in a search box is
not query syntax. Each word matches its stem in the title and the text, or the
word itself in names; a compound is also found written apart and the other way
round (see ``_compound_alternatives``).

Permissions are applied in the engine, on document numbers, before anything is
counted, faceted, scored or suggested: the matches of the query are intersected
with the documents of the user's tokens, ``(allow and not deny) or grant``,
each token's documents read from its posting list once per index generation
(``_VisibleSets``). Hits are then scored with that set as Whoosh's ``filter``,
so hits, the count, facets and suggestions all come from the same visible set.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections import Counter
from collections.abc import Iterable
from heapq import nlargest
from operator import itemgetter

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from haystack import connections
from whoosh import highlight
from whoosh.query import (
    And,
    AndNot,
    ConstantScoreQuery,
    DisjunctionMax,
    NullQuery,
    Or,
    Query,
    Term,
)
from whoosh.scoring import BM25F
from whoosh.searching import Searcher

from search.analysis import is_stop_word, stem, words
from search.indexes import number_key
from search.types import FACETS, Hit, RawResults, Suggestion

TITLE_BOOST = 3.0
NAME_BOOST = 3.0
SPLIT_BOOST = 0.7
MIN_PART = 3
SNIPPET_CHARS = 180
HIGHLIGHT_CHARS = 4000

_local = threading.local()


class WeightedBM25F(BM25F):
    """BM25F times the document's own weight: outdated directives sink, but stay."""

    use_final = True

    def final(self, searcher, docnum, score):
        # A plain list, read once per segment: this runs for every match.
        return score * _visible_sets(searcher).columns("weight")[docnum] / 100


def _searcher():
    """A searcher for this thread, refreshed when the index has changed."""
    backend = connections["default"].get_backend()
    if not backend.setup_complete:
        backend.setup()
    cached = getattr(_local, "searcher", None)
    if cached is not None and cached._ix is backend.index and cached.up_to_date():
        return cached
    if cached is not None:
        cached.close()
    _local.searcher = backend.index.searcher(weighting=WeightedBM25F())
    return _local.searcher


def reset() -> None:
    """Forget this thread's searcher (tests switch index directories)."""
    cached = getattr(_local, "searcher", None)
    if cached is not None:
        cached.close()
    _local.searcher = None


def _permitted(query: Query, tokens: Iterable[str]) -> Query:
    """``query`` limited to documents one of ``tokens`` may see, as one more clause.

    Visible = (an allow token and no deny token) or a grant token, with a zero
    score. Used for single-document look-ups; lists use ``_VisibleSets``.
    """
    tokens = sorted(tokens)
    if not tokens:
        return NullQuery
    by_audience = AndNot(
        Or([Term("allow", token) for token in tokens]),
        Or([Term("deny", token) for token in tokens]),
    )
    visible = Or([by_audience, Or([Term("grant", token) for token in tokens])])
    return And([query, ConstantScoreQuery(visible, 0.0)])


def _df(reader, field: str, text: str) -> int:
    try:
        return reader.doc_frequency(field, text)
    except (KeyError, ValueError):
        return 0


def _known(reader, word: str) -> bool:
    return _df(reader, "text", stem(word)) > 0 or _df(reader, "names", word) > 0


def _word_query(word: str, boost: float = 1.0) -> Query:
    stemmed = stem(word)
    return DisjunctionMax(
        [
            Term("title", stemmed, boost=TITLE_BOOST),
            Term("text", stemmed),
            Term("names", word, boost=NAME_BOOST),
        ],
        tiebreak=0.1,
        boost=boost,
    )


def _split(reader, word: str) -> tuple[str, str] | None:
    """The best split of a compound into two words the index knows, or None.

    ``crisiscommunicatie`` → (``crisis``, ``communicatie``); a linking ``s``
    (``veiligheidsschoenen`` → ``veiligheid`` + ``schoenen``) is dropped.
    """
    best = None
    for i in range(MIN_PART, len(word) - MIN_PART + 1):
        left, right = word[:i], word[i:]
        candidates = [(left, right)]
        if left.endswith("s") and len(left) > MIN_PART:
            candidates.append((left[:-1], right))
        for a, b in candidates:
            if is_stop_word(a) or is_stop_word(b):
                continue
            if _known(reader, a) and _known(reader, b):
                balance = min(len(a), len(b))
                if best is None or balance > best[0]:
                    best = (balance, a, b)
    return (best[1], best[2]) if best else None


# The benchmark switches compound handling off to measure what it brings.
COMPOUNDS = True


def _compound_alternatives(reader, terms: list[str]) -> list[Query]:
    """One clause per word; written-apart compounds and compounds become alternatives."""
    if not COMPOUNDS:
        return [_word_query(word) for word in terms]
    clauses: list[Query] = []
    i = 0
    while i < len(terms):
        word = terms[i]
        if i + 1 < len(terms):
            following = terms[i + 1]
            for joined in (word + following, word + "s" + following):
                if _known(reader, joined):
                    together = And([_word_query(word), _word_query(following)])
                    clauses.append(Or([together, _word_query(joined)]))
                    i += 2
                    break
            else:
                joined = None
            if joined is not None:
                continue
        clause: Query = _word_query(word)
        if len(word) >= 2 * MIN_PART + 1:
            parts = _split(reader, word)
            if parts:
                apart = And([_word_query(part, SPLIT_BOOST) for part in parts])
                clause = Or([clause, apart])
        clauses.append(clause)
        i += 1
    return clauses


def _query_terms(text: str) -> list[str]:
    return [word for word in words(text) if not is_stop_word(word)]


def _filters(filters: dict[str, str]) -> list[Query]:
    return [
        ConstantScoreQuery(Term(field, value), 0.0) for field, value in filters.items() if value
    ]


def _aware(value) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=dt.UTC) if timezone.is_naive(value) else value
    return None


SNIPPET_WINDOW = 1500


def _near_first_match(body: str, words: frozenset[str]) -> str:
    """The part of ``body`` from just before the first word that may match.

    Analysing text is what snippets cost. A Dutch stem is nearly always the start of
    its word (``werkplekken`` → ``werkplek``), so a word starting with a stem marks
    where the marks begin; analysing 1,500 characters from there instead of 4,000 from
    the top costs a fraction, and gives the first two best fragments near the first
    match rather than anywhere in the text. When no word starts with a
    stem (accents, a stem that is no prefix), the whole body is analysed.
    """
    if len(body) <= SNIPPET_WINDOW:
        return body
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(word) for word in sorted(words)) + ")", re.IGNORECASE
    )
    found = pattern.search(body)
    if found is None:
        return body
    start = body.rfind(" ", 0, max(0, found.start() - 60)) + 1
    return body[start : start + SNIPPET_WINDOW]


class _Snippets:
    """Highlighted snippets from the query's own words, not per-hit matched terms.

    Asking Whoosh for each hit's matched terms (``terms=True``) makes it record them
    for every match it scores; the query's terms in the ``text`` field mark the same
    words, because a term of the query that occurs in a hit's text is one it matched.
    """

    def __init__(self) -> None:
        self.fragmenter = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=50)
        self.formatter = highlight.HtmlFormatter(tagname="mark", between=" … ")
        self.scorer = highlight.BasicFragmentScorer()

    def _marked(self, analyzer, words: frozenset[str], body: str) -> str:
        window = _near_first_match(body, words)
        marked = self._mark(analyzer, words, window)
        if not marked and window is not body:
            # The word that opened the window was no match after all: look everywhere.
            marked = self._mark(analyzer, words, body)
        return marked

    def _mark(self, analyzer, words: frozenset[str], text: str) -> str:
        tokens = analyzer(text, positions=True, chars=True, mode="index", removestops=False)
        tokens = highlight.Highlighter._merge_matched_tokens(
            highlight.set_matched_filter(tokens, words)
        )
        fragments = self.fragmenter.fragment_tokens(text, tokens)
        best = highlight.top_fragments(fragments, 2, self.scorer, highlight.FIRST, minscore=1)
        return self.formatter.format(best)

    def __call__(self, analyzer, words: frozenset[str], text: str) -> str:
        # The title is the text's first line and is shown anyway: snippets come from the rest.
        # Highlighting analyses the text again: the first few thousand characters will do.
        body = " ".join(text.partition("\n")[2][:HIGHLIGHT_CHARS].split())
        marked = self._marked(analyzer, words, body) if words else ""
        if marked:
            return mark_safe(marked)  # Whoosh's HtmlFormatter escapes the text around the marks
        if len(body) > SNIPPET_CHARS:
            body = body[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"
        return escape(body)


_snippets = _Snippets()


def _hit(result, snippet: str) -> Hit:
    return Hit(
        kind=result.get("kind", ""),
        id=result.get("django_id", ""),
        title=result.get("title", ""),
        url=result.get("url", ""),
        snippet=snippet,
        department=result.get("department", ""),
        department_name=result.get("department_name", ""),
        date=_aware(result.get("date")),
        status=result.get("status", ""),
        detail=result.get("detail", ""),
        number=(result.get("number") or "").upper(),
    )


def _facets(searcher, docnums: set[int]) -> dict[str, dict[str, int]]:
    columns = _visible_sets(searcher).columns
    # itemgetter and Counter count in C: this runs over every visible match.
    pick = (
        itemgetter(*docnums)
        if len(docnums) > 1
        else lambda values: tuple(values[d] for d in docnums)
    )
    facets: dict[str, dict[str, int]] = {}
    for name, field in FACETS.items():
        counts = Counter(pick(columns(field)))
        facets[name] = {value: n for value, n in counts.items() if value}
    return facets


# What was read from a segment, by segment id. Whoosh never changes a written
# segment except to mark documents deleted, and a deleted document never matches a
# query, so a deleted number left in these sets is harmless: a new index generation
# only has to read its new segments.
_segments: dict[str, dict] = {}
MAX_SEGMENTS = 128


def _segment_cache(leaf) -> dict:
    segment = leaf.reader().segment()
    if segment is None:  # an empty index: nothing worth keeping
        return {}
    segment_id = segment.segment_id()
    cache = _segments.get(segment_id)
    if cache is None:
        if len(_segments) >= MAX_SEGMENTS:
            _segments.clear()
        cache = _segments[segment_id] = {}
    return cache


def _segment_docs(leaf, field: str, token: str) -> frozenset[int]:
    cache = _segment_cache(leaf)
    key = ("docs", field, token)
    docs = cache.get(key)
    if docs is None:
        docs = cache[key] = frozenset(leaf.docs_for_query(Term(field, token)))
    return docs


# Query words' documents per segment are kept too, up to this many document numbers
# in all (a few tens of MB): popular words stay, a burst of rare ones clears them.
MAX_TERM_POSTINGS = 2_000_000
_term_postings = 0


def _segment_term_docs(leaf, field: str, text: str) -> frozenset[int]:
    global _term_postings
    terms = _segment_cache(leaf).setdefault("terms", {})
    key = (field, text)
    docs = terms.get(key)
    if docs is None:
        docs = frozenset(leaf.docs_for_query(Term(field, text)))
        if _term_postings + len(docs) > MAX_TERM_POSTINGS:
            for cache in _segments.values():
                cache.pop("terms", None)
            _term_postings = 0
            terms = _segment_cache(leaf).setdefault("terms", {})
        terms[key] = docs
        _term_postings += len(docs)
    return docs


def _segment_weights(leaf) -> dict[int, frozenset[int]]:
    cache = _segment_cache(leaf)
    classes = cache.get("weights")
    if classes is None:
        by_weight: dict[int, set[int]] = {}
        for docnum, weight in enumerate(_segment_column(leaf, "weight")):
            by_weight.setdefault(weight, set()).add(docnum)
        classes = cache["weights"] = {w: frozenset(d) for w, d in by_weight.items()}
    return classes


def _segment_column(leaf, field: str) -> list:
    cache = _segment_cache(leaf)
    key = ("column", field)
    values = cache.get(key)
    if values is None:
        raw = leaf.reader().column_reader(field)
        # Raw column values are bytes or text depending on the segment's codec.
        values = cache[key] = [v.decode() if isinstance(v, bytes) else v for v in raw]
    return values


class _VisibleSets:
    """The documents of each permission token, and the facet columns, for one searcher.

    ``all`` names most documents: intersecting sets of document numbers is much
    cheaper than a union matcher per query. Each segment is read once
    (``_segments``); the sets of this searcher's generation are put together
    from its segments, shifted by their offsets.
    """

    MAX_TOKENS = 2048

    def __init__(self, searcher) -> None:
        self.searcher = searcher
        self.leaves = list(searcher.leaf_searchers())
        self.cache: dict[tuple[str, str], frozenset[int]] = {}
        self._columns: dict[str, list] = {}
        self._allowed: dict[frozenset[str], set[int]] = {}
        self._terms: dict[tuple[str, str, str], frozenset[int]] = {}
        self._weights: dict[int, frozenset[int]] | None = None
        self._plain: Searcher | None = None
        self._deleted: frozenset[int] | None = None

    def columns(self, field: str) -> list:
        """A column's value for every document of this generation, as a list."""
        values = self._columns.get(field)
        if values is None:
            if len(self.leaves) == 1:
                values = _segment_column(self.leaves[0][0], field)
            else:
                values = []
                for leaf, _offset in self.leaves:
                    values.extend(_segment_column(leaf, field))
            self._columns[field] = values
        return values

    def allowed(self, tokens: frozenset[str]) -> set[int]:
        """Every document the tokens may see (for suggestions; kept for a few users).

        A set, not a frozenset, because Whoosh's ``filter`` wants one: do not change it.
        """
        docs = self._allowed.get(tokens)
        if docs is None:
            if len(self._allowed) >= 64:
                self._allowed.clear()
            everything = set().union(*(self.docs("allow", t) for t in tokens))
            everything -= set().union(*(self.docs("deny", t) for t in tokens))
            everything |= set().union(*(self.docs("grant", t) for t in tokens))
            docs = self._allowed[tokens] = everything
        return docs

    def docs(self, field: str, token: str) -> frozenset[int]:
        key = (field, token)
        docs = self.cache.get(key)
        if docs is None:
            if len(self.cache) >= self.MAX_TOKENS:
                self.cache.clear()
            parts = [
                local if offset == 0 else frozenset(offset + d for d in local)
                for leaf, offset in self.leaves
                for local in (_segment_docs(leaf, field, token),)
            ]
            docs = parts[0] if len(parts) == 1 else frozenset().union(*parts)
            self.cache[key] = docs
        return docs

    def _combined(self, parts: list[frozenset[int]]) -> frozenset[int]:
        shifted = [
            local if offset == 0 else frozenset(offset + d for d in local)
            for (_leaf, offset), local in zip(self.leaves, parts, strict=True)
        ]
        return shifted[0] if len(shifted) == 1 else frozenset().union(*shifted)

    def term_docs(self, field: str, text: str) -> frozenset[int]:
        """The documents of one query word in one field (kept per segment, bounded)."""
        key = ("term", field, text)
        docs = self._terms.get(key)
        if docs is None:
            if len(self._terms) >= self.MAX_TOKENS:
                self._terms.clear()
            docs = self._terms[key] = self._combined(
                [_segment_term_docs(leaf, field, text) for leaf, _offset in self.leaves]
            )
        return docs

    def weight_classes(self) -> dict[int, frozenset[int]]:
        """Documents by their weight (100, or less for outdated ones)."""
        if self._weights is None:
            per_leaf = [_segment_weights(leaf) for leaf, _offset in self.leaves]
            weights = {w for classes in per_leaf for w in classes}
            self._weights = {
                w: self._combined([classes.get(w, frozenset()) for classes in per_leaf])
                for w in weights
            }
        return self._weights

    def matches(self, query: Query) -> set[int]:
        """The documents ``query`` matches, unscored, by set operations on its words.

        A word's documents are kept per segment, and Whoosh marks documents deleted
        in a segment it keeps: this generation's deleted documents are taken out.
        """
        matched = set(self._matches(query))
        if self._deleted is None:
            self._deleted = self._combined(
                [
                    getattr(leaf.reader(), "deleted_docs_set", frozenset())
                    for leaf, _offset in self.leaves
                ]
            )
        return matched - self._deleted if self._deleted else matched

    def _matches(self, query: Query) -> frozenset[int] | set[int]:
        if isinstance(query, Term):
            return self.term_docs(query.fieldname, query.text)
        if isinstance(query, ConstantScoreQuery):
            return self._matches(query.child)
        if isinstance(query, And):
            parts = sorted((self._matches(q) for q in query.subqueries), key=len)
            if not parts:
                return frozenset()
            result = set(parts[0])
            for part in parts[1:]:
                if not result:
                    break
                result &= part
            return result
        if isinstance(query, (Or, DisjunctionMax)) and not getattr(query, "minmatch", 0):
            return set().union(*(self._matches(q) for q in query.subqueries))
        if query is NullQuery:
            return frozenset()
        return set(self.searcher.docs_for_query(query))

    def plain_searcher(self) -> Searcher:
        """A searcher on the same reader with plain BM25F, which may skip blocks."""
        if self._plain is None:
            self._plain = Searcher(self.searcher.reader(), weighting=BM25F(), closereader=False)
        return self._plain

    def visible(self, matched: set[int], tokens: Iterable[str]) -> set[int]:
        """(allow and not deny) or grant, as in ``_permitted``."""
        tokens = list(tokens)
        allowed: set[int] = set()
        for token in tokens:
            allowed |= matched & self.docs("allow", token)
        for token in tokens:
            if not allowed:
                break
            allowed -= self.docs("deny", token)
        for token in tokens:
            allowed |= matched & self.docs("grant", token)
        return allowed


def _visible_sets(searcher) -> _VisibleSets:
    sets = getattr(searcher, "_werkplek_visible", None)
    if sets is None:
        sets = searcher._werkplek_visible = _VisibleSets(searcher)
    return sets


class WhooshQueryEngine:
    def search(
        self,
        text: str,
        tokens: frozenset[str],
        filters: dict[str, str],
        page: int,
        per_page: int,
        any_word: bool = False,
    ) -> RawResults:
        """One page of hits with every word (or, with ``any_word``, any of them)."""
        searcher = _searcher()
        terms = _query_terms(text)
        if not terms:
            return RawResults.empty()
        clauses = _compound_alternatives(searcher.reader(), terms)
        query = Or(clauses) if any_word else And(clauses)
        results = self._run(searcher, query, tokens, filters, page, per_page)
        results.any_word = any_word and len(clauses) > 1
        return results

    def _run(self, searcher, query, tokens, filters, page, per_page) -> RawResults:
        if not tokens:
            return RawResults.empty()
        query = And([query, *_filters(filters)])
        sets = _visible_sets(searcher)
        # Every match, unscored, by set operations on the documents of the query's
        # words; then the visible ones, on the documents of each of the user's tokens
        # (both read from the postings once per segment).
        visible = sets.visible(sets.matches(query), tokens)
        if not visible:
            return RawResults(count=0, hits=[], facets={name: {} for name in FACETS})
        hits = self._top(searcher, query, visible, page, per_page)
        return RawResults(count=len(visible), hits=hits, facets=_facets(searcher, visible))

    def _top(self, searcher, query, visible: set[int], page: int, per_page: int) -> list[Hit]:
        """The page of ``visible`` hits, by BM25F times the document's weight.

        Whoosh cannot skip blocks of postings when a final weight applies, and then
        scores every match in Python. The weights are few (100, 35, 25): the best
        ``page * per_page`` of each weight, found with plain BM25F and block skipping,
        hold the best of all.
        """
        plain = _visible_sets(searcher).plain_searcher()
        limit = page * per_page
        candidates = []
        for weight, docs in _visible_sets(searcher).weight_classes().items():
            allowed = visible & docs
            if not allowed:
                continue
            found = plain.search(query, filter=allowed, limit=limit)
            # Best first; equal scores in index order, as Whoosh's own collector ranks them.
            candidates += [(hit.score * weight / 100, -hit.docnum) for hit in found]
        top = nlargest(limit, candidates)[(page - 1) * per_page :]
        analyzer = searcher.schema["text"].analyzer
        words = frozenset(text for field, text in query.iter_all_terms() if field == "text")
        hits = []
        for _score, negative_docnum in top:
            stored = searcher.stored_fields(-negative_docnum)
            hits.append(_hit(stored, _snippets(analyzer, words, stored.get("text", ""))))
        return hits

    def count(self, text: str, tokens: frozenset[str], filters: dict[str, str]) -> int:
        searcher = _searcher()
        terms = _query_terms(text)
        if not terms:
            return 0
        clauses = _compound_alternatives(searcher.reader(), terms)
        sets = _visible_sets(searcher)
        return len(sets.visible(sets.matches(And([*clauses, *_filters(filters)])), tokens))

    def spelling(self, text: str) -> str | None:
        """The query with unknown words replaced by the closest known ones, or None."""
        searcher = _searcher()
        reader = searcher.reader()
        corrector = searcher.corrector("text")
        corrected, changed = [], False
        for word in words(text):
            if is_stop_word(word) or word.isdigit() or _known(reader, word):
                corrected.append(word)
                continue
            options = corrector.suggest(word, limit=1, maxdist=2, prefix=1)
            if options and options[0] != word:
                corrected.append(options[0])
                changed = True
            else:
                corrected.append(word)
        return " ".join(corrected) if changed else None

    def suggest(self, text: str, tokens: frozenset[str], limit: int) -> list[Suggestion]:
        prefixes = [word[:20] for word in words(text) if len(word) >= 2]
        if not prefixes or not tokens:
            return []
        # Plain BM25F: without the final weight, Whoosh may skip blocks that cannot
        # make the top ``limit``.
        main = _searcher()
        searcher = Searcher(main.reader(), weighting=BM25F(), closereader=False)
        allowed = _visible_sets(main).allowed(tokens)
        query = And([Term("suggest", prefix) for prefix in prefixes])
        return [
            Suggestion(
                kind=hit["kind"],
                title=hit["title"],
                url=hit["url"],
                detail=hit.get("detail", "") or hit.get("department_name", ""),
                number=(hit.get("number") or "").upper(),
            )
            for hit in searcher.search(query, filter=allowed, limit=limit)
        ]

    def by_number(self, number: str, tokens: frozenset[str]) -> str | None:
        searcher = _searcher()
        query = _permitted(Term("number", number_key(number)), tokens)
        found = searcher.search(query, limit=1)
        return found[0]["url"] if len(found) else None
