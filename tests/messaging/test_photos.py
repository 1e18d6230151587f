"""A photo in a chat shows as a picture, not as a "foto.jpg" link; other files stay links."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

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
    client.force_login(bob)
    page = client.get(direct.get_absolute_url()).content.decode()
    assert (
        f'<a class="chat-photo" href="{url}"><img src="{url}" width="400" height="300" '
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


def test_a_photo_stored_before_its_size_was_kept_still_shows_without_size(client, alice, direct):
    client.force_login(alice)
    send(client, direct, upload("werf.jpg", photo_with_gps(), "image/jpeg"))
    Message.objects.update(attachment_width=0, attachment_height=0)
    page = client.get(direct.get_absolute_url()).content.decode()
    assert 'alt="Foto van Alice Claes" loading="lazy"></a>' in page
    assert 'width="0"' not in page


def test_a_non_member_gets_404_on_the_photo(client, alice, carol, direct):
    client.force_login(alice)
    send(client, direct, upload("werf.jpg", photo_with_gps(), "image/jpeg"))
    url = reverse("messaging:attachment", args=[Message.objects.get().pk])
    client.force_login(carol)
    assert client.get(url).status_code == 404
    assert client.get(direct.get_absolute_url()).status_code == 404
