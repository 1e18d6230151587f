"""System activities in a row (a bulk import of directives) are one card in the stream."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from streams import actions
from streams.models import AudienceKind
from tests.factories import EmployeeFactory
from tests.kus.conftest import ensure_categories, ensure_roles, make_directive
from tests.kus.test_import import write
from workplace.roles import Role

pytestmark = pytest.mark.django_db

RESTRICTED = """---
title: Sleutels van het stadhuis
department: FM
category: Facility
audience: FM
restricted: true
---
Alleen voor Facility: wie de sleutels van het stadhuis beheert.
"""


@pytest.fixture
def imported(tmp_path, organisation, django_capture_on_commit_callbacks):
    """Three directives of Facility published by one import; one only for Facility."""
    ensure_roles()
    ensure_categories()
    write(tmp_path, "FM/rookverbod.txt", "Rookverbod\nIn alle gebouwen is roken verboden.")
    write(tmp_path, "FM/sleutels.txt", "Sleutelbeheer\nJe tekent voor elke sleutel.")
    write(tmp_path, "stadhuis.md", RESTRICTED)
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "kus_import", str(tmp_path), "--publish", "--category", "Facility", stdout=StringIO()
        )


@pytest.fixture
def editors(db):
    """Two KUS editors: one writes a directive, the other approves it."""
    ensure_roles()
    return (
        EmployeeFactory(username="auteur", roles=[Role.KUS_EDITORS]),
        EmployeeFactory(username="goedkeurder", roles=[Role.KUS_EDITORS]),
    )


def home(client) -> str:
    return client.get(reverse("home")).content.decode()


def test_a_published_import_is_one_card_with_its_directives_behind_details(
    imported, client_for, alice
):
    page = home(client_for(alice))
    assert page.count("3 nieuwe richtlijnen in Facility Management") == 1
    assert "<details" in page and "Rookverbod" in page and "Sleutelbeheer" in page
    assert "Sleutels van het stadhuis" in page
    assert "Nieuwe richtlijn:" not in page  # never one by one


def test_the_card_counts_only_what_the_reader_may_see(imported, client_for, carol):
    page = home(client_for(carol))
    assert "2 nieuwe richtlijnen in Facility Management" in page
    assert "Rookverbod" in page  # positive control: the public ones are listed
    assert "Sleutels van het stadhuis" not in page
    assert "3 nieuwe richtlijnen" not in page


def test_one_directive_alone_keeps_its_own_card(
    editors, client_for, alice, organisation, django_capture_on_commit_callbacks
):
    author, approver = editors
    with django_capture_on_commit_callbacks(execute=True):
        make_directive(author, approver, owner=organisation["facility"], title="Werken op hoogte")
    page = home(client_for(alice))
    assert "Nieuwe richtlijn:" in page and "Werken op hoogte" in page
    assert "nieuwe richtlijnen" not in page


def test_a_post_in_between_breaks_the_run(
    editors, client_for, alice, organisation, django_capture_on_commit_callbacks
):
    author, approver = editors
    # Each in its own transaction, as in the app: the activity follows its commit.
    with django_capture_on_commit_callbacks(execute=True):
        make_directive(author, approver, owner=organisation["facility"], title="Eerste")
    with django_capture_on_commit_callbacks(execute=True):
        actions.create_post(alice, "Koffie in de refter", audience_kind=AudienceKind.ALL)
    with django_capture_on_commit_callbacks(execute=True):
        make_directive(author, approver, owner=organisation["facility"], title="Tweede")
    page = home(client_for(alice))
    assert page.count("Nieuwe richtlijn:") == 2
    assert "nieuwe richtlijnen" not in page


def test_two_directives_in_a_row_are_grouped_without_a_place(
    editors, client_for, alice, organisation, django_capture_on_commit_callbacks
):
    author, approver = editors
    with django_capture_on_commit_callbacks(execute=True):
        make_directive(author, approver, owner=organisation["facility"], title="Eerste")
        make_directive(author, approver, owner=organisation["civil"], title="Tweede")
    page = home(client_for(alice))
    assert "2 nieuwe richtlijnen</summary>" in page
    assert "Nieuwe richtlijn:" not in page


def test_the_api_still_lists_every_activity(imported, client_for, alice):
    response = client_for(alice).get(reverse("streams:api_stream"))
    titles = [item["title"] for item in response.json()["results"]]
    assert sum("Rookverbod" in t or "Sleutel" in t for t in titles) == 3
