"""KUS directives in the search: published ones are found, restricted ones only by their readers."""

from __future__ import annotations

import datetime

import pytest
from guardian.shortcuts import assign_perm

from kus import actions
from kus.models import Category, Directive
from search import query
from search.query import SearchParams
from tests.factories import AudienceFactory, EmployeeFactory
from workplace.models import AudienceJobTitle
from workplace.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def editors(organisation):
    return [
        EmployeeFactory(department=organisation["civil"], roles=[Role.KUS_EDITORS])
        for _ in range(2)
    ]


@pytest.fixture
def publish(editors, organisation, django_capture_on_commit_callbacks):
    """Create and publish a directive as two editors would, running the after-commit work."""
    author, approver = editors

    def make(title, body, *, audience=None, replaces=(), **fields) -> Directive:
        with django_capture_on_commit_callbacks(execute=True):
            directive = actions.create_directive(
                author,
                text=actions.Text(title, f"Samenvatting: {title}", body),
                owner_department=fields.pop("owner", organisation["buildings"]),
                category=Category.objects.get(slug="facility"),
                audience=audience or AudienceFactory(all_staff=True),
                effective_from=datetime.date(2026, 1, 1),
                **fields,
            )
            actions.submit_for_review(author, directive)
            actions.publish(approver, directive, replaces=replaces)
        directive.refresh_from_db()
        return directive

    return make


def found(user, text: str) -> list[str]:
    return [hit.title for hit in query.search(user, SearchParams(q=text)).hits]


def test_a_published_directive_is_found_by_an_inflected_word(publish, carol):
    directive = publish("Circulaire sleutelbeheer", "Elke medewerker tekent voor zijn sleutels.")
    results = query.search(carol, SearchParams(q="circulaires medewerkers"))
    assert [hit.url for hit in results.hits] == [directive.get_absolute_url()]
    hit = results.hits[0]
    assert hit.number == directive.number
    assert hit.status == "current"
    assert hit.department == "FM-GEB"


def test_a_draft_is_not_in_the_search(editors, organisation, carol, publish):
    actions.create_directive(
        editors[0],
        text=actions.Text("Ontwerp parkeerbeleid", "Nog niet klaar.", "Tekst"),
        owner_department=organisation["buildings"],
        category=Category.objects.get(slug="facility"),
        audience=AudienceFactory(all_staff=True),
    )
    # Published after the draft: its after-commit work applies the whole queue, the
    # draft's update too. The published one is found, the draft is not.
    publish("Parkeerbeleid aan de Dampoort", "Tekst")
    assert found(carol, "parkeerbeleid") == ["Parkeerbeleid aan de Dampoort"]


def test_its_number_opens_it(publish, client, carol):
    directive = publish("Sleutelbeheer", "Sleutels worden geregistreerd.")
    client.force_login(carol)
    year, serial = directive.number.split("-")[1:]
    response = client.get("/zoeken/", {"q": f"kus {year} {int(serial)}"})
    assert response.status_code == 302
    assert response["Location"] == directive.get_absolute_url()


def test_a_restricted_directive_reaches_only_its_audience_and_the_editors(
    publish, organisation, alice, carol, editors
):
    audience = AudienceFactory()
    audience.departments.add(organisation["facility"])
    publish("Herstructurering werkplaats", "Geheim plan.", audience=audience, restricted=True)
    assert found(alice, "herstructurering") == ["Herstructurering werkplaats"]
    assert found(carol, "herstructurering") == []
    assert found(editors[0], "herstructurering") == ["Herstructurering werkplaats"]


def test_changing_the_audience_updates_the_index(
    publish, organisation, carol, editors, django_capture_on_commit_callbacks
):
    audience = AudienceFactory()
    audience.departments.add(organisation["facility"])
    directive = publish("Herstructurering werkplaats", "Plan.", audience=audience, restricted=True)
    assert found(carol, "herstructurering") == []
    with django_capture_on_commit_callbacks(execute=True):
        audience.departments.add(organisation["civil"])
        actions.audience_changed(editors[0], directive)
    assert found(carol, "herstructurering") == ["Herstructurering werkplaats"]


def test_lifting_the_restriction_makes_it_visible_to_all(
    publish, organisation, carol, editors, django_capture_on_commit_callbacks
):
    audience = AudienceFactory()
    audience.departments.add(organisation["facility"])
    directive = publish("Herstructurering werkplaats", "Plan.", audience=audience, restricted=True)
    with django_capture_on_commit_callbacks(execute=True):
        actions.update_metadata(editors[0], directive, restricted=False)
    assert found(carol, "herstructurering") == ["Herstructurering werkplaats"]


def test_an_object_grant_lets_one_colleague_find_it(
    publish, organisation, carol, django_capture_on_commit_callbacks
):
    audience = AudienceFactory()
    audience.departments.add(organisation["facility"])
    directive = publish("Herstructurering werkplaats", "Plan.", audience=audience, restricted=True)
    with django_capture_on_commit_callbacks(execute=True):
        assign_perm("kus.view_restricted_directive", carol, directive)
    assert found(carol, "herstructurering") == ["Herstructurering werkplaats"]


def test_a_superseded_directive_stays_findable_but_ranks_below_its_successor(publish, carol):
    old = publish("Veiligheidsschoenen op de werf", "Draag veiligheidsschoenen op de werf.")
    new = publish(
        "Beschermkledij op de werf",
        "Draag veiligheidsschoenen en een fluohesje op de werf.",
        replaces=[old],
    )
    hits = query.search(carol, SearchParams(q="veiligheidsschoenen werf")).hits
    assert [(hit.number, hit.status) for hit in hits] == [
        (new.number, "current"),
        (old.number, "superseded"),
    ]


def test_adding_a_job_title_to_the_audience_updates_the_index(
    publish, organisation, carol, django_capture_on_commit_callbacks
):
    audience = AudienceFactory()
    audience.departments.add(organisation["facility"])
    publish("Herstructurering werkplaats", "Plan.", audience=audience, restricted=True)
    assert found(carol, "herstructurering") == []
    with django_capture_on_commit_callbacks(execute=True):
        AudienceJobTitle.objects.create(audience=audience, title="Loketmedewerker")
    assert found(carol, "herstructurering") == ["Herstructurering werkplaats"]
