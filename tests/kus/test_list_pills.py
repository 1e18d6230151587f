"""The KUS list says "Te lezen" only on directives addressed to the reader."""

from __future__ import annotations

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PASSWORD, AudienceFactory
from tests.kus.conftest import make_directive

pytestmark = pytest.mark.django_db


def facility_audience(organisation):
    audience = AudienceFactory()
    audience.departments.add(organisation["facility"])
    return audience


def row_of(page: str, title: str) -> str:
    start = page.index(title)
    return page[start : page.index("</li>", start)]


def test_it_marks_to_read_only_for_the_addressed_reader(
    client, editor, reviewer, organisation, bob, carol
):
    make_directive(
        editor,
        reviewer,
        owner=organisation["facility"],
        title="Werken op hoogte",
        audience=facility_audience(organisation),
        requires_ack=True,
    )
    client.login(username="bob", password=PASSWORD)  # in the facility department
    addressed = html.unescape(client.get(reverse("kus:index")).content.decode())
    assert "Te lezen" in row_of(addressed, "Werken op hoogte")
    client.login(username="carol", password=PASSWORD)  # elsewhere: may read, need not confirm
    other = html.unescape(client.get(reverse("kus:index")).content.decode())
    assert "Werken op hoogte" in other
    assert "Te lezen" not in row_of(other, "Werken op hoogte")


def test_the_list_takes_the_same_number_of_queries_for_more_directives(
    client, editor, reviewer, organisation, bob
):
    make_directive(
        editor, reviewer, owner=organisation["facility"], title="Eerste", requires_ack=True
    )
    client.login(username="bob", password=PASSWORD)
    client.get(reverse("kus:index"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("kus:index"))
    for number in range(4):
        make_directive(
            editor,
            reviewer,
            owner=organisation["facility"],
            title=f"Richtlijn {number}",
            audience=facility_audience(organisation) if number % 2 else None,
            requires_ack=True,
        )
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("kus:index")).content.decode()
    assert "Richtlijn 3" in page
    assert len(many) == len(one)
