"""The e-mail digest: due daily or weekly, within working hours, once, without what was read."""

from __future__ import annotations

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import translation

from notifications import actions
from notifications.digests import claim, send_digests
from notifications.models import (
    Delivery,
    DeliveryAttempt,
    DeliveryProfile,
    DeliveryStatus,
    Digest,
    NotificationKind,
)
from streams import actions as streams_actions

GHENT = ZoneInfo("Europe/Brussels")


def ghent(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in December 2026: the 7th and the 14th are Mondays, the 12th a Saturday."""
    return datetime(2026, 12, day, hour, minute, tzinfo=GHENT)


@pytest.fixture
def notify_at(django_capture_on_commit_callbacks):
    def tell(moment, recipient, title, kind=NotificationKind.SURVEY):
        with (
            time_machine.travel(moment, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            actions.notify([recipient.pk], kind, title=title, url="/enquetes/1/")

    return tell


def run_at(moment) -> int:
    with time_machine.travel(moment, tick=False):
        return send_digests()


def daily(employee) -> None:
    DeliveryProfile.objects.update_or_create(employee=employee, defaults={"digest": Digest.DAILY})


def test_a_waiting_kind_goes_into_the_digest_not_out_at_once(alice, notify_at):
    notify_at(ghent(9, 10), alice, "Tevredenheid")
    assert mail.outbox == []
    assert Delivery.objects.get().status == DeliveryStatus.DIGEST


def test_the_weekly_digest_goes_on_the_first_working_day_of_the_week(alice, notify_at, settings):
    settings.SITE_URL = "https://werkplek.stad.gent"
    notify_at(ghent(9, 10), alice, "Tevredenheid")  # a Wednesday
    assert run_at(ghent(9, 10, 15)) == 0
    assert run_at(ghent(11, 16)) == 0  # Friday
    assert run_at(ghent(14, 7, 45)) == 0  # Monday, before working hours
    assert run_at(ghent(14, 8, 0)) == 1
    [message] = mail.outbox
    assert message.to == ["alice@stad.gent"]
    assert "Nieuw voor jou deze week" in message.subject
    assert "Nieuw voor jou deze week" in message.body and "Tevredenheid" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_running_twice_sends_nothing_twice(alice, notify_at):
    notify_at(ghent(9, 10), alice, "Tevredenheid")
    assert run_at(ghent(14, 8, 0)) == 1
    assert run_at(ghent(14, 8, 15)) == 0
    notify_at(ghent(14, 9), alice, "Nog een")  # the week's digest went already
    assert run_at(ghent(14, 9, 15)) == 0
    assert run_at(ghent(15, 9, 15)) == 0
    assert len(mail.outbox) == 1
    assert Delivery.objects.get(notification__title="Tevredenheid").status == DeliveryStatus.SENT
    assert Delivery.objects.get(notification__title="Nog een").status == DeliveryStatus.DIGEST


def test_the_daily_digest_goes_once_per_working_day(alice, notify_at):
    daily(alice)
    notify_at(ghent(9, 10), alice, "Eerste")
    assert run_at(ghent(9, 10, 15)) == 1
    notify_at(ghent(9, 11), alice, "Tweede")
    assert run_at(ghent(9, 11, 15)) == 0  # today's went already
    assert run_at(ghent(10, 7, 30)) == 0  # Thursday, before working hours
    assert run_at(ghent(10, 8, 0)) == 1
    assert "Nieuw voor jou vandaag" in mail.outbox[1].subject
    assert "Tweede" in mail.outbox[1].body and "Eerste" not in mail.outbox[1].body


def test_no_digest_at_the_weekend_or_in_the_evening(alice, notify_at):
    daily(alice)
    notify_at(ghent(11, 18), alice, "Na de uren")  # Friday evening
    assert run_at(ghent(11, 18, 15)) == 0
    assert run_at(ghent(12, 10)) == 0  # Saturday
    assert run_at(ghent(13, 10)) == 0  # Sunday
    assert run_at(ghent(14, 8, 0)) == 1
    assert mail.outbox[0].to == ["alice@stad.gent"]


def test_read_items_are_left_out(alice, notify_at):
    daily(alice)
    notify_at(ghent(9, 9), alice, "Gelezen enquête")
    notify_at(ghent(9, 9), alice, "Open enquête")
    line = alice.notifications.get(title="Gelezen enquête")
    actions.mark_read(alice, [line.pk])
    assert run_at(ghent(9, 10)) == 1
    [message] = mail.outbox
    assert "Open enquête" in message.body and "Gelezen enquête" not in message.body
    skipped = Delivery.objects.get(notification=line)
    assert (skipped.status, skipped.detail) == (DeliveryStatus.SKIPPED, "read in the app")


def test_nothing_is_sent_when_everything_was_read(alice, notify_at):
    daily(alice)
    notify_at(ghent(9, 9), alice, "Gelezen")
    actions.mark_read(alice)
    assert run_at(ghent(9, 10)) == 0
    assert mail.outbox == []
    # The control: an unread line goes out in the next day's digest.
    notify_at(ghent(10, 9), alice, "Ongelezen")
    assert run_at(ghent(10, 10)) == 1
    assert "Ongelezen" in mail.outbox[0].body


def test_a_restricted_target_is_left_out(
    alice, carol, lies, notify_at, django_capture_on_commit_callbacks
):
    daily(alice)
    with (
        time_machine.travel(ghent(9, 9), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        post = streams_actions.create_post(carol, "Geheim voorstel @alice")
        streams_actions.hide_post(lies, post, "Ongepast")
    notify_at(ghent(9, 9), alice, "Open enquête")
    assert Delivery.objects.filter(notification__kind=NotificationKind.MENTION).exists()
    assert run_at(ghent(9, 10)) == 1
    [message] = mail.outbox
    assert "Open enquête" in message.body and "Geheim voorstel" not in message.body
    hidden = Delivery.objects.get(notification__kind=NotificationKind.MENTION)
    assert (hidden.status, hidden.detail) == (DeliveryStatus.SKIPPED, "no longer visible")


def test_items_are_grouped_by_kind_in_html_and_text(alice, notify_at):
    daily(alice)
    notify_at(ghent(9, 9), alice, "Enquête één")
    notify_at(ghent(9, 9), alice, "Enquête twee")
    notify_at(ghent(9, 9), alice, "Nieuwe parking", NotificationKind.ANNOUNCEMENT)
    assert run_at(ghent(9, 10)) == 1
    [message] = mail.outbox
    html = next(body for body, mimetype in message.alternatives if mimetype == "text/html")
    with translation.override("nl"):
        surveys = str(NotificationKind.SURVEY.label)
    assert surveys != "A new survey for me" and f"{surveys} (2)" in message.body
    assert html.count("<h2") == 2
    assert "Nieuwe parking" in html and "Enquête twee" in html


def test_every_entry_is_in_the_delivery_log(alice, notify_at):
    daily(alice)
    notify_at(ghent(9, 9), alice, "Een")
    notify_at(ghent(9, 9), alice, "Twee")
    run_at(ghent(9, 10))
    assert DeliveryAttempt.objects.filter(outcome=DeliveryStatus.SENT).count() == 2
    assert DeliveryProfile.objects.get(employee=alice).digest_sent == ghent(9, 10)


def test_a_second_worker_claims_nothing(alice, notify_at):
    daily(alice)
    notify_at(ghent(9, 9), alice, "Een")
    first = claim(alice.pk, ghent(9, 10))
    assert len(first) == 1 and claim(alice.pk, ghent(9, 10)) == []


def test_a_digest_whose_worker_died_waits_for_the_next_digest_not_a_mail_each(alice, notify_at):
    from notifications import delivery

    daily(alice)
    notify_at(ghent(9, 9), alice, "Een")
    notify_at(ghent(9, 9), alice, "Twee")
    assert len(claim(alice.pk, ghent(9, 10))) == 2  # ... and the worker dies here
    with time_machine.travel(ghent(9, 10, 30), tick=False):
        assert delivery.due() == []
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.DIGEST}
    assert run_at(ghent(10, 9)) == 1 and len(mail.outbox) == 1


def test_a_failing_mail_server_puts_them_back_for_the_next_run(alice, notify_at, monkeypatch):
    daily(alice)
    notify_at(ghent(9, 9), alice, "Een")

    def broken(self, *args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
        assert run_at(ghent(9, 10)) == 0
    entry = Delivery.objects.get()
    assert entry.status == DeliveryStatus.DIGEST
    assert entry.attempt_log.get().outcome == DeliveryStatus.RETRYING
    assert DeliveryProfile.objects.get(employee=alice).digest_sent is None
    assert run_at(ghent(9, 10, 15)) == 1
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_a_digest_switched_off_sends_nothing(alice, notify_at):
    notify_at(ghent(9, 9), alice, "Een")
    DeliveryProfile.objects.update_or_create(employee=alice, defaults={"digest": Digest.NEVER})
    assert run_at(ghent(14, 9)) == 0
    assert Delivery.objects.get().status == DeliveryStatus.SKIPPED


def test_the_command_sends_those_due_and_says_how_many(alice, notify_at):
    daily(alice)
    notify_at(ghent(9, 9), alice, "Een")
    out = StringIO()
    with time_machine.travel(ghent(9, 10), tick=False):
        call_command("send_digests", stdout=out)
    assert out.getvalue().strip() == "1 digest(s) sent"
    assert len(mail.outbox) == 1
