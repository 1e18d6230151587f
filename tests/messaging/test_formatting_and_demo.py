"""What a message may contain, and the demo conversations."""

from __future__ import annotations

import random

import pytest

from messaging.demo import seed_conversations
from messaging.formatting import mentioned_usernames, render_body
from messaging.models import Conversation, Message


def test_html_in_a_message_is_shown_as_text():
    html = render_body("<script>alert(1)</script> <b>vet</b>")
    assert "<script>" not in html and "&lt;script&gt;" in html and "<b>" not in html


def test_a_javascript_link_loses_its_target():
    html = render_body("[klik](javascript:alert(1))")
    assert "javascript:" not in html and ">klik</a>" in html


def test_bare_links_become_links_but_not_inside_code():
    html = render_body("Zie https://stad.gent/werkplek en `https://niet.linken`")
    assert '<a href="https://stad.gent/werkplek"' in html
    assert "<code>https://niet.linken</code>" in html


@pytest.mark.parametrize(
    "body",
    [
        'Zie https://stad.gent/"onmouseover="alert(1)"x="',
        'Zie <https://stad.gent/"onmouseover="alert(1)>',
        'Zie https://stad.gent/?"><img src=x onerror=alert(1)>',
    ],
)
def test_a_quote_or_bracket_ends_a_bare_link_so_it_cannot_open_the_tag(body):
    html = render_body(body)
    assert '<a href="https://stad.gent/" rel="noopener noreferrer nofollow">' in html
    assert "<img" not in html and '"onmouseover' not in html.split("</a>")[0]


def test_mentions_are_found_but_not_in_e_mail_addresses():
    assert mentioned_usernames("Vraag @Bob en @carol. Mail: info@stad.gent") == {"bob", "carol"}


@pytest.mark.django_db
def test_the_demo_has_direct_and_group_conversations_with_dutch_history_and_is_idempotent():
    from workplace.demo import seed_demo_logins, seed_organisation

    departments = seed_organisation(random.Random(2026))
    seed_demo_logins(departments)
    seed_conversations(random.Random(2026))
    counts = (Conversation.objects.count(), Message.objects.count())
    seed_conversations(random.Random(2026))
    assert (Conversation.objects.count(), Message.objects.count()) == counts
    assert Conversation.objects.filter(kind="direct").count() == 3
    assert Conversation.objects.filter(kind="group").count() == 2
    assert Message.objects.filter(body__contains="lekkende kraan").exists()
    terrein = Conversation.objects.get(name="Ploeg Onderhoud Noord")
    assert terrein.memberships.count() > 5
