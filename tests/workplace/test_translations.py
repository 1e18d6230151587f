"""Every user-facing string has its Dutch translation, and the compiled catalogue is current."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "workplace" / "locale"


@pytest.fixture(scope="module")
def dutch():
    return polib.pofile(str(LOCALE / "nl" / "LC_MESSAGES" / "django.po"))


def test_every_string_has_a_dutch_translation(dutch):
    untranslated = [entry.msgid for entry in dutch.untranslated_entries()]
    fuzzy = [entry.msgid for entry in dutch.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []


def test_the_compiled_catalogue_matches_the_source(dutch):
    compiled = polib.mofile(str(LOCALE / "nl" / "LC_MESSAGES" / "django.mo"))
    translations = {entry.msgid: entry.msgstr or entry.msgstr_plural.get(0) for entry in compiled}
    stale = [
        entry.msgid
        for entry in dutch.translated_entries()
        if translations.get(entry.msgid) != (entry.msgstr or entry.msgstr_plural.get(0))
    ]
    assert stale == [], "run `make messages` to compile the catalogue"


def test_placeholders_survive_translation(dutch):
    import re

    placeholder = re.compile(r"%\(\w+\)[sdr]")
    for entry in dutch.translated_entries():
        target = entry.msgstr or entry.msgstr_plural.get(1, "")
        source = entry.msgid_plural or entry.msgid
        assert sorted(placeholder.findall(source)) == sorted(placeholder.findall(target)), (
            entry.msgid
        )
