"""The search page at /zoeken/: phone-first, Dutch, and working without JavaScript."""

from __future__ import annotations

import datetime as dt

import pytest

from search.documents import PlainDocument, index_documents
from search.indexes import Kind, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    index_documents(
        [
            PlainDocument(
                id="new",
                kind=Kind.DIRECTIVE,
                number="KUS-2026-0042",
                title="Circulaire veiligheidsschoenen en beschermkledij",
                body="Veiligheidsschoenen zijn verplicht op elke werf. <script>alert(1)</script>",
                department="PREV",
                category="Veiligheid",
                status=Status.CURRENT,
                date=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
            ),
            PlainDocument(
                id="old",
                kind=Kind.DIRECTIVE,
                number="KUS-2025-0042",
                title="Circulaire veiligheidsschoenen voor de groendienst",
                body="Alle medewerkers dragen veiligheidsschoenen van klasse S3.",
                department="GRO",
                category="Veiligheid",
                status=Status.SUPERSEDED,
                date=dt.datetime(2025, 3, 1, tzinfo=dt.UTC),
            ),
            PlainDocument(
                id="post",
                kind=Kind.POST,
                title="Nieuwe veiligheidsschoenen passen in het depot",
                body="Kom je maat passen op dinsdag.",
                department="GRO",
                date=dt.datetime(2026, 10, 1, tzinfo=dt.UTC),
            ),
        ]
    )


def test_the_search_entry_of_the_navigation_leads_here(client, alice):
    client.force_login(alice)
    page = client.get("/").content.decode()
    assert 'action="/zoeken/"' in page
    assert 'href="/zoeken/"' in page


def test_it_shows_results_with_highlights_type_and_status_in_dutch(corpus, client, alice):
    client.force_login(alice)
    response = client.get("/zoeken/", {"q": "circulaires veiligheidsschoen"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 resultaten" in page
    assert "<mark" in page and "Veiligheidsschoenen</mark>" in page
    assert "Richtlijn · KUS-2026-0042" in page
    assert '<span class="search-status">Vervangen</span>' in page
    assert page.index("KUS-2026-0042") < page.index("KUS-2025-0042")
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page


def test_facet_links_narrow_the_results_and_can_be_taken_off(corpus, client, alice):
    client.force_login(alice)
    page = client.get("/zoeken/", {"q": "veiligheidsschoenen"}).content.decode()
    assert "3 resultaten" in page
    assert 'href="?q=veiligheidsschoenen&amp;type=post"' in page
    narrowed = client.get("/zoeken/", {"q": "veiligheidsschoenen", "type": "post"}).content.decode()
    assert "1 resultaat" in narrowed
    assert 'aria-current="true" href="?q=veiligheidsschoenen"' in narrowed


def test_a_typo_is_corrected_and_said_so(corpus, client, alice):
    client.force_login(alice)
    page = client.get("/zoeken/", {"q": "veiligheidsschoeen"}).content.decode()
    assert "Niets gevonden voor \u2018veiligheidsschoeen\u2019." in page
    assert "Dit zijn de resultaten voor <strong>veiligheidsschoenen</strong>." in page


def test_a_directive_number_opens_the_directive(corpus, client, alice):
    client.force_login(alice)
    response = client.get("/zoeken/", {"q": "KUS-2026-0042"})
    assert response.status_code == 302
    assert response["Location"] == "/zoeken/document/new/"


def test_nothing_found_gives_tips(corpus, client, alice):
    client.force_login(alice)
    page = client.get("/zoeken/", {"q": "zwembadkaart"}).content.decode()
    assert "0 resultaten" in page
    assert "Niets gevonden." in page


def test_bad_parameters_get_a_dutch_message_and_a_400(client, alice):
    client.force_login(alice)
    response = client.get("/zoeken/", {"q": "werf", "page": "-1"})
    assert response.status_code == 400
    assert "De pagina moet een geheel getal van 1 tot 500 zijn." in response.content.decode()


def test_it_needs_a_login(client):
    response = client.get("/zoeken/", {"q": "werf"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_page_stays_small_and_takes_a_fixed_number_of_queries(
    corpus, client, alice, django_assert_max_num_queries
):
    client.force_login(alice)
    with django_assert_max_num_queries(12):
        response = client.get("/zoeken/", {"q": "veiligheidsschoenen"})
    assert len(response.content) < 100_000
    assert 'style="' not in response.content.decode()


def test_the_page_takes_as_many_queries_for_thirty_results_as_for_one(client, alice):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import DepartmentFactory

    codes = [DepartmentFactory(code=f"D{n}").code for n in range(10)]
    index_documents(
        [PlainDocument(id="one", kind=Kind.DIRECTIVE, title="Rookbeleid", department="D0")]
        + [
            PlainDocument(
                id=f"many{n}",
                kind=Kind.DIRECTIVE if n % 2 else Kind.POST,
                title=f"Winterdienst op het depot {n}",
                body="Strooien en ruimen bij sneeuw.",
                department=codes[n % 10],
                category=f"Categorie {n % 5}",
                status=Status.SUPERSEDED if n % 3 == 0 else Status.CURRENT,
                date=dt.datetime(2016 + n % 10, 1, 1, tzinfo=dt.UTC),
            )
            for n in range(30)
        ]
    )
    client.force_login(alice)
    client.get("/zoeken/", {"q": "rookbeleid"})  # the session and caches of a first page
    counts = {}
    for text in ("rookbeleid", "winterdienst"):
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/zoeken/", {"q": text})
        assert response.status_code == 200
        counts[text] = len(captured)
    assert "30 resultaten" in response.content.decode()
    assert counts["winterdienst"] == counts["rookbeleid"] <= 12
