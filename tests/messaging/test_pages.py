"""The conversation pages with plain HTTP: old terminal browsers, no JavaScript."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from messaging import actions, queries
from messaging.models import Membership, Message
from tests.factories import EmployeeFactory
from tests.kus.samples import png_bytes

pytestmark = pytest.mark.django_db


def test_a_message_is_sent_with_a_form_post_and_shows_on_the_page(client, alice, bob, direct):
    client.force_login(alice)
    url = reverse("messaging:conversation", args=[direct.pk])
    form = client.get(url).context["form"]
    response = client.post(
        url, {"body": "Zie *bijlage* op https://stad.gent", "client_id": form.initial["client_id"]}
    )
    message = Message.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#m{message.pk}")
    page = client.get(url).content.decode()
    assert "<em>bijlage</em>" in page and 'href="https://stad.gent"' in page
    assert "Bob Peeters" in page  # the title of a direct conversation is the other person


def test_the_file_field_has_a_label_of_its_own_for_screen_readers(client, alice, direct):
    # Opening "Bijlage" shows the file input: its summary names the fold, not the field.
    client.force_login(alice)
    page = client.get(reverse("messaging:conversation", args=[direct.pk])).content.decode()
    assert re.search(r'<label for="id_attachment"[^>]*>[^<]+</label>', page)


def test_posting_the_same_form_twice_sends_once(client, alice, direct):
    client.force_login(alice)
    url = reverse("messaging:conversation", args=[direct.pk])
    for _ in range(2):
        client.post(url, {"body": "Dubbel getikt", "client_id": "form-1"})
    assert Message.objects.count() == 1


def test_an_empty_message_gets_a_dutch_error_and_nothing_is_stored(client, alice, direct):
    client.force_login(alice)
    response = client.post(
        reverse("messaging:conversation", args=[direct.pk]), {"body": "  ", "client_id": "c-1"}
    )
    assert response.status_code == 400
    assert "Typ eerst een bericht." in response.content.decode()
    assert not Message.objects.exists()


def test_a_conversation_i_am_not_in_answers_404(client, alice, carol, direct):
    url = reverse("messaging:conversation", args=[direct.pk])
    client.force_login(alice)  # the control: its member opens both pages
    assert client.get(url).status_code == 200
    assert client.get(reverse("messaging:members", args=[direct.pk])).status_code == 200
    client.force_login(carol)
    assert client.get(url).status_code == 404
    assert client.post(url, {"body": "hallo", "client_id": "c-1"}).status_code == 404
    assert client.get(reverse("messaging:members", args=[direct.pk])).status_code == 404
    assert not Message.objects.exists()


def test_opening_the_conversation_marks_it_read_and_the_badge_drops(client, alice, bob, direct):
    actions.send_message(alice, direct.pk, "Nieuw voor Bob", "c-1")
    client.force_login(bob)
    inbox = client.get(reverse("messaging:inbox")).content.decode()
    assert re.search(r'data-badge="messages"[^>]*>1</span>', inbox)
    assert "1 ongelezen" in inbox
    client.get(reverse("messaging:conversation", args=[direct.pk]))
    assert queries.unread_total(bob) == 0
    home = client.get(reverse("home")).content.decode()
    assert re.search(r'data-badge="messages"[^>]* hidden>0</span>', home)


def test_alice_sees_gelezen_once_bob_has_read_in_a_direct_conversation(client, alice, bob, direct):
    actions.send_message(alice, direct.pk, "Gelezen?", "c-1")
    client.force_login(alice)
    url = reverse("messaging:conversation", args=[direct.pk])
    assert ">gelezen<" not in client.get(url).content.decode()
    actions.mark_read(bob, direct.pk, direct.messages.get().pk)
    assert ">gelezen<" in client.get(url).content.decode()


def test_a_group_shows_gelezen_door_and_hides_it_from_who_shares_no_receipts(
    client, alice, bob, dave, group
):
    message, _ = actions.send_message(alice, group.pk, "Wie leest dit?", "c-1")
    actions.mark_read(bob, group.pk, message.pk)
    actions.mark_read(dave, group.pk, message.pk)
    client.force_login(alice)
    url = reverse("messaging:conversation", args=[group.pk])
    assert ">gelezen door 2<" in client.get(url).content.decode()
    actions.update_preferences(alice, read_receipts=False, show_presence=True)
    assert ">gelezen door" not in client.get(url).content.decode()


def test_the_list_of_conversations_has_a_fixed_number_of_queries(
    client, alice, django_assert_max_num_queries
):
    client.force_login(alice)
    for _ in range(12):
        other = EmployeeFactory()
        chat, _ = actions.get_or_create_direct(alice, other)
        actions.send_message(other, chat.pk, "Hallo Alice", None)
    # One of them reads whether the others are online (messaging.queries.presence_for).
    with django_assert_max_num_queries(13):
        response = client.get(reverse("messaging:inbox"))
    assert response.content.decode().count("1 ongelezen") == 12
    assert response.content.decode().count("Hallo Alice") == 12  # the last message, previewed


def test_the_conversation_page_has_a_fixed_number_of_queries(
    client, alice, bob, group, django_assert_max_num_queries
):
    for number in range(30):
        actions.send_message(bob if number % 2 else alice, group.pk, f"bericht {number}", None)
    client.force_login(alice)
    with django_assert_max_num_queries(22):
        response = client.get(reverse("messaging:conversation", args=[group.pk]))
    assert "bericht 29" in response.content.decode()


def test_older_messages_are_paged(client, alice, bob, direct):
    for number in range(55):
        actions.send_message(alice, direct.pk, f"nummer {number}", f"c-{number}")
    client.force_login(bob)
    url = reverse("messaging:conversation", args=[direct.pk])
    page = client.get(url)
    assert "nummer 54" in page.content.decode() and "nummer 4<" not in page.content.decode()
    older = client.get(url, {"before": page.context["older"]}).content.decode()
    assert "nummer 4<" in older


def test_editing_is_possible_for_15_minutes_and_marks_the_message(client, alice, direct):
    message, _ = actions.send_message(alice, direct.pk, "Vergadering om 9 uur", "c-1")
    client.force_login(alice)
    url = reverse("messaging:edit", args=[direct.pk, message.pk])
    client.post(url, {"body": "Vergadering om 10 uur"})
    page = client.get(reverse("messaging:conversation", args=[direct.pk])).content.decode()
    assert "Vergadering om 10 uur" in page and "(bewerkt)" in page
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=16)):
        response = client.post(url, {"body": "Toch 11 uur"})
    assert response.status_code == 400
    assert "tot 15 minuten na het versturen" in response.content.decode()
    message.refresh_from_db()
    assert message.body == "Vergadering om 10 uur"


def test_deleting_leaves_a_tombstone(client, alice, bob, direct):
    message, _ = actions.send_message(alice, direct.pk, "Oeps, verkeerde persoon", "c-1")
    client.force_login(alice)
    client.post(reverse("messaging:delete", args=[direct.pk, message.pk]))
    client.force_login(bob)
    page = client.get(reverse("messaging:conversation", args=[direct.pk])).content.decode()
    assert "Dit bericht is verwijderd." in page and "verkeerde persoon" not in page


def test_bob_cannot_delete_alices_message(client, alice, bob, direct):
    message, _ = actions.send_message(alice, direct.pk, "Blijft staan", "c-1")
    client.force_login(bob)
    response = client.post(reverse("messaging:delete", args=[direct.pk, message.pk]))
    assert response.status_code == 404
    assert Message.objects.get().deleted is None
    client.force_login(alice)  # the control: Alice deletes her own
    client.post(reverse("messaging:delete", args=[direct.pk, message.pk]))
    assert Message.objects.get().deleted is not None


def test_a_reply_quotes_the_original(client, alice, bob, direct):
    original, _ = actions.send_message(alice, direct.pk, "Wie heeft de sleutel?", "c-1")
    client.force_login(bob)
    url = reverse("messaging:conversation", args=[direct.pk])
    client.post(url, {"body": "Ik!", "client_id": "c-2", "reply_to": original.pk})
    assert Message.objects.get(body="Ik!").reply_to == original
    assert "Alice Claes: Wie heeft de sleutel?" in client.get(url).content.decode()


def test_mentions_link_to_the_profile(client, alice, bob, direct):
    message, _ = actions.send_message(alice, direct.pk, "Vraag het aan @bob", "c-1")
    assert list(message.mentions.all()) == [bob]
    assert 'href="/mensen/bob/"' in message.html


def test_a_photo_is_attached_and_only_members_can_fetch_it(client, alice, carol, direct):
    client.force_login(alice)
    photo = SimpleUploadedFile("lek.png", png_bytes(), content_type="image/png")
    client.post(
        reverse("messaging:conversation", args=[direct.pk]),
        {"body": "", "client_id": "c-1", "attachment": photo},
    )
    message = Message.objects.get()
    assert message.attachment_is_image and message.attachment_name == "lek.png"
    url = reverse("messaging:attachment", args=[message.pk])
    assert client.get(url).status_code == 200
    client.force_login(carol)
    assert client.get(url).status_code == 404
    assert not message.attachment.name.startswith("/")
    # No public path serves it, not even to a member (it used to live outside /media/ for that).
    client.force_login(alice)
    assert client.get(f"/media/{message.attachment.name}").status_code == 404


def test_too_large_an_attachment_is_refused_in_dutch(client, alice, direct, settings):
    settings.MESSAGING_MAX_ATTACHMENT_BYTES = 1024 * 1024
    client.force_login(alice)
    big = SimpleUploadedFile("plan.pdf", b"x" * (1024 * 1024 + 1))
    response = client.post(
        reverse("messaging:conversation", args=[direct.pk]),
        {"body": "plan", "client_id": "c-1", "attachment": big},
    )
    assert "Een bijlage is hoogstens 1 MB groot." in response.content.decode()
    assert not Message.objects.exists()


def test_starting_a_direct_conversation_from_a_search(client, alice, bob):
    client.force_login(alice)
    page = client.get(reverse("messaging:new_direct"), {"q": "Peeters"}).content.decode()
    assert "Bob Peeters" in page
    response = client.post(reverse("messaging:new_direct"), {"username": "bob"})
    chat = Membership.objects.get(user=bob).conversation
    assert response["Location"] == chat.get_absolute_url()


def test_an_admin_builds_a_group_without_javascript(client, alice, bob, carol):
    client.force_login(alice)
    response = client.post(reverse("messaging:new_group"), {"name": "Kerstfeest dienst"})
    chat = Membership.objects.get(user=alice).conversation
    members_url = reverse("messaging:members", args=[chat.pk])
    assert response["Location"] == members_url
    assert "Carol Maes" in client.get(members_url, {"q": "Carol"}).content.decode()
    client.post(members_url, {"action": "add", "username": "carol"})
    client.post(members_url, {"action": "add", "username": "bob"})
    client.post(members_url, {"action": "remove", "username": "bob"})
    assert set(chat.memberships.values_list("user__username", flat=True)) == {"alice", "carol"}


def test_a_member_who_is_no_admin_cannot_remove_others(client, alice, bob, dave, group):
    client.force_login(bob)
    members_url = reverse("messaging:members", args=[group.pk])
    response = client.post(members_url, {"action": "remove", "username": "dave"}, follow=True)
    assert "Alleen de beheerders van de groep" in response.content.decode()
    assert group.memberships.filter(user=dave).exists()


def test_leaving_a_group(client, bob, group):
    client.force_login(bob)
    assert client.get(reverse("messaging:conversation", args=[group.pk])).status_code == 200
    response = client.post(reverse("messaging:members", args=[group.pk]), {"action": "leave"})
    assert response["Location"] == reverse("messaging:inbox")
    assert client.get(reverse("messaging:conversation", args=[group.pk])).status_code == 404


def test_a_muted_conversation_does_not_count_in_the_badge(client, alice, bob, direct):
    actions.send_message(alice, direct.pk, "Niet dringend", "c-1")
    client.force_login(bob)
    client.post(reverse("messaging:mute", args=[direct.pk]), {"muted": "1"})
    assert queries.unread_total(bob) == 0
    assert "op stil" in client.get(reverse("messaging:inbox")).content.decode()


def test_search_finds_only_my_own_conversations(client, alice, bob, carol, direct):
    actions.send_message(alice, direct.pk, "De fietsvergoeding is verhoogd", "c-1")
    private, _ = actions.get_or_create_direct(alice, carol)
    actions.send_message(alice, private.pk, "Fietsvergoeding voor Carol", "c-2")
    client.force_login(bob)
    page = client.get(reverse("messaging:search"), {"q": "fietsvergoeding"}).content.decode()
    assert "De fietsvergoeding is verhoogd" in page and "voor Carol" not in page


def test_privacy_settings_switch_off_receipts_and_presence(client, alice):
    client.force_login(alice)
    url = reverse("messaging:settings")
    assert "Leesbevestigingen delen" in client.get(url).content.decode()
    client.post(url, {})
    prefs = queries.preferences(alice)
    assert not prefs.read_receipts and not prefs.show_presence


def test_a_page_of_long_messages_stays_under_100_kb(client, alice, bob, direct):
    for number in range(20):
        actions.send_message(alice, direct.pk, f"{number} " + "lang verslag " * 700, None)
    client.force_login(bob)
    url = reverse("messaging:conversation", args=[direct.pk])
    response = client.get(url)
    assert len(response.content) < 100 * 1024
    assert response.context["older"]  # the rest is one tap away
    older = client.get(url, {"before": response.context["older"]})
    assert len(older.content) < 100 * 1024 and "lang verslag" in older.content.decode()


def test_an_admin_makes_another_member_admin(client, alice, bob, group):
    client.force_login(alice)
    members_url = reverse("messaging:members", args=[group.pk])
    assert "Maak beheerder" in client.get(members_url).content.decode()
    client.post(members_url, {"action": "admin", "username": "bob"})
    assert Membership.objects.get(conversation=group, user=bob).is_admin


def test_a_direct_conversation_shows_whether_the_other_is_online_unless_hidden(
    client, alice, bob, direct
):
    client.force_login(alice)
    url = reverse("messaging:conversation", args=[direct.pk])
    actions.touch_presence(bob.pk)
    assert ">online<" in client.get(url).content.decode()
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=5)):
        assert "laatst gezien 5\xa0minuten geleden" in client.get(url).content.decode()
    actions.update_preferences(bob, read_receipts=True, show_presence=False)
    page = client.get(url).content.decode()
    assert ">online<" not in page and "laatst gezien" not in page
