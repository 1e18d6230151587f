"""The stream page asks the database a fixed number of times, however long the stream
(issue 15: at most 12; bench/pages.py measures the time)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from streams import actions
from tests.factories import EmployeeFactory

# The session, the user (with their department and roles), the activities with their
# posts, the reactions (mine among them), the comment counts, the pinned posts, the
# composer's departments and spaces, the badges (directives, messages, notifications).
# Issue 15 asks for at most 12.
STREAM_QUERIES = 11


def count_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/stroom/")
    assert response.status_code == 200
    return len(queries)


def test_the_stream_page_asks_the_database_as_often_for_a_long_stream_as_for_a_short_one(
    organisation, alice, bob, client_for
):
    def seed(first: int, last: int) -> None:
        for number in range(first, last):  # one author each: posting has a rate limit
            author = EmployeeFactory(department=organisation["team"])
            post = actions.create_post(author, f"Bericht {number} #thema")
            actions.react(bob, post, "like")
            actions.react(alice, post, "thanks")
            actions.add_comment(bob, post, "Mooi")

    client = client_for(alice)
    seed(0, 2)
    client.get("/stroom/")
    few = count_queries(client)
    seed(2, 25)
    assert count_queries(client) == few
    assert few <= STREAM_QUERIES, few
