"""The SMS channel: the gateways, the sender, and proving a number is yours."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import timezone

from notifications import delivery, sms
from notifications.actions import notify
from notifications.models import (
    Channel,
    Delivery,
    DeliveryProfile,
    DeliveryStatus,
    NotificationKind,
)
from tests.auth import verified_login


@pytest.fixture
def gateway():
    """A real HTTP server on the loopback that answers with ``gateway.status``."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers["Content-Length"])
            server.received.append(
                {
                    "path": self.path,
                    "authorization": self.headers["Authorization"],
                    "content_type": self.headers["Content-Type"],
                    "body": json.loads(self.rfile.read(length)),
                }
            )
            self.send_response(server.status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"id": "msg-1"}')

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    server.received = []
    server.status = 202
    server.url = f"http://127.0.0.1:{server.server_port}/v1/sms"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def http_gateway(settings, gateway):
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = gateway.url
    settings.SMS_GATEWAY_TOKEN = "geheim-token"
    settings.SMS_SENDER = "StadGent"
    return gateway


def confirmed_number(employee, number="+32475123456"):
    DeliveryProfile.objects.update_or_create(
        employee=employee, defaults={"sms_number": number, "sms_confirmed": timezone.now()}
    )


# --- the gateways ----------------------------------------------------------------------


def test_the_http_gateway_posts_json_with_the_bearer_token(http_gateway):
    detail = sms.backend().send_sms("+32475123456", "Dringend: test")
    assert detail == "gateway 202 id msg-1"
    [request] = http_gateway.received
    assert request["path"] == "/v1/sms"
    assert request["authorization"] == "Bearer geheim-token"
    assert request["content_type"] == "application/json"
    assert request["body"] == {"to": "+32475123456", "from": "StadGent", "text": "Dringend: test"}


@pytest.mark.parametrize("status", [400, 429, 500, 503])
def test_the_http_gateway_raises_on_anything_but_2xx(http_gateway, status):
    http_gateway.status = status
    with pytest.raises(sms.SmsGatewayError, match=str(status)):
        sms.backend().send_sms("+32475123456", "Dringend")


def test_an_unreachable_gateway_raises_so_that_the_core_retries(settings):
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/nobody-listens"
    with pytest.raises(sms.SmsGatewayError, match="unreachable"):
        sms.backend().send_sms("+32475123456", "Dringend")


def test_the_console_backend_is_the_default_and_logs(settings, caplog):
    settings.SMS_BACKEND = "console"
    with caplog.at_level("INFO", logger="notifications.sms"):
        assert sms.backend().send_sms("+32475123456", "Hallo") == "console"
    assert "+32475123456: Hallo" in caplog.text


def test_an_unknown_backend_or_a_missing_url_fails_loudly(settings):
    settings.SMS_BACKEND = "carrier-pigeon"
    with pytest.raises(ImproperlyConfigured):
        sms.backend()
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = ""
    with pytest.raises(ImproperlyConfigured):
        sms.backend()


# --- the channel -----------------------------------------------------------------------


def test_sms_is_a_channel_of_the_delivery_core():
    assert delivery.SENDER_PATHS[Channel.SMS] == "notifications.sms.SmsSender"
    assert Channel.SMS in delivery.OUTSIDE_CHANNELS


def test_only_a_confirmed_number_is_reachable(alice, bob, carol):
    confirmed_number(alice)
    DeliveryProfile.objects.create(employee=bob, sms_number="+32475000000")  # unconfirmed
    assert sms.SmsSender().reachable({alice.pk, bob.pk, carol.pk}) == {alice.pk}


def test_an_urgent_line_goes_out_as_one_short_sms(
    alice, bob, http_gateway, django_capture_on_commit_callbacks
):
    confirmed_number(bob)
    with django_capture_on_commit_callbacks(execute=True):
        notify([bob.pk], NotificationKind.URGENT, title="Gaslek " * 40, url="/", urgent=True)
    [request] = http_gateway.received
    text = request["body"]["text"]
    assert len(text) <= sms.SMS_LIMIT
    assert text.startswith("Dringend: Gaslek")
    assert text.endswith(f"/meldingen/{Delivery.objects.get().notification_id}/")
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_a_failing_gateway_is_retried_and_other_kinds_never_go_by_sms(
    alice, bob, http_gateway, django_capture_on_commit_callbacks
):
    confirmed_number(bob)
    with django_capture_on_commit_callbacks(execute=True):
        notify([bob.pk], NotificationKind.MENTION, actor=alice, title="Hoi")
    assert not Delivery.objects.exists()
    http_gateway.status = 503
    with django_capture_on_commit_callbacks(execute=True):
        notify([bob.pk], NotificationKind.URGENT, title="Brand", url="/", urgent=True)
    assert Delivery.objects.get().status == DeliveryStatus.RETRYING


# --- the number and its code -------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("0475 12 34 56", "+32475123456"),
        ("0475/12.34.56", "+32475123456"),
        ("+32 475 12 34 56", "+32475123456"),
        ("0032475123456", "+32475123456"),
        ("+32 (0)475 12 34 56", "+32475123456"),
        ("0456-12-34-56", "+32456123456"),
    ],
)
def test_it_normalizes_belgian_mobile_numbers(typed, number):
    assert sms.normalize_number(typed) == number


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Vul je gsm-nummer in."),
        ("09 266 11 11", "Dit is geen Belgisch gsm-nummer"),
        ("0475 12 34", "Dit is geen Belgisch gsm-nummer"),
        ("+31 6 12345678", "Alleen Belgische gsm-nummers"),
        ("0475 12 34 5x", "Een telefoonnummer bevat alleen cijfers"),
    ],
)
def test_it_explains_a_wrong_number_in_dutch(db, typed, message):
    with pytest.raises(ValidationError) as error:
        sms.normalize_number(typed)
    assert message in error.value.messages[0]


def sent_code(caplog) -> str:
    return caplog.records[-1].getMessage().split("code is ")[1][:6]


@pytest.fixture
def console(settings, caplog):
    settings.SMS_BACKEND = "console"
    caplog.set_level("INFO", logger="notifications.sms")
    return caplog


def test_a_number_counts_once_its_code_is_typed(alice, console):
    assert sms.start_confirmation(alice, "0475 12 34 56") == "+32475123456"
    profile = DeliveryProfile.objects.get(employee=alice)
    code = sent_code(console)
    assert profile.sms_confirmed is None and code not in profile.sms_code  # hashed
    assert sms.SmsSender().reachable({alice.pk}) == set()
    sms.confirm(alice, code)
    assert sms.SmsSender().reachable({alice.pk}) == {alice.pk}


def test_a_code_expires_after_15_minutes(alice, console):
    sms.start_confirmation(alice, "0475 12 34 56")
    later = timezone.now() + timedelta(minutes=16)
    with time_machine.travel(later), pytest.raises(ValidationError, match="verlopen"):
        sms.confirm(alice, sent_code(console))


def test_five_wrong_tries_spend_the_code(alice, console):
    sms.start_confirmation(alice, "0475 12 34 56")
    code = sent_code(console)
    wrong = "000000" if code != "000000" else "111111"
    for left in (4, 3, 2, 1):
        with pytest.raises(ValidationError, match=f"nog {left} pogingen"):
            sms.confirm(alice, wrong)
    with pytest.raises(ValidationError, match="Te veel foute codes"):
        sms.confirm(alice, wrong)
    with pytest.raises(ValidationError, match="Te veel foute codes"):
        sms.confirm(alice, code)  # even the right one, now
    assert DeliveryProfile.objects.get(employee=alice).sms_confirmed is None


def test_a_new_code_waits_a_minute(alice, console):
    sms.start_confirmation(alice, "0475 12 34 56")
    with pytest.raises(ValidationError, match="Wacht een minuut"):
        sms.start_confirmation(alice, "0475 12 34 56")


def test_a_gateway_failure_leaves_no_code_standing(alice, http_gateway):
    http_gateway.status = 500
    with pytest.raises(sms.SmsGatewayError):
        sms.start_confirmation(alice, "0475 12 34 56")
    profile = DeliveryProfile.objects.get(employee=alice)
    assert profile.sms_code == "" and profile.sms_code_sent is None


def test_the_preferences_page_enters_confirms_and_removes_a_number(client, alice, console):
    verified_login(client, alice)
    page = client.get("/meldingen/voorkeuren/").content.decode()
    assert "Stuur me een code" in page
    response = client.post("/meldingen/voorkeuren/sms/", {"number": "0475123456"}, follow=True)
    assert "We stuurden een code naar +32475123456" in response.content.decode()
    assert "Bevestig mijn nummer" in response.content.decode()
    response = client.post(
        "/meldingen/voorkeuren/sms/bevestigen/", {"code": sent_code(console)}, follow=True
    )
    assert "Je nummer is bevestigd" in response.content.decode()
    assert "Dit nummer verwijderen" in response.content.decode()
    response = client.post("/meldingen/voorkeuren/sms/verwijderen/", follow=True)
    assert "Stuur me een code" in response.content.decode()
    assert DeliveryProfile.objects.get(employee=alice).sms_number == ""


def test_a_wrong_number_on_the_page_is_explained(client, alice, console):
    verified_login(client, alice)
    response = client.post("/meldingen/voorkeuren/sms/", {"number": "09 266 11 11"}, follow=True)
    assert "Dit is geen Belgisch gsm-nummer" in response.content.decode()
    assert not DeliveryProfile.objects.filter(employee=alice).exclude(sms_number="").exists()
    # The control: a Belgian mobile number is kept.
    client.post("/meldingen/voorkeuren/sms/", {"number": "0475123456"})
    assert DeliveryProfile.objects.get(employee=alice).sms_number == "+32475123456"


def test_a_number_removed_before_sending_is_given_up_not_retried(
    alice, bob, console, monkeypatch, django_capture_on_commit_callbacks
):
    confirmed_number(bob)
    sent = []
    # The number goes between planning and sending (the delivery waits for its worker).
    original = sms.SmsSender.send

    def remove_first(self, delivery):
        sms.remove(bob)
        sent.append(delivery.pk)
        return original(self, delivery)

    monkeypatch.setattr(sms.SmsSender, "send", remove_first)
    with django_capture_on_commit_callbacks(execute=True):
        notify([bob.pk], NotificationKind.URGENT, title="Brand", url="/", urgent=True)
    delivery = Delivery.objects.get()
    assert sent == [delivery.pk]
    assert (delivery.status, delivery.detail) == (DeliveryStatus.FAILED, "no confirmed SMS number")
