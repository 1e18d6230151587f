"""GET /api/v1/search/ and /api/v1/search/suggest: JSON for apps and scripts."""

from __future__ import annotations

import datetime as dt

import pytest

from search.documents import PlainDocument, index_documents
from search.indexes import Kind, Status
from workplace.api import issue_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def directives():
    index_documents(
        [
            PlainDocument(
                id=str(n),
                kind=Kind.DIRECTIVE,
                number=f"KUS-2026-{n:04d}",
                title=f"Circulaire werfveiligheid deel {n}",
                body="Veiligheidsschoenen en helmen zijn verplicht op de werf.",
                department="PREV" if n % 2 else "FM",
                category="Veiligheid",
                status=Status.CURRENT,
                date=dt.datetime(2025 + n % 2, 5, 1, tzinfo=dt.UTC),
            )
            for n in range(1, 46)
        ]
    )


def test_it_answers_results_facets_and_paging_as_json(directives, client, alice):
    client.force_login(alice)
    body = client.get("/api/v1/search/", {"q": "circulaires", "page": 3}).json()
    assert body["count"] == 45
    assert (body["page"], body["num_pages"]) == (3, 3)
    assert len(body["results"]) == 5
    first = body["results"][0]
    assert set(first) >= {"type", "id", "title", "url", "snippet", "department", "date", "status"}
    assert first["type"] == "directive"
    assert first["status"] == "current"
    assert first["date"].startswith("202")
    assert {f["value"]: f["count"] for f in body["facets"]["year"]} == {"2026": 23, "2025": 22}
    assert [f["label"] for f in body["facets"]["type"]] == ["Richtlijn"]
    assert body["suggestion"] is None


def test_pages_do_not_overlap_and_together_hold_every_hit(directives, client, alice):
    client.force_login(alice)
    seen = []
    for page in (1, 2, 3):
        seen += [
            r["id"]
            for r in client.get("/api/v1/search/", {"q": "werf", "page": page}).json()["results"]
        ]
    assert sorted(seen, key=int) == [str(n) for n in range(1, 46)]


def test_a_page_past_the_end_is_empty_but_keeps_the_count(directives, client, alice):
    client.force_login(alice)
    body = client.get("/api/v1/search/", {"q": "werf", "page": 9}).json()
    assert (body["count"], body["results"]) == (45, [])


def test_filters_narrow_results_and_counts(directives, client, alice):
    client.force_login(alice)
    body = client.get(
        "/api/v1/search/", {"q": "werf", "department": "prev", "year": "2026", "type": "directive"}
    ).json()
    assert body["count"] == 23
    assert {r["department_code"] for r in body["results"]} == {"PREV"}


def test_a_number_answers_where_to_go(directives, client, alice):
    client.force_login(alice)
    body = client.get("/api/v1/search/", {"q": "kus 2026 7"}).json()
    assert body["goto"] == "/zoeken/document/7/"


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "missing_query"),
        ({"q": "werf", "page": "twee"}, "invalid_page"),
        ({"q": "werf", "page": "0"}, "invalid_page"),
        ({"q": "werf", "type": "memo"}, "invalid_type"),
        ({"q": "werf", "year": "26"}, "invalid_year"),
        ({"q": "werf", "department": "<script>"}, "invalid_department"),
        ({"q": "w" * 201}, "query_too_long"),
    ],
)
def test_bad_parameters_get_a_400_with_a_dutch_json_error(client, alice, params, code):
    client.force_login(alice)
    response = client.get("/api/v1/search/", params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == code
    assert error["detail"]


def test_a_bad_page_is_explained_in_dutch(client, alice):
    client.force_login(alice)
    detail = client.get("/api/v1/search/", {"q": "werf", "page": "x"}).json()["error"]["detail"]
    assert detail == "De pagina moet een geheel getal van 1 tot 500 zijn."


def test_it_needs_a_login_or_a_token(directives, client, alice):
    assert client.get("/api/v1/search/", {"q": "werf"}).status_code == 401
    key = issue_token(alice, "script")
    response = client.get("/api/v1/search/", {"q": "werf"}, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert response.json()["count"] == 45


def test_suggestions_match_titles_numbers_and_people_as_you_type(directives, client, alice, bob):
    from search.queue import enqueue

    enqueue(bob)
    from search.queue import drain

    drain()
    client.force_login(alice)
    by_title = client.get("/api/v1/search/suggest", {"q": "circ werfv"}).json()["results"]
    assert len(by_title) == 8
    assert by_title[0]["type"] == "directive"
    by_number = client.get("/api/v1/search/suggest", {"q": "KUS-2026-004"}).json()["results"]
    assert {r["number"] for r in by_number} >= {"KUS-2026-0040", "KUS-2026-0045"}
    by_name = client.get("/api/v1/search/suggest", {"q": "pee"}).json()["results"]
    assert [(r["type"], r["title"], r["detail"]) for r in by_name] == [
        ("employee", "Bob Peeters", "Elektricien")
    ]
    assert client.get("/api/v1/search/suggest", {"q": "p"}).json() == {"results": []}


def test_search_and_suggestions_take_a_fixed_number_of_queries(
    directives, client, alice, django_assert_max_num_queries
):
    client.force_login(alice)
    with django_assert_max_num_queries(8):
        client.get("/api/v1/search/", {"q": "werf"})
    with django_assert_max_num_queries(6):
        client.get("/api/v1/search/suggest", {"q": "werf"})
