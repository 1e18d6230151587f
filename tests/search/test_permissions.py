"""Nothing leaks: results, counts, facets, suggestions, snippets and numbers are filtered.

Alice works in Dienst Gebouwen (below Facility), Bob in a team below it,
Carol in Burgerzaken. The restricted directive is addressed to Facility.
"""

from __future__ import annotations

import pytest

from search import query
from search.documents import PlainDocument, index_documents
from search.indexes import Kind
from search.query import SearchParams
from tests.factories import AudienceFactory
from workplace.audiences import principals
from workplace.models import Employee

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Reorganisatie van de fietsenherstelplaats"


@pytest.fixture
def facility_only(organisation):
    audience = AudienceFactory()
    audience.departments.add(organisation["facility"])
    return audience


@pytest.fixture
def corpus(facility_only):
    index_documents(
        [
            PlainDocument(
                id="open",
                kind=Kind.DIRECTIVE,
                number="KUS-2026-0010",
                title="Fietsvergoeding voor woon-werkverkeer",
                body="Wie met de fiets komt, krijgt een fietsvergoeding per kilometer.",
                department="PO",
                category="Personeel",
            ),
            PlainDocument(
                id="secret",
                kind=Kind.DIRECTIVE,
                number="KUS-2026-0099",
                title=SECRET_TITLE,
                body="Vertrouwelijk: de fietsvergoeding van de herstellers verandert.",
                department="FM",
                category="Herstructurering",
                principals=principals(facility_only),
            ),
        ]
    )


def ids(user, text: str, **params) -> list[str]:
    return [hit.id for hit in query.search(user, SearchParams(q=text, **params)).hits]


def test_it_hides_a_restricted_directive_from_another_department(corpus, carol):
    results = query.search(carol, SearchParams(q="fietsvergoeding"))
    assert [hit.id for hit in results.hits] == ["open"]
    assert results.count == 1


def test_it_shows_the_restricted_directive_to_its_department_and_the_teams_below(
    corpus, alice, bob
):
    assert sorted(ids(alice, "fietsvergoeding")) == ["open", "secret"]
    assert sorted(ids(bob, "fietsvergoeding")) == ["open", "secret"]


def test_facets_count_only_what_the_user_may_see(corpus, alice, carol):
    facets = query.search(carol, SearchParams(q="fietsvergoeding")).facets
    assert [v.value for v in facets["category"]] == ["Personeel"]
    assert [v.value for v in facets["department"]] == ["PO"]
    assert [(v.value, v.count) for v in facets["type"]] == [("directive", 1)]
    alice_facets = query.search(alice, SearchParams(q="fietsvergoeding")).facets
    assert [(v.value, v.count) for v in alice_facets["type"]] == [("directive", 2)]


def test_filtering_on_a_restricted_category_finds_nothing(corpus, alice, carol):
    params = SearchParams(q="fietsvergoeding", category="Herstructurering")
    assert [hit.id for hit in query.search(alice, params).hits] == ["secret"]
    results = query.search(carol, params)
    assert results.count == 0
    assert results.hits == []


def test_suggestions_never_offer_a_restricted_title(corpus, alice, carol):
    assert query.suggest(carol, "reorg") == []
    assert [s.title for s in query.suggest(alice, "reorg")] == [SECRET_TITLE]


def test_a_restricted_number_does_not_open_for_others(corpus, alice, carol):
    assert query.find_number(carol, "KUS-2026-0099") is None
    assert query.find_number(alice, "kus 2026 99") == "/zoeken/document/secret/"


def test_spelling_suggestions_do_not_reveal_words_of_restricted_documents(corpus, alice, carol):
    # "reorganisatie" only occurs in the restricted directive.
    assert query.search(carol, SearchParams(q="reorganisatei")).suggestion is None
    assert query.search(alice, SearchParams(q="reorganisatei")).suggestion == "reorganisatie"


def test_snippets_come_only_from_documents_the_user_may_see(corpus, alice, carol):
    def snippets(user) -> str:
        params = SearchParams(q="fietsvergoeding")
        return " ".join(str(h.snippet) for h in query.search(user, params).hits)

    assert "Vertrouwelijk" in snippets(alice)
    assert "Vertrouwelijk" not in snippets(carol)


def test_an_excluded_department_does_not_see_a_document_for_all_staff(organisation, alice, carol):
    audience = AudienceFactory(all_staff=True)
    audience.excluded_departments.add(organisation["civil"])
    index_documents(
        [PlainDocument(id="x", kind=Kind.POST, title="Kerstfeest", principals=principals(audience))]
    )
    assert ids(alice, "kerstfeest") == ["x"]
    assert ids(carol, "kerstfeest") == []


def test_an_excluded_colleague_does_not_see_it(organisation, alice, bob):
    audience = AudienceFactory()
    audience.departments.add(organisation["facility"])
    audience.excluded_employees.add(bob)
    index_documents(
        [PlainDocument(id="x", kind=Kind.POST, title="Evaluatie", principals=principals(audience))]
    )
    assert ids(alice, "evaluatie") == ["x"]
    assert ids(bob, "evaluatie") == []


def test_a_document_for_field_workers_reaches_only_field_workers(organisation, alice, bob):
    audience = AudienceFactory(worker_kind="field")
    audience.departments.add(organisation["facility"])
    index_documents(
        [PlainDocument(id="x", kind=Kind.POST, title="Werfkledij", principals=principals(audience))]
    )
    assert ids(bob, "werfkledij") == ["x"]
    assert ids(alice, "werfkledij") == []


def test_a_colleague_who_moves_department_sees_what_the_new_department_sees(
    corpus, organisation, carol
):
    assert ids(carol, "reorganisatie") == []
    carol.department = organisation["buildings"]
    carol.save()
    moved = Employee.objects.get(pk=carol.pk)  # a new request: principals are read afresh
    assert ids(moved, "reorganisatie") == ["secret"]


def test_an_inactive_employee_finds_nothing(corpus, carol):
    assert ids(carol, "fietsvergoeding") == ["open"]
    carol.is_active = False
    assert ids(carol, "fietsvergoeding") == []


def test_the_api_answer_never_contains_the_restricted_title(corpus, client, carol):
    client.force_login(carol)
    body = client.get("/api/v1/search/", {"q": "fietsvergoeding"}).content.decode()
    assert "Reorganisatie" not in body
    assert "Herstructurering" not in body
    suggestions = client.get("/api/v1/search/suggest", {"q": "reorganisatie"}).json()
    assert suggestions == {"results": []}
