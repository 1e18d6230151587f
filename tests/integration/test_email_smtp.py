"""E-mail through Django's SMTP backend to a real SMTP server on loopback (aiosmtpd).

Needs no PostgreSQL or Redis: it runs in every tier. What arrives is parsed as a
mail program would: headers, and the plain-text and HTML parts of the alternative.
"""

from __future__ import annotations

import socket
from datetime import time
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from notifications import actions
from notifications.digests import send_digests
from notifications.models import DeliveryProfile, Digest, NotificationKind


class Inbox:
    """The aiosmtpd handler: keeps every message it is given."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    settings.SITE_URL = "https://werkplek.stad.gent"
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def always_at_work(alice):
    # Working around the clock, so that neither mail waits for working hours.
    DeliveryProfile.objects.create(
        employee=alice,
        work_days="1234567",
        work_start=time(0, 0),
        work_end=time(0, 0),
        digest=Digest.DAILY,
    )
    return alice


def parts(message: EmailMessage) -> dict[str, str]:
    return {part.get_content_type(): part.get_content() for part in message.iter_parts()}


def test_an_immediate_mail_and_a_digest_arrive_with_their_headers_and_parts(
    smtp, always_at_work, django_capture_on_commit_callbacks
):
    alice = always_at_work
    with django_capture_on_commit_callbacks(execute=True):
        actions.notify([alice.pk], NotificationKind.DIRECTIVE, title="Nieuwe werkkledij")
        actions.notify([alice.pk], NotificationKind.SURVEY, title="Tevredenheid 2026")
    assert len(smtp.received) == 1
    assert send_digests() == 1
    assert len(smtp.received) == 2

    (sender, recipients, immediate), (_sender, _recipients, digest) = smtp.received
    assert recipients == ["alice@stad.gent"] and "werkplek@stad.gent" in sender
    for message in (immediate, digest):
        assert message.get_content_type() == "multipart/alternative"
        assert set(parts(message)) == {"text/plain", "text/html"}
        unsubscribe = str(message["List-Unsubscribe"]).strip()  # a long header is folded
        assert (
            unsubscribe.startswith("<https://werkplek.stad.gent/")
            and "/e-mail/uitschrijven/" in unsubscribe
        )
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    assert immediate["Subject"] == "Lezen en bevestigen: Nieuwe werkkledij"
    assert "Openen in Werkplek" in parts(immediate)["text/html"]
    assert "Nieuwe werkkledij" in parts(immediate)["text/plain"]

    assert "Nieuw voor jou vandaag" in digest["Subject"]
    assert "Tevredenheid 2026" in parts(digest)["text/plain"]
    assert "Tevredenheid 2026" in parts(digest)["text/html"]


def test_a_mail_server_that_is_gone_makes_the_delivery_retry(
    settings, always_at_work, django_capture_on_commit_callbacks
):
    from notifications.models import Delivery, DeliveryStatus

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    with django_capture_on_commit_callbacks(execute=True):
        actions.notify([always_at_work.pk], NotificationKind.DIRECTIVE, title="Werkkledij")
    assert Delivery.objects.get().status == DeliveryStatus.RETRYING
