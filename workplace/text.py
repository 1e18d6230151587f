"""Text helpers the whole workplace shares: accent folding for matching names, and
transliteration for what must be plain ASCII (usernames)."""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

# Letters that Unicode does not decompose into a base letter and an accent.
_UNDECOMPOSED = str.maketrans(
    {"\u0131": "i", "ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th"}
)


def fold(text: str) -> str:
    """Lower-case and strip accents: ``Coördinatie`` → ``coordinatie``, and a Turkish
    dotless i becomes an i (``Yilmaz`` whichever i it was typed with)."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_UNDECOMPOSED))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def word_key(*parts: str) -> str:
    """The folded words of ``parts`` between single spaces, with a space on either side.

    ``" van den broeck "``: a whole word is ``contains(" word ")`` and the start of a
    word ``contains(" wo")``, one ``LIKE`` on SQLite and PostgreSQL alike.
    """
    words = re.findall(r"\w+", fold(" ".join(parts)))
    return f" {' '.join(words)} " if words else ""


def to_ascii(text: str) -> str:
    """Transliterated to ASCII, letter by letter: ``Y\u0131lmaz`` → ``Yilmaz``, ``Øster`` →
    ``Oster``, ``Nguyễn`` → ``Nguyen``. Where ``fold`` only matches names, this makes
    identifiers from them (a username keeps every letter a reader would expect)."""
    return anyascii(text)


def column_key(name: str) -> str:
    """A column heading reduced to folded letters and digits, so that ``E-mail``,
    ``e_mail`` and ``E-mailadres `` compare without regard to case, accents or spaces:
    ``email``, ``email``, ``emailadres``."""
    return re.sub(r"[^a-z0-9]", "", fold(text=name))
