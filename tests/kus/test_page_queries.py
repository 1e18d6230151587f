"""The KUS pages people open most ask the database a fixed number of times, however many
directives there are (issue 15: at most 12 each; bench/pages.py measures the time)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kus import actions
from tests.factories import PASSWORD, AudienceFactory
from tests.kus.conftest import make_directive

# Issue 15 asks for at most 12: the list takes 9, a directive's page 12 (it took 19 while
# naming its audience, "Voor: …", asked one query per kind of rule).
KUS_LIST_QUERIES = 9
DIRECTIVE_QUERIES = 12


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def directives(editor, reviewer, organisation, first: int, last: int) -> None:
    """Some for everyone, some to confirm, one restricted to another department."""
    for n in range(first, last):
        audience = AudienceFactory()
        audience.departments.add(organisation["civil"] if n % 3 == 0 else organisation["facility"])
        make_directive(
            editor,
            reviewer,
            owner=organisation["facility"],
            title=f"Richtlijn {n}",
            audience=audience,
            requires_ack=n % 2 == 0,
            restricted=n % 3 == 0,
        )


def test_the_kus_list_asks_the_database_as_often_for_many_directives_as_for_few(
    client, editor, reviewer, organisation, alice
):
    directives(editor, reviewer, organisation, 0, 3)
    client.login(username="alice", password=PASSWORD)
    client.get(reverse("kus:index"))
    few = count_queries(client, reverse("kus:index"))
    directives(editor, reviewer, organisation, 3, 30)
    assert count_queries(client, reverse("kus:index")) == few
    assert few <= KUS_LIST_QUERIES, few


def test_a_directive_page_asks_the_database_as_often_with_many_readers_and_versions(
    client, editor, reviewer, organisation, alice, bob
):
    directives(editor, reviewer, organisation, 1, 3)
    directive = make_directive(
        editor, reviewer, owner=organisation["facility"], title="Ladders", requires_ack=True
    )
    client.login(username="alice", password=PASSWORD)
    client.get(directive.get_absolute_url())
    few = count_queries(client, directive.get_absolute_url())
    actions.acknowledge(bob, directive)
    directives(editor, reviewer, organisation, 3, 20)
    assert count_queries(client, directive.get_absolute_url()) == few
    assert few <= DIRECTIVE_QUERIES, few
