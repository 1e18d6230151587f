"""Chat attachments can never be active content, keep no location, and stay in the chat."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from messaging.models import Message
from tests.uploads import (
    LIB_MJS,
    attacks,
    exif_of,
    kaart_svg,
    pdf_bytes,
    photo_with_gps,
    polyglot_gif,
    rooster_htm,
    stored_before_the_fix,
    upload,
)

pytestmark = pytest.mark.django_db

FILE_CSP = "default-src 'none'; sandbox"


def send(client, chat, attachment, body=""):
    return client.post(
        reverse("messaging:conversation", args=[chat.pk]),
        {"body": body, "client_id": uuid.uuid4().hex, "attachment": attachment},
    )


def assert_never_active(response):
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == FILE_CSP
    disposition = response["Content-Disposition"]
    if disposition.startswith("inline"):
        assert response["Content-Type"] in {"image/jpeg", "image/png", "image/webp"}
    else:
        assert disposition.startswith("attachment;")
        assert response["Content-Type"] == "application/octet-stream"


@pytest.mark.parametrize("name,data,declared", attacks(), ids=lambda v: str(v)[:12])
def test_the_attack_files_of_the_finding_are_refused_in_dutch(
    client, alice, direct, name, data, declared
):
    client.force_login(alice)
    response = send(client, direct, upload(name, data, declared))
    page = response.content.decode()
    assert response.status_code == 400  # the form again, with its error: never a 500
    assert "Dit soort bestand kun je niet versturen" in page or "geen foto" in page
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    "name,data,is_image",
    [
        ("lib.mjs", LIB_MJS, False),
        ("rooster.htm", rooster_htm(), True),  # declared image/png, so once an "image"
        ("kaart.svg", kaart_svg(), True),
        ("foto.png", b"<html><script>window.__pwned = true</script></html>", True),
    ],
    ids=["mjs", "htm", "svg", "html-named-png"],
)
def test_attachments_stored_before_the_fix_are_only_ever_downloads(
    client, alice, bob, direct, name, data, is_image
):
    message = stored_before_the_fix(direct, alice, name, data, is_image=is_image)
    client.force_login(bob)
    response = client.get(reverse("messaging:attachment", args=[message.pk]))
    assert_never_active(response)
    assert response["Content-Disposition"].startswith("attachment;")
    assert name in response["Content-Disposition"]


def test_a_photo_loses_its_gps_position_and_is_shown_inline_as_an_image(client, alice, direct):
    client.force_login(alice)
    send(client, direct, upload("werf.jpg", photo_with_gps(), "image/jpeg"))
    message = Message.objects.get()
    assert message.attachment_is_image and message.attachment_name == "werf.jpg"
    assert "werf" not in message.attachment.name  # a random name on disk
    response = client.get(reverse("messaging:attachment", args=[message.pk]))
    assert_never_active(response)
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Type"] == "image/jpeg"
    served = exif_of(b"".join(response.streaming_content))
    assert served["gps"] == {} and served["exif"] == {}
    assert "icc_profile" not in served["info"]


def test_a_polyglot_image_is_served_without_its_script(client, alice, direct):
    client.force_login(alice)
    send(client, direct, upload("kaart.gif", polyglot_gif(), "image/gif"))
    message = Message.objects.get()
    response = client.get(reverse("messaging:attachment", args=[message.pk]))
    body = b"".join(response.streaming_content)
    assert_never_active(response)
    assert b"<script" not in body and b"__pwned" not in body
    assert response["Content-Type"] == "image/png"  # its first frame, re-encoded


def test_a_document_is_a_download_under_its_original_name(client, alice, bob, direct):
    client.force_login(alice)
    send(client, direct, upload("Planning Dampoort (v2).pdf", pdf_bytes(), "application/pdf"))
    message = Message.objects.get()
    client.force_login(bob)
    response = client.get(reverse("messaging:attachment", args=[message.pk]))
    assert_never_active(response)
    assert response["Content-Disposition"] == ('attachment; filename="Planning Dampoort (v2).pdf"')
    assert response["Cache-Control"].startswith("private")


def test_an_attachment_answers_404_to_an_outsider_and_sends_anonymous_to_login(
    client, alice, carol, direct
):
    client.force_login(alice)
    send(client, direct, upload("plan.pdf", pdf_bytes(), "application/pdf"))
    url = reverse("messaging:attachment", args=[Message.objects.get().pk])
    assert client.get(url).status_code == 200
    client.force_login(carol)
    assert client.get(url).status_code == 404
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_api_takes_a_photo_and_refuses_an_attack_file_with_a_json_error(client, alice, direct):
    client.force_login(alice)
    url = reverse("messaging:api_messages", args=[direct.pk])
    refused = client.post(
        url, {"client_id": "api-1", "attachment": upload("lib.mjs", LIB_MJS, "text/javascript")}
    )
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["code"] == "attachment_type"
    assert error["detail"].startswith("Dit soort bestand kun je niet versturen.")
    sent = client.post(
        url,
        {"client_id": "api-2", "attachment": upload("werf.jpg", photo_with_gps(), "image/jpeg")},
    )
    assert sent.status_code == 201
    assert sent.json()["attachment"]["image"] is True
