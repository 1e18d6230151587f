from __future__ import annotations

import pytest

from streams.models import Activity, Post


@pytest.fixture
def alice_client(client_for, alice):
    return client_for(alice)


def test_the_home_page_shows_the_stream_with_its_filters(alice_client, alice, bob):
    from streams import actions

    actions.create_post(bob, "Nieuwe **ladders** in het magazijn")
    response = alice_client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>ladders</strong>" in html
    for label in ("Alles", "Gevolgd", "Mijn afdeling", "Aankondigingen"):
        assert label in html


def test_it_posts_to_all_staff_from_the_form(alice_client, alice):
    response = alice_client.post(
        "/stroom/berichten/nieuw/", {"body": "Koffie in de refter", "audience": "all"}
    )
    post = Post.objects.get()
    assert response.status_code == 302
    assert post.author == alice and post.audience_kind == "all"
    assert Activity.objects.filter(post=post, verb="posted").exists()
