"""A personal address with double opt-in, and the digest choice, on the preferences page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from notifications.email import EmailSender, confirm_token
from notifications.models import DeliveryProfile, Digest, NotificationKind

PERSONAL = "alice.claes@example.be"


def confirmation_link(message) -> str:
    return re.search(r"http://127\.0\.0\.1:8000(/meldingen/voorkeuren/e-mail/\S+/)", message.body)[
        1
    ]


def profile_of(employee) -> DeliveryProfile:
    return DeliveryProfile.objects.get(employee=employee)


def add_address(client, address=PERSONAL):
    return client.post(reverse("email_address_add"), {"address": address})


def test_the_page_shows_the_work_address_and_the_forms(alice, client_for):
    page = client_for(alice).get(reverse("preferences")).content.decode()
    assert "alice@stad.gent" in page
    assert reverse("email_address_add") in page and reverse("email_digest") in page
    assert "Persoonlijk e-mailadres" in page and "Nooit verplicht" in page


def test_a_new_address_is_pending_and_gets_a_confirmation_link(
    alice, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = add_address(client_for(alice))
    assert response.status_code == 302
    profile = profile_of(alice)
    assert profile.personal_email == PERSONAL
    assert profile.personal_email_confirmed is None and not profile.use_personal_email
    [message] = mail.outbox
    assert message.to == [PERSONAL]
    assert message.subject == "Bevestig je e-mailadres voor Werkplek"
    assert "/meldingen/voorkeuren/e-mail/bevestigen/" in message.body
    assert "text/html" in [mimetype for _body, mimetype in message.alternatives]


def test_an_unconfirmed_address_gets_nothing(alice, bob):
    DeliveryProfile.objects.create(employee=bob, personal_email=PERSONAL, use_personal_email=True)
    # Alice, with her work address, is reached in the same call: the sender works.
    assert EmailSender().reachable({alice.pk, bob.pk}) == {alice.pk}


def test_a_confirmed_address_gets_the_mail(
    alice, client_for, django_capture_on_commit_callbacks, settings
):
    client = client_for(alice)
    with django_capture_on_commit_callbacks(execute=True):
        add_address(client)
    response = client.get(confirmation_link(mail.outbox[0]), follow=True)
    assert "Je persoonlijk e-mailadres is bevestigd." in response.content.decode()
    assert profile_of(alice).personal_email_confirmed is not None
    client.post(reverse("email_address_use"), {"use": "personal"})
    assert profile_of(alice).use_personal_email
    mail.outbox.clear()
    from notifications import actions

    with django_capture_on_commit_callbacks(execute=True):
        actions.notify([alice.pk], NotificationKind.TEST, title="Test", urgent=True)
    assert [message.to for message in mail.outbox] == [[PERSONAL]]


def test_a_field_worker_without_work_address_is_reached_once_confirmed(bob):
    DeliveryProfile.objects.create(
        employee=bob,
        personal_email=PERSONAL,
        use_personal_email=True,
        personal_email_confirmed=timezone.now(),
    )
    assert EmailSender().reachable({bob.pk}) == {bob.pk}


def test_the_personal_address_cannot_be_used_before_it_is_confirmed(
    alice, client_for, django_capture_on_commit_callbacks
):
    client = client_for(alice)
    with django_capture_on_commit_callbacks(execute=True):
        add_address(client)
    response = client.post(reverse("email_address_use"), {"use": "personal"}, follow=True)
    assert "Bevestig eerst je persoonlijk e-mailadres." in response.content.decode()
    assert not profile_of(alice).use_personal_email


def test_an_expired_link_is_refused(alice, client_for):
    DeliveryProfile.objects.create(employee=alice, personal_email=PERSONAL)
    # Sent two days and a minute ago (the session itself would not last that long).
    with time_machine.travel(timezone.now() - timedelta(days=2, minutes=1)):
        token = confirm_token(alice.pk, PERSONAL)
    response = client_for(alice).get(reverse("email_confirm", args=[token]), follow=True)
    assert "niet geldig of ouder dan twee dagen" in response.content.decode()
    assert profile_of(alice).personal_email_confirmed is None


def test_a_link_younger_than_two_days_works(alice, client_for):
    DeliveryProfile.objects.create(employee=alice, personal_email=PERSONAL)
    with time_machine.travel(timezone.now() - timedelta(days=1, hours=23)):
        token = confirm_token(alice.pk, PERSONAL)
    client_for(alice).get(reverse("email_confirm", args=[token]))
    assert profile_of(alice).personal_email_confirmed is not None


@pytest.mark.parametrize("kind", ["forged", "other address", "other employee"])
def test_a_forged_or_foreign_link_is_refused(alice, carol, client_for, kind):
    DeliveryProfile.objects.create(employee=alice, personal_email=PERSONAL)
    token = {
        "forged": signing.dumps({"e": alice.pk, "a": PERSONAL}, salt="not the right one"),
        "other address": confirm_token(alice.pk, "someone@example.be"),
        "other employee": confirm_token(carol.pk, PERSONAL),
    }[kind]
    response = client_for(alice).get(reverse("email_confirm", args=[token]), follow=True)
    assert response.status_code == 200
    assert "niet geldig" in response.content.decode()
    assert profile_of(alice).personal_email_confirmed is None


def test_the_link_needs_the_employee_logged_in(alice, client):
    DeliveryProfile.objects.create(employee=alice, personal_email=PERSONAL)
    response = client.get(reverse("email_confirm", args=[confirm_token(alice.pk, PERSONAL)]))
    assert response.status_code == 302 and "/meldingen/" not in response["Location"].split("?")[0]
    assert profile_of(alice).personal_email_confirmed is None
    # The control: logged in, the same link confirms it.
    client.force_login(alice)
    client.get(reverse("email_confirm", args=[confirm_token(alice.pk, PERSONAL)]))
    assert profile_of(alice).personal_email_confirmed is not None


@pytest.mark.parametrize(
    ("address", "error"),
    [
        ("geen-adres", "Dit is geen e-mailadres"),
        ("", "Vul een e-mailadres in."),
        ("alice@stad.gent", "Dit is je werkadres"),
    ],
)
def test_a_bad_address_gets_a_dutch_error_and_nothing_is_stored(
    alice, client_for, address, error, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = add_address(client_for(alice), address)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not DeliveryProfile.objects.filter(employee=alice).exclude(personal_email="").exists()
    assert mail.outbox == []
    # The control: a good address is stored, and the link to confirm it goes out.
    with django_capture_on_commit_callbacks(execute=True):
        add_address(client_for(alice), PERSONAL)
    assert DeliveryProfile.objects.filter(employee=alice, personal_email=PERSONAL).exists()
    assert [message.to for message in mail.outbox] == [[PERSONAL]]


def test_the_personal_address_is_removed_in_one_tap(alice, client_for):
    DeliveryProfile.objects.create(
        employee=alice,
        personal_email=PERSONAL,
        personal_email_confirmed=timezone.now(),
        use_personal_email=True,
    )
    client = client_for(alice)
    assert 'action="/meldingen/voorkeuren/e-mail/verwijderen/"' in (
        client.get(reverse("preferences")).content.decode()
    )
    assert client.post(reverse("email_address_remove")).status_code == 302
    profile = profile_of(alice)
    assert (profile.personal_email, profile.personal_email_confirmed) == ("", None)
    assert not profile.use_personal_email


def test_removing_needs_a_post(alice, client_for):
    assert client_for(alice).get(reverse("email_address_remove")).status_code == 405


def test_the_digest_frequency_is_chosen(alice, client_for):
    client = client_for(alice)
    assert client.post(reverse("email_digest"), {"digest": "daily"}).status_code == 302
    assert profile_of(alice).digest == Digest.DAILY
    page = client.get(reverse("preferences")).content.decode()
    assert 'value="daily" id="id_digest_daily" checked' in page
    response = client.post(reverse("email_digest"), {"digest": "hourly"})
    assert response.status_code == 200
    assert profile_of(alice).digest == Digest.DAILY


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_an_opted_in_personal_address_as_unconfirmed():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    def migrate(targets):
        executor = MigrationExecutor(connection)
        executor.migrate(targets)
        executor.loader.build_graph()
        return executor.loader.project_state(targets).apps

    old = migrate([("workplace", "0007_jobfailure"), ("notifications", "0002_delivery")])
    try:
        OldEmployee = old.get_model("workplace", "Employee")
        opted_in = OldEmployee.objects.create(
            username="an",
            personnel_number="700001",
            personal_email=PERSONAL,
            personal_email_opt_in=True,
        )
        OldEmployee.objects.create(
            username="jan",
            personnel_number="700002",
            personal_email="jan@example.be",
            personal_email_opt_in=False,
        )
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    [profile] = DeliveryProfile.objects.all()
    assert (profile.employee_id, profile.personal_email) == (opted_in.pk, PERSONAL)
    assert profile.personal_email_confirmed is None and not profile.use_personal_email
    # No work address, and the personal one not confirmed yet: nothing goes anywhere.
    assert EmailSender().reachable({opted_in.pk}) == set()


def test_confirmation_links_are_limited_per_hour(alice, client_for):
    client = client_for(alice)
    for number in range(5):
        assert add_address(client, f"alice{number}@example.be").status_code == 302
    response = add_address(client, "alice9@example.be")
    assert response.status_code == 200
    assert "Te veel bevestigingslinks" in response.content.decode()
    assert profile_of(alice).personal_email == "alice4@example.be"
