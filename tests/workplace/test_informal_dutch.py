"""Werkplek says "je": no formal "u" or "uw" in Dutch, also where the words are Django's."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

FORMAL = re.compile(r"\b(u|uw|uzelf|gij)\b", re.IGNORECASE)


def test_no_dutch_string_in_any_catalog_says_u():
    # Django's, every installed app's and ours on top: a lookup finds the one that wins.
    catalog = trans_real.translation("nl")._catalog
    winning = {key: catalog[key] for key in set(catalog.keys())}
    formal = {key: text for key, text in winning.items() if FORMAL.search(text or "")}
    assert formal == {}


def test_the_informal_catalog_does_not_change_what_english_says():
    with translation.override("en"):
        assert translation.gettext("Your password was changed.") == "Your password was changed."


@pytest.mark.django_db
def test_the_activation_page_speaks_to_you_with_je(client):
    response = client.get(reverse("activate"), headers={"Accept-Language": "nl"})
    page = html.unescape(response.content.decode())
    assert "Je wachtwoord mag niet alleen uit cijfers bestaan." in page
    assert FORMAL.search(re.sub(r"<[^>]+>", " ", page)) is None
