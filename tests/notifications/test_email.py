"""The e-mail channel: immediate mails, their headers, and one-click unsubscribing."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from notifications import actions, queries
from notifications.email import EmailSender, unsubscribe_token
from notifications.models import (
    Channel,
    Delivery,
    DeliveryProfile,
    DeliveryStatus,
    NotificationKind,
)

GHENT = ZoneInfo("Europe/Brussels")
# A Monday morning in Ghent: within everybody's default working hours.
MONDAY_MORNING = datetime(2026, 12, 7, 10, 0, tzinfo=GHENT)


@pytest.fixture
def at_work():
    with time_machine.travel(MONDAY_MORNING, tick=False) as traveller:
        yield traveller


def tell(recipient, kind=NotificationKind.DIRECTIVE, title="Nieuwe werkkledij", **kwargs):
    actions.notify([recipient.pk], kind, title=title, url="/kus/2026-12/", **kwargs)


def the_html(message) -> str:
    return next(body for body, mimetype in message.alternatives if mimetype == "text/html")


def test_it_mails_an_immediate_line_in_dutch_with_html_and_text(
    alice, at_work, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tell(alice)
    [message] = mail.outbox
    assert message.to == ["alice@stad.gent"]
    assert message.subject == "Lezen en bevestigen: Nieuwe werkkledij"
    assert "Lezen en bevestigen: Nieuwe werkkledij" in message.body
    assert "http://127.0.0.1:8000/meldingen/" in message.body  # the link to the line
    html = the_html(message)
    assert "Openen in Werkplek" in html and 'href="http://127.0.0.1:8000/meldingen/' in html
    assert "/meldingen/voorkeuren/" in html  # why, and where to change it
    assert "Lezen en bevestigen" in html  # the kind, in the footer
    delivery = Delivery.objects.get(channel=Channel.EMAIL)
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempt_log.get().outcome == DeliveryStatus.SENT


def test_it_carries_a_one_click_list_unsubscribe(
    alice, at_work, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://werkplek.stad.gent"
    with django_capture_on_commit_callbacks(execute=True):
        tell(alice)
    [message] = mail.outbox
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<https://werkplek.stad.gent/") and header.endswith(">")
    assert "/meldingen/voorkeuren/e-mail/uitschrijven/" in header
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert header[1:-1] in the_html(message)  # the same link, visible in the footer


def test_one_click_is_offered_only_over_https(alice, at_work, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tell(alice)  # SITE_URL is http in tests, as on a developer's machine
    [message] = mail.outbox
    assert "List-Unsubscribe" in message.extra_headers
    assert "List-Unsubscribe-Post" not in message.extra_headers


def test_it_waits_for_working_hours_unless_urgent(alice, django_capture_on_commit_callbacks):
    with (
        time_machine.travel(datetime(2026, 12, 5, 11, 0, tzinfo=GHENT), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        tell(alice)  # a Saturday
        assert mail.outbox == []
        tell(alice, NotificationKind.URGENT, title="Stormschade", urgent=True)
    [message] = mail.outbox
    assert "Stormschade" in message.subject
    assert "List-Unsubscribe" not in message.extra_headers  # urgent cannot be switched off


def test_an_employee_without_any_address_is_not_reachable(alice, bob):
    assert EmailSender().reachable({alice.pk, bob.pk}) == {alice.pk}


def test_an_address_that_went_away_gives_up_without_retrying(
    alice, at_work, django_capture_on_commit_callbacks
):
    alice.email = "alice@stad.gent"
    with django_capture_on_commit_callbacks(execute=True):
        type(alice).objects.filter(pk=alice.pk).update(email="")
        tell(alice, NotificationKind.TEST, title="Test")
    # unreachable when planned: nothing was planned at all
    assert not Delivery.objects.exists() and mail.outbox == []
    # The control: with her address back, the same line goes out.
    with django_capture_on_commit_callbacks(execute=True):
        type(alice).objects.filter(pk=alice.pk).update(email="alice@stad.gent")
        tell(alice, NotificationKind.TEST, title="Test")
    assert [message.to for message in mail.outbox] == [["alice@stad.gent"]]


def test_a_failing_mail_server_is_retried(
    alice, at_work, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(self, *args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
    with django_capture_on_commit_callbacks(execute=True):
        tell(alice)
    delivery = Delivery.objects.get(channel=Channel.EMAIL)
    assert delivery.status == DeliveryStatus.RETRYING
    assert "smtp down" in delivery.attempt_log.get().detail


# --- one-click unsubscribe -------------------------------------------------------------


def test_one_click_unsubscribe_works_without_login_or_csrf(alice):
    client = Client(enforce_csrf_checks=True)
    url = reverse("email_unsubscribe", args=[unsubscribe_token(alice.pk, "directive")])
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert queries.preferences_for(alice)[("directive", Channel.EMAIL)] is False
    assert queries.preferences_for(alice)[("survey", Channel.EMAIL)] is True  # only that kind


def test_opening_the_unsubscribe_link_asks_first(alice):
    url = reverse("email_unsubscribe", args=[unsubscribe_token(alice.pk, "directive")])
    response = Client().get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<form" in page and 'method="post"' in page
    assert queries.preferences_for(alice)[("directive", Channel.EMAIL)] is True


def test_the_digest_can_be_switched_off_by_its_link(alice):
    url = reverse("email_unsubscribe", args=[unsubscribe_token(alice.pk, "digest")])
    assert Client().post(url).status_code == 200
    assert DeliveryProfile.objects.get(employee=alice).digest == "never"


@pytest.mark.parametrize("token", ["nonsense", "x" * 80])
def test_a_bad_unsubscribe_token_answers_a_dutch_error(alice, token):
    response = Client().post(reverse("email_unsubscribe", args=[token]))
    assert response.status_code == 400
    assert "Deze uitschrijflink is niet geldig" in response.content.decode()


def test_a_token_for_another_purpose_is_refused(alice):
    from django.core import signing

    forged = signing.dumps({"e": alice.pk, "k": "directive"}, salt="something else")
    response = Client().post(reverse("email_unsubscribe", args=[forged]))
    assert response.status_code == 400
    assert queries.preferences_for(alice)[("directive", Channel.EMAIL)] is True
