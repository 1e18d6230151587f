from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from streams import actions, ratelimit
from streams.models import Activity, Comment, Post, Topic


@pytest.fixture
def alice_client(client_for, alice):
    return client_for(alice)


def photo_bytes(size=(3000, 2000), image_format="PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, image_format)
    return out.getvalue()


def test_the_home_page_shows_the_stream_with_its_filters(alice_client, alice, bob):
    actions.create_post(bob, "Nieuwe **ladders** in het magazijn")
    html = alice_client.get("/").content.decode()
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


def test_it_refuses_an_empty_post_in_dutch(alice_client):
    response = alice_client.post("/stroom/berichten/nieuw/", {"body": "   ", "audience": "all"})
    assert response.status_code == 400
    assert "Schrijf eerst iets." in response.content.decode()
    assert not Post.objects.exists()


def test_it_refuses_a_post_over_2000_characters(alice_client):
    response = alice_client.post(
        "/stroom/berichten/nieuw/", {"body": "a" * 2001, "audience": "all"}
    )
    assert response.status_code == 400
    assert "2000" in response.content.decode()
    assert not Post.objects.exists()


def test_it_refuses_a_forged_audience(alice_client, organisation, closed_space, carol):
    # Alice may not address Burgerzaken, nor a space she is not in.
    other = actions.create_space(carol, "Loketten", "closed")
    for audience in (f"dept:{organisation['civil'].pk}", f"space:{other.pk}", "space:999"):
        response = alice_client.post(
            "/stroom/berichten/nieuw/", {"body": "Hallo", "audience": audience}
        )
        assert response.status_code == 400
        assert "Selecteer een geldige keuze" in response.content.decode()
    assert not Post.objects.exists()


def test_it_lets_an_employee_address_a_department_above_her(alice_client, organisation):
    response = alice_client.post(
        "/stroom/berichten/nieuw/",
        {"body": "Voor heel Facility", "audience": f"dept:{organisation['facility'].pk}"},
    )
    assert response.status_code == 302
    assert Post.objects.get().department == organisation["facility"]


def test_html_and_script_are_neutralised(alice):
    post = actions.create_post(
        alice, '<script>alert("x")</script><b onclick="steal()">vet</b> [klik](javascript:alert(1))'
    )
    assert "<script" not in post.body_html
    assert "onclick" not in post.body_html
    assert "javascript:" not in post.body_html


def test_a_mention_links_and_an_unknown_name_stays_plain_text(alice, bob):
    post = actions.create_post(alice, "Dank je @bob en @niemand!")
    assert 'href="/mensen/bob/"' in post.body_html
    assert "@Bob Peeters" in post.body_html
    assert "@niemand" in post.body_html and "/mensen/niemand/" not in post.body_html
    assert list(post.mentions.all()) == [bob]


def test_a_topic_links_to_its_page(alice_client, alice):
    post = actions.create_post(alice, "Fietsen herstellen #Fietsen")
    assert 'href="/stroom/onderwerpen/fietsen/"' in post.body_html
    assert Topic.objects.get().name == "fietsen"
    response = alice_client.get("/stroom/onderwerpen/fietsen/")
    assert "Fietsen herstellen" in response.content.decode()


def test_a_photo_is_resized_for_phones(alice_client, alice, bob, client_for):
    upload = SimpleUploadedFile("werf.png", photo_bytes(), content_type="image/png")
    response = alice_client.post(
        "/stroom/berichten/nieuw/", {"body": "De werf", "audience": "all", "photo": upload}
    )
    assert response.status_code == 302
    post = Post.objects.get()
    with Image.open(post.photo.path) as image:
        assert max(image.size) == 1600 and image.format == "JPEG"
    photo = client_for(bob).get(f"/stroom/berichten/{post.pk}/foto/")
    assert photo.status_code == 200


def test_a_file_that_claims_to_be_a_photo_but_is_not_is_refused(alice_client):
    fake = SimpleUploadedFile("foto.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    response = alice_client.post(
        "/stroom/berichten/nieuw/", {"body": "Kijk", "audience": "all", "photo": fake}
    )
    assert response.status_code == 400
    assert "Dit bestand is geen foto die we kunnen lezen." in response.content.decode()
    assert not Post.objects.exists()


def test_an_attachment_of_a_forbidden_type_is_refused(alice_client):
    upload = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    response = alice_client.post(
        "/stroom/berichten/nieuw/", {"body": "Bijlage", "audience": "all", "attachment": upload}
    )
    assert response.status_code == 400
    assert "Voeg een pdf" in response.content.decode()


def test_posting_is_rate_limited_per_employee(alice_client, alice, bob, monkeypatch):
    monkeypatch.setitem(ratelimit.LIMITS, "post", (2, 600))
    for number in range(2):
        alice_client.post("/stroom/berichten/nieuw/", {"body": f"n{number}", "audience": "all"})
    response = alice_client.post("/stroom/berichten/nieuw/", {"body": "n3", "audience": "all"})
    assert response.status_code == 400
    assert "Je post wel erg snel." in response.content.decode()
    assert Post.objects.count() == 2
    actions.create_post(bob, "Bob mag nog")  # the limit is per employee


def test_commenting_is_rate_limited(alice_client, alice, monkeypatch):
    monkeypatch.setitem(ratelimit.LIMITS, "comment", (1, 600))
    post = actions.create_post(alice, "Vraag")
    alice_client.post(f"/stroom/berichten/{post.pk}/reactie/", {"body": "een"})
    response = alice_client.post(
        f"/stroom/berichten/{post.pk}/reactie/", {"body": "twee"}, follow=True
    )
    assert "Je reageert wel erg snel." in response.content.decode()
    assert Comment.objects.count() == 1


def test_the_author_edits_with_a_bewerkt_marker_and_others_cannot(
    alice_client, alice, bob, client_for
):
    post = actions.create_post(alice, "Eerste versie")
    alice_client.post(f"/stroom/berichten/{post.pk}/bewerken/", {"body": "Tweede versie"})
    html = alice_client.get(f"/stroom/berichten/{post.pk}/").content.decode()
    assert "Tweede versie" in html and "bewerkt" in html
    response = client_for(bob).post(f"/stroom/berichten/{post.pk}/bewerken/", {"body": "Hack"})
    assert response.status_code == 403
    post.refresh_from_db()
    assert post.body == "Tweede versie"


def test_the_author_deletes_and_the_post_leaves_every_stream(alice_client, alice, bob, client_for):
    post = actions.create_post(alice, "Oeps, verkeerd")
    assert client_for(bob).get(f"/stroom/berichten/{post.pk}/").status_code == 200
    assert "Oeps" in client_for(bob).get("/").content.decode()
    alice_client.post(f"/stroom/berichten/{post.pk}/verwijderen/")
    assert client_for(bob).get(f"/stroom/berichten/{post.pk}/").status_code == 404
    assert "Oeps" not in client_for(bob).get("/").content.decode()


def test_replies_stay_one_level_deep(alice, bob):
    post = actions.create_post(alice, "Vraag")
    first = actions.add_comment(bob, post, "Antwoord")
    reply = actions.add_comment(alice, post, "Antwoord op antwoord", parent=first)
    deeper = actions.add_comment(bob, post, "Nog dieper", parent=reply)
    assert reply.parent == first and deeper.parent == first


def test_the_api_posts_and_answers_json_errors(alice_client, alice):
    response = alice_client.post(
        "/api/v1/streams/posts/", {"body": ""}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["detail"] == "Schrijf eerst iets."
    response = alice_client.post(
        "/api/v1/streams/posts/",
        {"body": "Via de API", "audience": "all"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["body"] == "Via de API"
