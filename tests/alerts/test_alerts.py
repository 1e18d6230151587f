"""Urgent messages: who sends, who gets them, the banner, the progress and the re-send."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from alerts import actions, tasks
from alerts.models import Acknowledgement, UrgentMessage
from alerts.progress import MIN_GROUP, progress
from notifications.models import (
    Channel,
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    Notification,
    NotificationKind,
)
from tests.alerts.conftest import confirmed_sms
from tests.factories import DepartmentFactory, EmployeeFactory
from workplace.models import Audience
from workplace.roles import Role

BUTTON = "Ik heb het gelezen"


def send(message, capture):
    with capture(execute=True):
        return actions.do_send(message)


# --- who may send -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/dringend/", "/dringend/nieuw/", "/dringend/{pk}/", "/dringend/{pk}/voortgang/"]
)
def test_an_ordinary_employee_finds_no_sender_page(login, alice, lies, draft, path):
    response = login(alice).get(path.format(pk=draft.pk))
    assert response.status_code == 404
    # The control: a sender gets the page (a draft's progress sends her to the draft).
    assert login(lies).get(path.format(pk=draft.pk)).status_code in (200, 302)


@pytest.mark.parametrize("path", ["/dringend/{pk}/test/", "/dringend/{pk}/versturen/"])
def test_an_ordinary_employee_cannot_test_or_send(
    login, alice, lies, draft, path, django_capture_on_commit_callbacks
):
    assert login(alice).post(path.format(pk=draft.pk)).status_code == 404
    draft.refresh_from_db()
    assert draft.sent is None and draft.test_sent is None
    assert not Notification.objects.exists()
    # The control: a sender does it.
    with django_capture_on_commit_callbacks(execute=True):
        assert login(lies).post(path.format(pk=draft.pk)).status_code == 302
    draft.refresh_from_db()
    assert draft.sent is not None or draft.test_sent is not None
    assert Notification.objects.exists()


def test_the_communication_team_and_crisis_communication_may_send(login, lies, koen, draft):
    for sender in (lies, koen):
        client = login(sender)
        assert client.get("/dringend/").status_code == 200
        assert client.get("/dringend/nieuw/").status_code == 200
        assert "Gaslek Sint-Pietersplein" in client.get(f"/dringend/{draft.pk}/").content.decode()


def test_the_start_page_leads_senders_only_to_their_pages(login, lies, alice):
    assert 'href="/dringend/nieuw/"' in login(lies).get("/").content.decode()
    assert 'href="/dringend/nieuw/"' not in login(alice).get("/").content.decode()


def test_crisis_communication_needs_the_second_factor():
    assert Role.CRISIS_COMMUNICATION.value in settings.MFA_REQUIRED_ROLES


def test_a_sender_composes_a_message_for_an_audience(login, lies, organisation):
    response = login(lies).post(
        "/dringend/nieuw/",
        {
            "message-title": "Stroomuitval",
            "message-body": "Werk veilig: de liften staan stil.",
            "message-resend_after": "15",
            "audience-departments": [organisation["facility"].pk],
        },
    )
    message = UrgentMessage.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/dringend/{message.pk}/"
    assert (message.sender, message.resend_after, message.sent) == (lies, 15, None)
    assert list(message.audience.departments.all()) == [organisation["facility"]]


def test_composing_explains_what_is_missing_in_dutch(login, lies, organisation):
    response = login(lies).post("/dringend/nieuw/", {"message-title": "", "message-body": ""})
    page = response.content.decode()
    assert "Dit veld is verplicht." in page
    assert "Kies minstens één groep mensen" in page
    assert not UrgentMessage.objects.exists()
    # The control: with a title, a text and an audience it is kept.
    complete = {
        "message-title": "Stroomuitval",
        "message-body": "Werk veilig: de liften staan stil.",
        "message-resend_after": "15",
        "audience-departments": [organisation["facility"].pk],
    }
    assert login(lies).post("/dringend/nieuw/", complete).status_code == 302
    assert UrgentMessage.objects.exists()


# --- a test, then the real thing ------------------------------------------------------------


def test_a_test_goes_to_the_sender_only(login, lies, draft, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(lies).post(f"/dringend/{draft.pk}/test/", follow=True)
    assert "Er is een test onderweg naar jou alleen" in response.content.decode()
    [line] = Notification.objects.all()
    assert (line.recipient, line.kind, line.urgent) == (lies, NotificationKind.URGENT, True)
    assert line.title == "TEST Gaslek Sint-Pietersplein"
    draft.refresh_from_db()
    assert draft.test_sent is not None and draft.sent is None
    assert progress(draft).total == 0  # a test is none of the send's lines


def test_sending_reaches_the_audience_only(
    login, lies, draft, alice, bob, carol, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(lies).post(f"/dringend/{draft.pk}/versturen/", follow=True)
    assert "Verstuurd naar 2 mensen." in response.content.decode()
    lines = Notification.objects.filter(kind=NotificationKind.URGENT)
    assert set(lines.values_list("recipient", flat=True)) == {alice.pk, bob.pk}
    assert all(line.urgent and line.url == f"/dringend/{draft.pk}/" for line in lines)


def test_a_second_send_sends_nothing(login, lies, draft, django_capture_on_commit_callbacks):
    send(draft, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(lies).post(f"/dringend/{draft.pk}/versturen/", follow=True)
    assert "Dit bericht is al verstuurd." in response.content.decode()
    assert Notification.objects.count() == 2


def test_nobody_outside_the_audience_sees_or_acknowledges_it(
    login, draft, alice, carol, django_capture_on_commit_callbacks
):
    send(draft, django_capture_on_commit_callbacks)
    client = login(carol)
    assert client.get(f"/dringend/{draft.pk}/").status_code == 404
    assert client.post(f"/dringend/{draft.pk}/gelezen/").status_code == 404
    assert BUTTON not in client.get("/").content.decode()
    assert not Acknowledgement.objects.exists()
    # The control: Alice, in the audience, sees it and acknowledges it.
    client = login(alice)
    assert client.get(f"/dringend/{draft.pk}/").status_code == 200
    assert BUTTON in client.get("/").content.decode()
    assert client.post(f"/dringend/{draft.pk}/gelezen/").status_code == 302
    assert Acknowledgement.objects.exists()


def test_a_draft_is_nobodys_to_read(login, draft, alice, django_capture_on_commit_callbacks):
    assert login(alice).get(f"/dringend/{draft.pk}/").status_code == 404
    send(draft, django_capture_on_commit_callbacks)
    assert login(alice).get(f"/dringend/{draft.pk}/").status_code == 200  # the control: sent


# --- the banner and acknowledging -------------------------------------------------------------


def test_the_banner_shows_on_every_page_until_acknowledged(
    login, draft, alice, django_capture_on_commit_callbacks
):
    send(draft, django_capture_on_commit_callbacks)
    client = login(alice)
    for path in ("/", "/meldingen/", "/mensen/"):
        page = client.get(path).content.decode()
        assert "Gaslek Sint-Pietersplein" in page and BUTTON in page, path
        assert page.index("alert-banner") < page.index("<h1")  # above the content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/dringend/{draft.pk}/gelezen/", {"next": "/mensen/"})
    assert response.status_code == 302 and response["Location"] == "/mensen/"
    page = client.get("/mensen/").content.decode()
    assert "Bedankt: de afzender weet dat je het gelezen hebt." in page
    assert BUTTON not in page
    assert BUTTON not in client.get("/").content.decode()
    # Reading it also marks its notification read.
    assert Notification.objects.get(recipient=alice).read is not None


def test_acknowledging_twice_changes_nothing(
    login, draft, alice, django_capture_on_commit_callbacks
):
    send(draft, django_capture_on_commit_callbacks)
    assert actions.do_acknowledge(alice, draft) is True
    first = Acknowledgement.objects.get()
    assert actions.do_acknowledge(alice, draft) is False
    client = login(alice)
    assert client.post(f"/dringend/{draft.pk}/gelezen/").status_code == 302
    assert list(Acknowledgement.objects.all()) == [first]
    assert "Je las het op" in client.get(f"/dringend/{draft.pk}/").content.decode()


def test_the_banner_costs_no_query_once_the_process_knows_nothing_was_sent_lately(
    rf, alice, lies, facility_audience, django_assert_num_queries
):
    from django.core.cache import cache

    from alerts.views import banner

    request = rf.get("/")
    request.user = alice
    old = UrgentMessage.objects.create(
        title="Oud", body="Voorbij.", sender=lies, audience=facility_audience
    )
    UrgentMessage.objects.filter(pk=old.pk).update(sent=timezone.now() - timedelta(days=8))
    with django_assert_num_queries(1):
        assert banner(request) is None  # the process's first look
    with django_assert_num_queries(0):
        assert banner(request) is None
    cache.clear()  # a cache that forgot: this process still knows
    with django_assert_num_queries(0):
        assert banner(request) is None


def test_a_send_in_another_process_reaches_this_one_through_the_cache(
    login, draft, alice, django_capture_on_commit_callbacks
):
    client = login(alice)
    assert BUTTON not in client.get("/").content.decode()  # this process: nothing sent
    send(draft, django_capture_on_commit_callbacks)
    actions._last_sent = 0.0  # as if another process had sent it: only the cache knows
    assert BUTTON in client.get("/").content.decode()


# --- progress ---------------------------------------------------------------------------------


def staff(department, count):
    return [EmployeeFactory(department=department) for _ in range(count)]


def test_progress_merges_departments_under_five_into_other_departments(
    login, lies, django_capture_on_commit_callbacks
):
    top = DepartmentFactory(name="Stad Gent", kind="departement")
    parks = DepartmentFactory(name="Groendienst", parent=top)
    roads = DepartmentFactory(name="Wegen", parent=top)
    small = [DepartmentFactory(name=f"Klein {n}", parent=top) for n in range(3)]
    gardeners = staff(parks, 6)
    road_workers = staff(roads, 5)
    few = [person for department in small for person in staff(department, 2)]
    audience = Audience.objects.create()
    audience.departments.add(top)
    message = UrgentMessage.objects.create(
        title="Storm", body="Blijf binnen.", sender=lies, audience=audience
    )
    send(message, django_capture_on_commit_callbacks)
    for person in gardeners[:3] + road_workers[:5] + few[:1]:
        actions.do_acknowledge(person, message)

    figures = progress(message)
    rows = [(g.name, g.other, g.acknowledged, g.total) for g in figures.groups]
    assert rows == [("Groendienst", False, 3, 6), ("Wegen", False, 5, 5), ("", True, 1, 6)]
    assert (figures.acknowledged, figures.total) == (9, 17)
    assert all(g.total >= MIN_GROUP for g in figures.groups)

    page = login(lies).get(f"/dringend/{message.pk}/voortgang/").content.decode()
    assert "andere diensten" in page and "Klein 0" not in page
    assert "<strong data-total-acknowledged>9</strong>" in page
    assert "<strong data-total>17</strong>" in page


def test_a_small_other_group_takes_in_the_smallest_department(
    lies, django_capture_on_commit_callbacks
):
    top = DepartmentFactory(name="Stad Gent", kind="departement")
    big = DepartmentFactory(name="Groot", parent=top)
    medium = DepartmentFactory(name="Middel", parent=top)
    tiny = DepartmentFactory(name="Piep", parent=top)
    staff(big, 8), staff(medium, 5), staff(tiny, 2)
    audience = Audience.objects.create()
    audience.departments.add(top)
    message = UrgentMessage.objects.create(
        title="Storm", body="Binnen.", sender=lies, audience=audience
    )
    send(message, django_capture_on_commit_callbacks)
    rows = [(g.name, g.other, g.total) for g in progress(message).groups]
    assert rows == [("Groot", False, 8), ("", True, 7)]


# --- sending again ------------------------------------------------------------------------------


def test_the_resend_goes_once_and_only_to_who_has_not_acknowledged(
    draft, alice, bob, django_capture_on_commit_callbacks
):
    confirmed_sms(alice, bob)
    draft.resend_after = 10
    draft.save(update_fields=["resend_after"])
    send(draft, django_capture_on_commit_callbacks)
    actions.do_acknowledge(alice, draft)
    assert Delivery.objects.filter(key__endswith=":1").count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.resend_unacknowledged.call_local() == 0  # not yet
    later = timezone.now() + timedelta(minutes=11)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        assert tasks.resend_unacknowledged.call_local() == 1
        assert tasks.resend_unacknowledged.call_local() == 0  # once
    again = Delivery.objects.filter(key__endswith=":1")
    assert [(d.recipient_id, d.channel, d.status) for d in again] == [
        (bob.pk, Channel.SMS, DeliveryStatus.SENT)
    ]
    draft.refresh_from_db()
    assert draft.resent is not None


def test_a_message_without_a_resend_time_goes_once(draft, django_capture_on_commit_callbacks):
    send(draft, django_capture_on_commit_callbacks)
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert actions.resend_due() == 0
    draft.refresh_from_db()
    assert draft.resent is None


# --- outside the app ----------------------------------------------------------------------------


def test_an_urgent_message_goes_by_sms_through_the_console_backend(
    settings, draft, alice, bob, caplog, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "console"
    confirmed_sms(bob)
    with caplog.at_level("INFO", logger="notifications.sms"):
        send(draft, django_capture_on_commit_callbacks)
    [delivery] = Delivery.objects.filter(channel=Channel.SMS)
    assert (delivery.recipient, delivery.channel, delivery.status) == (
        bob,
        Channel.SMS,
        DeliveryStatus.SENT,
    )
    [attempt] = DeliveryAttempt.objects.filter(delivery=delivery)
    assert (attempt.outcome, attempt.detail) == (DeliveryStatus.SENT, "console")
    assert "Dringend: Gaslek Sint-Pietersplein http" in caplog.text


def test_quiet_hours_do_not_hold_an_urgent_message(draft, bob, django_capture_on_commit_callbacks):
    confirmed_sms(bob)
    # A Wednesday at 23:00 in Ghent: far outside Bob's office hours (08:00-17:30).
    night = datetime(2026, 12, 2, 23, 0, tzinfo=ZoneInfo("Europe/Brussels"))
    with time_machine.travel(night, tick=False):
        send(draft, django_capture_on_commit_callbacks)
        [delivery] = Delivery.objects.filter(channel=Channel.SMS)
        assert delivery.status == DeliveryStatus.SENT
        assert delivery.not_before == timezone.now()
