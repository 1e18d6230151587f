"""A photo in a chat shows as a small picture, not as a "foto.jpg" link; other files stay links."""

from __future__ import annotations

import io
import uuid

import pytest
from django.urls import reverse
from PIL import Image

from messaging import actions, queries
from messaging.models import Message
from tests.uploads import pdf_bytes, photo_with_gps, upload

pytestmark = pytest.mark.django_db


def send(client, chat, attachment, body=""):
    return client.post(
        reverse("messaging:conversation", args=[chat.pk]),
        {"body": body, "client_id": uuid.uuid4().hex, "attachment": attachment},
    )


def test_it_shows_a_photo_as_a_sized_lazy_thumbnail_linking_to_the_full_image(
    client, alice, bob, direct
):
    client.force_login(alice)
    send(client, direct, upload("werf.jpg", photo_with_gps(size=(400, 300)), "image/jpeg"))
    message = Message.objects.get()
    url = reverse("messaging:attachment", args=[message.pk])
    small = reverse("messaging:thumbnail", args=[message.pk])
    client.force_login(bob)
    page = client.get(direct.get_absolute_url()).content.decode()
    assert (
        f'<a class="chat-photo" href="{url}"><img src="{small}" width="400" height="300" '
        f'alt="Foto van Alice Claes" loading="lazy"></a>'
    ) in page
    assert ">werf.jpg</a>" not in page  # no file-name link beside it


def test_it_keeps_a_document_as_a_link_with_its_size(client, alice, direct):
    client.force_login(alice)
    send(client, direct, upload("planning.pdf", pdf_bytes(), "application/pdf"))
    message = Message.objects.get()
    page = client.get(direct.get_absolute_url()).content.decode()
    url = reverse("messaging:attachment", args=[message.pk])
    assert f'<a href="{url}">planning.pdf</a>' in page
    assert "<img" not in page.split('id="chat"')[1].split("</ol>")[0]


def test_the_live_payload_carries_the_photo_size_for_the_page_script(alice, direct):
    photo = upload("werf.jpg", photo_with_gps(size=(300, 400)), "image/jpeg")
    message, _created = actions.send_message(
        alice, direct.pk, "", uuid.uuid4().hex, attachment=photo
    )
    attachment = queries.message_payload(message)["attachment"]
    assert attachment is not None
    assert attachment["image"] is True
    assert (attachment["width"], attachment["height"]) == (300, 400)
    assert attachment["thumbnail"] == reverse("messaging:thumbnail", args=[message.pk])


def test_a_large_photo_gets_a_small_copy_for_the_conversation(client, alice, bob, direct):
    photo = upload("werf.jpg", photo_with_gps(size=(2000, 1500)), "image/jpeg")
    message, _created = actions.send_message(
        alice, direct.pk, "", uuid.uuid4().hex, attachment=photo
    )
    client.force_login(bob)
    response = client.get(reverse("messaging:thumbnail", args=[message.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as small:
        assert small.size == (480, 360)
    full = client.get(reverse("messaging:attachment", args=[message.pk]))
    with Image.open(io.BytesIO(b"".join(full.streaming_content))) as image:
        assert image.size == (2000, 1500)  # a tap still opens the whole photo


def test_a_document_has_no_small_copy(client, alice, direct):
    client.force_login(alice)
    send(client, direct, upload("planning.pdf", pdf_bytes(), "application/pdf"))
    message = Message.objects.get()
    assert not message.attachment_thumbnail
    assert client.get(reverse("messaging:attachment", args=[message.pk])).status_code == 200
    assert client.get(reverse("messaging:thumbnail", args=[message.pk])).status_code == 404
    assert queries.message_payload(message)["attachment"]["thumbnail"] is None


def test_deleting_the_message_deletes_the_small_copy_too(client, alice, direct):
    client.force_login(alice)
    send(client, direct, upload("werf.jpg", photo_with_gps(), "image/jpeg"))
    message = Message.objects.get()
    storage, name = message.attachment_thumbnail.storage, message.attachment_thumbnail.name
    assert storage.exists(name)
    assert client.get(reverse("messaging:thumbnail", args=[message.pk])).status_code == 200
    actions.delete_message(alice, message.pk)
    assert not storage.exists(name)
    assert client.get(reverse("messaging:thumbnail", args=[message.pk])).status_code == 404


def test_a_photo_stored_before_its_size_was_kept_still_shows_without_size(client, alice, direct):
    client.force_login(alice)
    send(client, direct, upload("werf.jpg", photo_with_gps(), "image/jpeg"))
    Message.objects.update(attachment_width=0, attachment_height=0, attachment_thumbnail="")
    url = reverse("messaging:attachment", args=[Message.objects.get().pk])
    page = client.get(direct.get_absolute_url()).content.decode()
    assert f'<img src="{url}" alt="Foto van Alice Claes" loading="lazy"></a>' in page


def test_a_non_member_gets_404_on_the_photo(client, alice, carol, direct):
    client.force_login(alice)
    send(client, direct, upload("werf.jpg", photo_with_gps(), "image/jpeg"))
    message = Message.objects.get()
    for name in ("messaging:attachment", "messaging:thumbnail"):  # the control: a member
        assert client.get(reverse(name, args=[message.pk])).status_code == 200
    client.force_login(carol)
    for name in ("messaging:attachment", "messaging:thumbnail"):
        assert client.get(reverse(name, args=[message.pk])).status_code == 404
    assert client.get(direct.get_absolute_url()).status_code == 404
