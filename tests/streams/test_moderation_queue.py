"""The moderation queue lists open reports only, and is found from "Meer"."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from streams import actions


def test_it_lists_only_posts_with_open_reports(alice, bob, lies, client_for):
    reported = actions.create_post(alice, "Gemeld bericht")
    actions.create_post(alice, "Nooit gemeld bericht")
    dismissed = actions.create_post(alice, "Afgehandeld bericht")
    actions.report_post(bob, reported, "Spam")
    actions.report_post(bob, dismissed, "Twijfel")
    actions.dismiss_reports(lies, dismissed)
    html = client_for(lies).get("/stroom/moderatie/").content.decode()
    queue = html.split("<h2>")[1]  # the reported posts, before the audit trail
    assert "Gemeld bericht" in queue and "Spam" in queue
    assert "Nooit gemeld bericht" not in queue
    assert "Afgehandeld bericht" not in queue


def test_it_lists_a_post_once_however_many_open_reports_it_has(alice, bob, carol, lies, client_for):
    post = actions.create_post(alice, "Dubbel gemeld")
    actions.report_post(bob, post, "Spam")
    actions.report_post(carol, post, "Reclame")
    response = client_for(lies).get("/stroom/moderatie/")
    assert [p.pk for p in response.context["reported"]] == [post.pk]
    html = response.content.decode()
    assert "Spam" in html and "Reclame" in html


def test_the_queue_takes_the_same_number_of_queries_for_many_reports(
    alice, bob, carol, lies, client_for
):
    client = client_for(lies)
    first = actions.create_post(alice, "Eerste melding")
    actions.report_post(bob, first, "Spam")
    client.get("/stroom/moderatie/")  # warm the session and role caches
    with CaptureQueriesContext(connection) as one:
        client.get("/stroom/moderatie/")
    for number in range(5):
        post = actions.create_post(alice, f"Melding {number}")
        actions.report_post(bob, post, "Spam")
        actions.report_post(carol, post, "Ook spam")
    with CaptureQueriesContext(connection) as many:
        response = client.get("/stroom/moderatie/")
    assert len(response.context["reported"]) == 6
    assert len(many) == len(one)


def test_the_more_page_links_the_queue_for_the_communication_team_only(bob, lies, client_for):
    assert "/stroom/moderatie/" in client_for(lies).get("/meer/").content.decode()
    assert "/stroom/moderatie/" not in client_for(bob).get("/meer/").content.decode()
    assert client_for(bob).get("/meer/").status_code == 200
