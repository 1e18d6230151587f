"""Reactions read as words, not only as emoji (which a terminal without an emoji font
shows as empty boxes)."""

from __future__ import annotations

import re

import pytest

from streams import actions
from streams.models import AudienceKind

pytestmark = pytest.mark.django_db


def test_each_reaction_count_has_a_dutch_word(client_for, alice, bob, carol):
    post = actions.create_post(alice, "Het nieuwe depot is open!", audience_kind=AudienceKind.ALL)
    actions.react(bob, post, "celebrate")
    actions.react(carol, post, "insightful")
    page = client_for(alice).get(post.get_absolute_url()).content.decode()
    summary = re.search(r'<ul class="reaction-summary".*?</ul>', page, re.S).group()
    words = re.sub(r'<span class="emoji" aria-hidden="true">[^<]*</span>', "", summary)
    text = " ".join(re.sub(r"<[^>]+>", " ", words).split())
    assert text == "Proficiat: 1 Interessant: 1"


def test_the_emoji_on_the_reaction_buttons_are_decoration(client_for, alice):
    post = actions.create_post(alice, "Wie helpt zaterdag?", audience_kind=AudienceKind.ALL)
    page = client_for(alice).get(post.get_absolute_url()).content.decode()
    assert '<span class="emoji" aria-hidden="true">🎉</span> Proficiat' in page
    assert '<span class="emoji" aria-hidden="true">👍</span> Vind ik leuk' in page
