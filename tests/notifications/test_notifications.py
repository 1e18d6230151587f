from __future__ import annotations

import pytest

from notifications import actions as notifications
from notifications import queries
from notifications.models import Notification, NotificationPreference
from streams import actions
from tests.factories import EmployeeFactory


def notification_texts(client) -> str:
    return client.get("/meldingen/").content.decode()


def test_reactions_are_grouped_into_one_line(organisation, alice, bob, client_for):
    post = actions.create_post(alice, "Wie helpt verhuizen?")
    actions.react(bob, post, "like")
    for first_name in ("Els", "Koen", "Sofie", "Wout"):
        actions.react(EmployeeFactory(first_name=first_name, last_name="Claeys"), post, "thanks")
    assert Notification.objects.filter(recipient=alice).count() == 1
    html = notification_texts(client_for(alice))
    assert "Wout Claeys en 4 anderen reageerden op je bericht" in html


def test_a_single_reaction_names_one_person(alice, bob, client_for):
    post = actions.create_post(alice, "Alleen Bob")
    actions.react(bob, post, "like")
    assert "Bob Peeters reageerde op je bericht" in notification_texts(client_for(alice))


def test_a_read_group_starts_a_new_line_for_new_reactions(alice, bob, carol):
    post = actions.create_post(alice, "Tweede golf")
    actions.react(bob, post, "like")
    notifications.mark_read(alice)
    actions.react(carol, post, "like")
    assert Notification.objects.filter(recipient=alice, read=None).count() == 1


def test_reacting_twice_with_the_same_kind_takes_it_back(alice, bob):
    post = actions.create_post(alice, "Aan en uit")
    actions.react(bob, post, "like")
    assert post.reactions.exists()  # the control: the first one counted
    assert actions.react(bob, post, "like") is None
    assert not post.reactions.exists()


def test_a_reply_notifies_the_author_and_the_thread(alice, bob, carol, client_for):
    post = actions.create_post(alice, "Vraag aan iedereen")
    first = actions.add_comment(bob, post, "Ik weet het")
    actions.add_comment(carol, post, "Ik ook", parent=first)
    assert "Carol Maes antwoordde" in notification_texts(client_for(alice))
    assert "Carol Maes antwoordde" in notification_texts(client_for(bob))


def test_a_mention_notifies_only_people_who_can_see_the_post(
    organisation, alice, bob, carol, client_for
):
    actions.create_post(
        alice,
        "Hallo @bob en @carol",
        audience_kind="department",
        department=organisation["buildings"],
    )
    assert "Alice Claes vermeldde je" in notification_texts(client_for(bob))
    assert not Notification.objects.filter(recipient=carol).exists()


def test_space_managers_hear_about_new_posts(alice, bob, open_space, client_for):
    actions.join_space(bob, open_space)
    actions.create_post(bob, "Nieuwe pomp", audience_kind="space", space=open_space)
    assert "Bob Peeters postte in Fietsherstelplaats" in notification_texts(client_for(alice))


def test_the_unread_badge_counts_and_mark_all_read_clears_it(alice, bob, client_for):
    post = actions.create_post(alice, "Teller")
    actions.add_comment(bob, post, "Een")
    client = client_for(alice)
    assert 'data-badge="notifications">1<' in client.get("/").content.decode()
    client.post("/meldingen/gelezen/")
    assert queries.unread_count(alice) == 0
    assert 'data-badge="notifications" hidden>0<' in client.get("/").content.decode()


def test_opening_a_notification_marks_it_read_and_goes_to_the_post(alice, bob, client_for):
    post = actions.create_post(alice, "Ga erheen")
    comment = actions.add_comment(bob, post, "Hier")
    line = Notification.objects.get(recipient=alice)
    response = client_for(alice).get(f"/meldingen/{line.pk}/")
    assert response.url == comment.get_absolute_url()
    line.refresh_from_db()
    assert line.read is not None


def test_someone_elses_notification_is_not_found(alice, bob, client_for):
    post = actions.create_post(alice, "Privé")
    actions.add_comment(bob, post, "Hier")
    line = Notification.objects.get(recipient=alice)
    assert client_for(alice).get(f"/meldingen/{line.pk}/").status_code == 302  # to the post
    assert client_for(bob).get(f"/meldingen/{line.pk}/").status_code == 404


def test_a_switched_off_kind_is_not_notified(alice, bob, client_for):
    response = client_for(alice).post("/meldingen/voorkeuren/", {})
    assert response.status_code == 302
    # Every in-app box was left unticked: nothing arrives in the app.
    post = actions.create_post(alice, "Stil")
    actions.add_comment(bob, post, "Hallo @alice")
    assert not Notification.objects.filter(recipient=alice).exists()
    # The control: Bob, who switched nothing off, hears of Alice's mention of him.
    actions.add_comment(alice, post, "Hallo @bob")
    assert Notification.objects.filter(recipient=bob, kind="mention").exists()
    assert not NotificationPreference.objects.get(
        employee=alice, kind="mention", channel="in_app"
    ).enabled


def test_the_preferences_page_shows_dutch_kinds_and_channels(alice, client_for):
    html = client_for(alice).get("/meldingen/voorkeuren/").content.decode()
    assert "Iemand vermeldt mij" in html and "In Werkplek" in html


def test_the_notifications_api_lists_and_marks_read(alice, bob, client_for):
    actions.add_comment(bob, actions.create_post(alice, "API"), "Hallo")
    client = client_for(alice)
    body = client.get("/api/v1/notifications/").json()
    assert body["unread"] == 1 and body["results"][0]["kind"] == "reply"
    body = client.post(
        "/api/v1/notifications/", {"read": "all"}, content_type="application/json"
    ).json()
    assert body["unread"] == 0
    bad = client.post("/api/v1/notifications/", {"read": "x"}, content_type="application/json")
    assert bad.status_code == 400


@pytest.mark.parametrize(
    ("kind", "reader", "text"),
    [("mention", "bob", "Straks verborgen"), ("reply", "alice", "Antwoord")],
)
def test_notifications_of_a_hidden_post_disappear(alice, bob, lies, kind, reader, text, client_for):
    reader = {"alice": alice, "bob": bob}[reader]
    post = actions.create_post(alice, "Straks verborgen @bob")
    actions.add_comment(bob, post, "Antwoord")
    assert Notification.objects.filter(recipient=reader, kind=kind).exists()
    assert text in notification_texts(client_for(reader))  # until the moderator hides it
    actions.hide_post(lies, post, "Ongepast")
    assert text not in notification_texts(client_for(reader))


def test_the_unread_count_leaves_out_what_a_hidden_post_took_off_the_list(alice, bob, lies):
    post = actions.create_post(alice, "Straks verborgen @bob")
    assert queries.unread_count(bob) == 1
    actions.hide_post(lies, post, "Ongepast")
    assert queries.unread_count(bob) == 0
    assert queries.unread_counts([bob.pk]).get(bob.pk, 0) == 0


def test_the_notifications_page_has_a_fixed_number_of_queries(
    alice, client_for, django_assert_max_num_queries
):
    client = client_for(alice)

    def burst(count: int) -> None:
        for number in range(count):
            author = EmployeeFactory()
            post = actions.create_post(alice, f"Vraag {number}")
            actions.add_comment(author, post, "Antwoord")
            actions.react(author, post, "like")

    burst(2)
    with django_assert_max_num_queries(20) as few:
        client.get("/meldingen/")
    burst(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/meldingen/")
    assert response.content.decode().count("reageerde op je bericht") == 12
