"""A post's photo and file: no location in the photo, no active content, no leak from a space."""

from __future__ import annotations

import pytest

from streams import actions
from streams.models import Post
from tests.uploads import exif_of, pdf_bytes, photo_with_gps, rooster_htm, upload

pytestmark = pytest.mark.django_db

FILE_CSP = "default-src 'none'; sandbox"


def post_with_files(client, audience="all", **files):
    response = client.post(
        "/stroom/berichten/nieuw/",
        {"body": "De werf aan de Dampoort", "audience": audience, **files},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Post.objects.get()


def test_a_post_photo_loses_its_gps_position_and_its_name(client_for, alice, bob):
    post = post_with_files(
        client_for(alice), photo=upload("IMG_2041.jpg", photo_with_gps(orientation=6), "image/jpeg")
    )
    assert "IMG_2041" not in post.photo.name
    response = client_for(bob).get(f"/stroom/berichten/{post.pk}/foto/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == FILE_CSP
    served = exif_of(b"".join(response.streaming_content))
    assert served["gps"] == {} and served["exif"] == {}
    assert served["size"] == (20, 40)  # the phone's orientation applied before stripping it


def test_a_post_file_is_a_download_that_never_runs(client_for, alice, bob):
    post = post_with_files(
        client_for(alice), attachment=upload("rooster.pdf", pdf_bytes(), "application/pdf")
    )
    response = client_for(bob).get(f"/stroom/berichten/{post.pk}/bijlage/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="rooster.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == FILE_CSP


def test_an_html_page_declared_a_pdf_is_refused(client_for, alice):
    client = client_for(alice)
    response = client.post(
        "/stroom/berichten/nieuw/",
        {
            "body": "Rooster",
            "audience": "all",
            "attachment": upload("rooster.htm", rooster_htm(), "application/pdf"),
        },
    )
    assert response.status_code == 400
    assert "Voeg een pdf" in response.content.decode()
    assert not Post.objects.exists()


def test_a_closed_spaces_photo_and_file_answer_404_to_an_outsider(
    client_for, alice, bob, carol, closed_space
):
    member = client_for(alice)
    post = post_with_files(
        member,
        audience=f"space:{closed_space.pk}",
        photo=upload("opbouw.jpg", photo_with_gps(), "image/jpeg"),
        attachment=upload("opbouw.pdf", pdf_bytes(), "application/pdf"),
    )
    actions.join_space(bob, closed_space)  # asked, not yet approved: still outside
    for path in (f"/stroom/berichten/{post.pk}/foto/", f"/stroom/berichten/{post.pk}/bijlage/"):
        assert member.get(path).status_code == 200
        assert client_for(carol).get(path).status_code == 404
        assert client_for(bob).get(path).status_code == 404
    # Nor through a path on disk: no route serves the stored files.
    assert member.get(f"/media/{post.photo.name}").status_code == 404
    assert member.get(f"/media/{post.attachment.name}").status_code == 404
