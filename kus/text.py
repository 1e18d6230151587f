"""Text tools for directives: safe Markdown, word diffs, readability and near-duplicates."""

from __future__ import annotations

import difflib
import re
import zlib
from dataclasses import dataclass
from functools import lru_cache

import markdown
import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# --- Markdown, rendered and sanitised -----------------------------------------------------

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "ins", "li", "ol", "p", "pre", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"align"},
    "th": {"align", "scope"},
    "abbr": {"title"},
}


def render_markdown(text: str) -> SafeString:
    """Markdown to HTML that cannot run script: nh3 keeps only the tags and URLs above.

    Headings start at h2 (the page's title is the h1); links get ``rel=noopener``.
    """
    html = markdown.markdown(
        text, extensions=["tables", "sane_lists", "fenced_code"], output_format="html"
    )
    html = re.sub(r"<(/?)h1\b", r"<\1h2", html)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)


# --- word diff ------------------------------------------------------------------------------

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class DiffStats:
    added: int
    removed: int


def word_diff(old: str, new: str) -> tuple[SafeString, DiffStats]:
    """A readable word-level diff: removed words in ``<del>``, added in ``<ins>``."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    out: list[str] = []
    added = removed = 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            removed += sum(1 for t in a[i1:i2] if not t.isspace())
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            added += sum(1 for t in b[j1:j2] if not t.isspace())
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out)), DiffStats(added, removed)


# --- readability: Flesch-Douma ----------------------------------------------------------------

LONG_SENTENCE_WORDS = 25
LONG_WORD_SYLLABLES = 5
HARD_SCORE = 50  # below: "moeilijk" on Douma's scale

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n{2,}")


@lru_cache(maxsize=1)
def _hyphenator():
    import pyphen

    return pyphen.Pyphen(lang="nl_NL")


_VOWEL_GROUP = re.compile(r"[aeiouyáéíóúàèâêîôû]+|[äëïöü][aeiouyáéíóúàèâêîôû]*")


def syllables(word: str) -> int:
    """Dutch syllables: the hyphenation points of LibreOffice's Dutch dictionary, or the
    vowel groups when there are more (hyphenation never splits off one letter: o-ver, i-dee)."""
    word = word.lower()
    hyphenated = len(_hyphenator().positions(word)) + 1
    return max(1, hyphenated, len(_VOWEL_GROUP.findall(word)))


def sentences(text: str) -> list[str]:
    text = re.sub(r"[#>*_`|]+", " ", text)  # Markdown marks are not words
    return [s.strip() for s in _SENTENCE_END.split(text) if _WORD.search(s)]


@dataclass(frozen=True)
class Readability:
    score: float | None
    words: int
    sentences: int
    long_sentences: list[str]
    long_words: list[str]

    @property
    def level(self) -> str:
        """A key for the template: easy, fair, hard (Douma's bands, simplified)."""
        if self.score is None:
            return "none"
        if self.score >= 60:
            return "easy"
        if self.score >= HARD_SCORE:
            return "fair"
        return "hard"


def readability(text: str) -> Readability:
    """Flesch-Douma (1960): 206.835 - 0.93 * words per sentence - 77 * syllables per word."""
    parts = sentences(text)
    words = [w for s in parts for w in _WORD.findall(s)]
    if not words:
        return Readability(None, 0, 0, [], [])
    counts = {w: syllables(w) for w in set(words)}
    total_syllables = sum(counts[w] for w in words)
    score = 206.835 - 0.93 * (len(words) / len(parts)) - 77 * (total_syllables / len(words))
    long_sentences = [s for s in parts if len(_WORD.findall(s)) > LONG_SENTENCE_WORDS]
    long_words = sorted({w for w, n in counts.items() if n >= LONG_WORD_SYLLABLES})
    return Readability(round(score, 1), len(words), len(parts), long_sentences, long_words)


def highlight_hard_parts(text: str, result: Readability) -> SafeString:
    """The plain text with long sentences and long words marked for the editor."""
    html = escape(text)
    for sentence in result.long_sentences:
        html = html.replace(
            escape(sentence), f'<mark class="long-sentence">{escape(sentence)}</mark>'
        )
    if result.long_words:
        pattern = re.compile(r"\b(" + "|".join(map(re.escape, result.long_words)) + r")\b")
        html = pattern.sub(r'<mark class="long-word">\1</mark>', html)
    return mark_safe(html)


# --- near-duplicates: shingles and MinHash ----------------------------------------------------

SHINGLE_WORDS = 4
NUM_HASHES = 64
_PRIME = (1 << 61) - 1
_MAX32 = (1 << 32) - 1


def _coefficients() -> list[tuple[int, int]]:
    # Fixed seeds: signatures stored in the database must stay comparable across runs.
    import random

    rng = random.Random(20261126)
    return [(rng.randrange(1, _PRIME), rng.randrange(0, _PRIME)) for _ in range(NUM_HASHES)]


_COEFFS = _coefficients()


def shingles(text: str) -> set[int]:
    """Overlapping word 4-grams, lower-cased, each hashed to 32 bits (stable across runs)."""
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < SHINGLE_WORDS:
        return {zlib.crc32(" ".join(words).encode())} if words else set()
    return {
        zlib.crc32(" ".join(words[i : i + SHINGLE_WORDS]).encode())
        for i in range(len(words) - SHINGLE_WORDS + 1)
    }


def minhash(text: str) -> list[int]:
    """The MinHash signature: for each of 64 hash functions, the smallest hash of a shingle."""
    values = shingles(text)
    if not values:
        return []
    return [min(((a * v + b) % _PRIME) & _MAX32 for v in values) for a, b in _COEFFS]


def similarity(sig_a: list[int], sig_b: list[int]) -> float:
    """Estimated Jaccard similarity of the two shingle sets (0 to 1)."""
    if not sig_a or not sig_b or len(sig_a) != len(sig_b):
        return 0.0
    return sum(1 for x, y in zip(sig_a, sig_b, strict=True) if x == y) / len(sig_a)
