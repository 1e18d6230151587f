from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from streams import actions, visibility
from streams.models import FollowKind, Topic
from tests.factories import EmployeeFactory


def texts(client, url: str = "/") -> str:
    return client.get(url).content.decode()


def test_a_department_post_reaches_its_subtree_and_nobody_else(
    organisation, alice, bob, carol, client_for
):
    actions.create_post(
        alice,
        "Alleen voor Facility-gebouwen",
        audience_kind="department",
        department=organisation["buildings"],
    )
    assert "Alleen voor Facility-gebouwen" in texts(client_for(bob))  # a team below
    assert "Alleen voor Facility-gebouwen" not in texts(client_for(carol))


def test_closed_space_content_is_invisible_to_others_on_every_surface(
    alice, carol, closed_space, client_for
):
    post = actions.create_post(
        alice, "Geheime opbouwplanning #feesten", audience_kind="space", space=closed_space
    )
    carol_client = client_for(carol)
    assert "Geheime opbouwplanning" not in texts(carol_client)
    assert "Geheime opbouwplanning" not in texts(carol_client, "/stroom/onderwerpen/feesten/")
    assert "Geheime opbouwplanning" not in texts(carol_client, f"/stroom/mensen/{alice.username}/")
    assert carol_client.get(post.get_absolute_url()).status_code == 404
    assert carol_client.get(f"/api/v1/streams/posts/{post.pk}/").status_code == 404
    assert carol_client.get(f"/api/v1/streams/?stream=space:{closed_space.pk}").status_code == 404
    space_page = texts(carol_client, closed_space.get_absolute_url())
    assert "Vraag om lid te worden" in space_page and "Geheime" not in space_page
    assert "Geheime opbouwplanning" in texts(client_for(alice), closed_space.get_absolute_url())


def test_an_open_space_post_shows_on_the_home_stream_of_members_and_followers_only(
    alice, bob, carol, open_space, client_for
):
    actions.create_post(alice, "Lekke band gefikst", audience_kind="space", space=open_space)
    assert "Lekke band gefikst" not in texts(client_for(carol))
    actions.follow(carol, FollowKind.SPACE, open_space.pk)
    assert "Lekke band gefikst" in texts(client_for(carol))
    actions.join_space(bob, open_space)
    assert "Lekke band gefikst" in texts(client_for(bob))
    # and the open space's own page is readable by anyone
    assert "Lekke band gefikst" in texts(client_for(carol), open_space.get_absolute_url())


def test_joining_a_closed_space_needs_a_managers_approval(alice, carol, closed_space, client_for):
    actions.create_post(alice, "Kraanplanning", audience_kind="space", space=closed_space)
    carol_client = client_for(carol)
    carol_client.post(f"/ruimtes/{closed_space.slug}/lid-worden/")
    assert "Kraanplanning" not in texts(carol_client, closed_space.get_absolute_url())
    membership = closed_space.memberships.get(employee=carol)
    client_for(alice).post(
        f"/ruimtes/{closed_space.slug}/leden/", {"membership": membership.pk, "approve": "1"}
    )
    assert "Kraanplanning" in texts(carol_client, closed_space.get_absolute_url())


def test_following_and_unfollowing_a_colleague_changes_the_followed_filter(
    organisation, alice, carol, client_for
):
    actions.create_post(carol, "Nieuws van het loket")
    alice_client = client_for(alice)
    assert "Nieuws van het loket" not in texts(alice_client, "/?filter=gevolgd")
    alice_client.post("/stroom/volgen/", {"kind": "employee", "target": carol.pk})
    assert "Nieuws van het loket" in texts(alice_client, "/?filter=gevolgd")
    alice_client.post(
        "/stroom/volgen/", {"kind": "employee", "target": carol.pk, "action": "unfollow"}
    )
    assert "Nieuws van het loket" not in texts(alice_client, "/?filter=gevolgd")


def test_following_a_topic_and_a_department(organisation, alice, carol, client_for):
    actions.create_post(carol, "Over #verkiezingen")
    actions.create_post(carol, "Over het loket")
    topic_id = Topic.objects.get(name="verkiezingen").pk
    actions.follow(alice, FollowKind.TOPIC, topic_id)
    followed = texts(client_for(alice), "/?filter=gevolgd")
    assert "verkiezingen" in followed and "Over het loket" not in followed
    actions.follow(alice, FollowKind.DEPARTMENT, organisation["civil"].pk)
    assert "Over het loket" in texts(client_for(alice), "/?filter=gevolgd")


def test_my_department_filter_shows_my_departments_and_my_colleagues(
    organisation, alice, bob, carol, client_for
):
    actions.create_post(
        bob, "Ploeg Noord: verlof", audience_kind="department", department=organisation["team"]
    )
    actions.create_post(alice, "Gebouwen algemeen")
    actions.create_post(carol, "Loket nieuws")
    page = texts(client_for(bob), "/?filter=afdeling")
    assert "Ploeg Noord: verlof" in page
    assert "Loket nieuws" not in page


def test_the_announcements_filter_shows_only_announcements(lies, alice, client_for):
    actions.create_post(lies, "Nieuwe directeur", is_announcement=True)
    actions.create_post(alice, "Taart in de refter")
    page = texts(client_for(alice), "/?filter=aankondigingen")
    assert "Nieuwe directeur" in page and "Taart in de refter" not in page


def test_only_the_communication_team_can_post_announcements(alice):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.create_post(alice, "Ik kondig aan", is_announcement=True)


def test_department_and_profile_pages_show_their_own_streams(
    organisation, alice, carol, client_for
):
    actions.create_post(carol, "Burgerzaken zegt hallo")
    actions.create_post(alice, "Gebouwen zegt hallo")
    department_page = texts(client_for(alice), "/stroom/afdelingen/BZ/")
    assert "Burgerzaken zegt hallo" in department_page
    assert "Gebouwen zegt hallo" not in department_page
    profile_page = texts(client_for(carol), f"/stroom/mensen/{alice.username}/")
    assert "Gebouwen zegt hallo" in profile_page and "Burgerzaken" not in profile_page


def test_a_pinned_post_stays_on_top(lies, alice, client_for):
    old = actions.create_post(lies, "Vastgepinde info")
    actions.set_pinned(lies, old, True)
    actions.create_post(alice, "Nieuwer bericht")
    page = texts(client_for(alice))
    assert page.index("Vastgepinde info") < page.index("Nieuwer bericht")


def test_a_space_manager_pins_in_the_space_but_not_on_the_home_stream(
    alice, open_space, client_for
):
    from django.core.exceptions import PermissionDenied

    in_space = actions.create_post(alice, "Openingsuren", audience_kind="space", space=open_space)
    actions.set_pinned(alice, in_space, True)
    everywhere = actions.create_post(alice, "Voor iedereen")
    with pytest.raises(PermissionDenied):
        actions.set_pinned(alice, everywhere, True)


def test_cursor_paging_is_stable_while_new_items_arrive(alice, bob, client_for):
    start = timezone.now() - timedelta(hours=1)
    for number in range(25):
        with time_machine.travel(start + timedelta(minutes=number), tick=False):
            actions.create_post(alice, f"Bericht nummer {number:02d}")
    posts = visibility.home_stream(bob).filter(verb="posted")
    first = visibility.page(posts)
    assert len(first.items) == 20 and first.next_cursor
    actions.create_post(alice, "Intussen binnengekomen")
    second = visibility.page(posts, before=first.next_cursor)
    assert [item.post.body for item in second.items] == [
        f"Bericht nummer {number:02d}" for number in range(4, -1, -1)
    ]
    assert second.next_cursor is None
    html = texts(client_for(bob), f"/?voor={first.next_cursor}")
    assert "Bericht nummer 04" in html and "Bericht nummer 05" not in html
    assert "Intussen binnengekomen" not in html


def test_a_malformed_cursor_starts_at_the_top(alice, client_for):
    actions.create_post(alice, "Bovenaan")
    assert "Bovenaan" in texts(client_for(alice), "/stroom/?voor=kapot-xyz")


def test_the_home_stream_query_count_does_not_grow_with_rows(
    organisation, alice, bob, client_for, django_assert_max_num_queries
):
    client = client_for(alice)

    def seed(count: int) -> None:
        for number in range(count):
            author = EmployeeFactory(department=organisation["team"])
            post = actions.create_post(author, f"Post {number} #thema")
            actions.react(bob, post, "like")
            actions.add_comment(bob, post, "Mooi")

    seed(2)
    with django_assert_max_num_queries(30) as few:
        client.get("/stroom/")
    seed(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/stroom/")
    # 17 posts and Alice's own welcome as a new colleague
    assert response.content.decode().count('class="stream-item"') == 18


def test_the_api_lists_the_stream_with_a_cursor(alice, carol, client_for):
    for number in range(22):
        actions.create_post(alice, f"API {number}")
    client = client_for(carol)
    first = client.get("/api/v1/streams/?stream=home").json()
    assert len(first["results"]) == 20 and first["next"]
    second = client.get(f"/api/v1/streams/?stream=home&cursor={first['next']}").json()
    # the two oldest posts, and Carol's own welcome as a new colleague before them
    assert [item["verb"] for item in second["results"]] == ["posted", "posted", "joined"]
    assert second["next"] is None


def test_a_full_home_page_stays_under_100_kb(organisation, alice, bob, client_for):
    for number in range(25):
        post = actions.create_post(alice, f"Een flink bericht nummer {number} " + "tekst " * 300)
        actions.react(bob, post, "celebrate")
    response = client_for(bob).get("/")
    assert response.content.decode().count('class="stream-item"') == 20
    assert len(response.content) < 100 * 1024


def test_a_new_colleague_is_welcomed_in_their_department_only(
    organisation, alice, carol, client_for
):
    EmployeeFactory(first_name="Nieuwe", last_name="Collega", department=organisation["buildings"])
    assert "Nieuwe Collega" in texts(client_for(alice))
    assert "is nieuw bij ons. Welkom!" in texts(client_for(alice))
    assert "Nieuwe Collega" not in texts(client_for(carol))


def test_a_space_page_has_a_fixed_number_of_queries(
    alice, bob, open_space, client_for, django_assert_max_num_queries
):
    actions.join_space(bob, open_space)
    client = client_for(bob)

    def seed(count: int) -> None:
        for number in range(count):
            post = actions.create_post(
                alice, f"In de ruimte {number}", audience_kind="space", space=open_space
            )
            actions.react(bob, post, "like")

    seed(2)
    with django_assert_max_num_queries(30) as few:
        client.get(open_space.get_absolute_url())
    seed(12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(open_space.get_absolute_url())
    assert response.content.decode().count("In de ruimte") == 14
