"""A directive's attachments: only for whoever may read the directive, and never active content."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from kus import actions
from kus.models import Attachment
from tests.auth import verified_login
from tests.factories import PASSWORD, AudienceFactory
from tests.kus.conftest import make_directive
from tests.uploads import exif_of, kaart_svg, pdf_bytes, photo_with_gps, upload

pytestmark = pytest.mark.django_db

FILE_CSP = "default-src 'none'; sandbox"


@pytest.fixture
def restricted(editor, reviewer, organisation):
    """A restricted directive for Burgerzaken (Carol's department) only."""
    audience = AudienceFactory()
    audience.departments.add(organisation["civil"])
    directive = make_directive(
        editor,
        reviewer,
        owner=organisation["civil"],
        title="Fraudeonderzoek aan het loket",
        audience=audience,
        restricted=True,
    )
    actions.add_attachment(editor, directive, "Draaiboek fraude.pdf", pdf_bytes())
    actions.submit_for_review(editor, directive)
    actions.publish(reviewer, directive)
    directive.refresh_from_db()
    return directive


def test_a_restricted_directives_attachment_answers_404_to_an_outsider_and_200_to_its_audience(
    client, restricted, alice, carol
):
    attachment = restricted.current_version.attachments.get()
    url = attachment.get_absolute_url()
    client.login(username="alice", password=PASSWORD)
    assert client.get(url).status_code == 404
    # Nor by its path on disk, which once was /media/kus/<year>/<hash>/<name>.
    assert client.get(f"/media/{attachment.file.name}").status_code == 404
    client.login(username="carol", password=PASSWORD)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="Draaiboek fraude.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == FILE_CSP
    client.logout()
    assert client.get(url)["Location"].startswith("/accounts/login/")


def test_an_attachment_stored_under_its_own_name_before_the_fix_is_a_download(
    client, restricted, carol
):
    # KUS once served images inline with the stored content type: an SVG in disguise ran.
    attachment = restricted.current_version.attachments.get()
    field = Attachment._meta.get_field("file")
    name = field.storage.save(f"kus/2026/ab/{uuid.uuid4().hex}/kaart.svg", ContentFile(kaart_svg()))
    Attachment.objects.filter(pk=attachment.pk).update(
        file=name, kind="image", content_type="image/svg+xml"
    )
    client.login(username="carol", password=PASSWORD)
    response = client.get(attachment.get_absolute_url())
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Security-Policy"] == FILE_CSP


def test_an_image_is_reencoded_without_its_position_and_shown_inline(
    client, editor, reviewer, organisation
):
    directive = make_directive(editor, reviewer, owner=organisation["civil"])
    attachment = actions.add_attachment(editor, directive, "plan.jpg", photo_with_gps())
    assert "plan" not in attachment.file.name
    verified_login(client, editor)
    response = client.get(attachment.get_absolute_url())
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline;")
    assert exif_of(b"".join(response.streaming_content))["gps"] == {}


def test_an_svg_declared_a_png_is_refused_in_dutch(client, editor, reviewer, organisation):
    directive = make_directive(editor, reviewer, owner=organisation["civil"])
    verified_login(client, editor)
    response = client.post(
        reverse("kus:workflow", args=[directive.pk, "bijlage"]),
        {"file": upload("kaart.png", kaart_svg(), "image/png")},
        follow=True,
    )
    assert response.status_code == 200
    assert "Deze afbeelding kan niet gelezen worden." in response.content.decode()
    assert not Attachment.objects.filter(version__directive=directive, name="kaart.png").exists()
