from __future__ import annotations

import datetime
import threading

import pytest
import time_machine
from django.db import connection

from kus import actions, signals
from kus.models import Directive, Status
from kus.numbers import allocate_number
from tests.auth import verified_login
from tests.factories import AudienceFactory, EmployeeFactory
from tests.kus.conftest import make_directive, republish


@pytest.mark.django_db(transaction=True)
def test_concurrent_publications_never_share_a_number():
    numbers: list[str] = []
    errors: list[Exception] = []

    def allocate():
        try:
            for _ in range(5):
                numbers.append(allocate_number(2026))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=allocate) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == [f"KUS-2026-{n:04d}" for n in range(1, 21)]


@pytest.fixture
def received():
    events = []

    def receiver(signal, sender, **kwargs):
        events.append((signal, kwargs))

    for signal in (
        signals.directive_published,
        signals.directive_superseded,
        signals.directive_archived,
        signals.directive_audience_changed,
        signals.directive_review_due,
    ):
        signal.connect(receiver, weak=False, dispatch_uid=f"test-{id(signal)}")
    yield events
    for signal in (
        signals.directive_published,
        signals.directive_superseded,
        signals.directive_archived,
        signals.directive_audience_changed,
        signals.directive_review_due,
    ):
        signal.disconnect(dispatch_uid=f"test-{id(signal)}")


@pytest.mark.django_db
def test_publishing_sends_its_signal_only_after_commit(
    editor, reviewer, organisation, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        directive = make_directive(editor, reviewer, owner=organisation["civil"], requires_ack=True)
    assert received == []  # nothing before the commit
    for callback in callbacks:
        callback()
    ((signal, kwargs),) = received
    assert signal is signals.directive_published
    assert kwargs["directive"] == directive and kwargs["first"] and kwargs["requires_ack"]


@pytest.mark.django_db
def test_a_material_version_and_an_audience_change_are_announced(
    editor, reviewer, organisation, received, django_capture_on_commit_callbacks
):
    directive = make_directive(editor, reviewer, owner=organisation["civil"])
    with django_capture_on_commit_callbacks(execute=True):
        republish(editor, reviewer, directive, body="Nieuwe tekst.", material=True)
        actions.update_metadata(editor, directive, restricted=True)
    kinds = [(signal, kwargs.get("material")) for signal, kwargs in received]
    assert (signals.directive_published, True) in kinds
    assert (signals.directive_audience_changed, None) in kinds


@pytest.mark.django_db
def test_an_expired_directive_is_archived_by_the_daily_run(
    editor, reviewer, organisation, received, django_capture_on_commit_callbacks
):
    directive = make_directive(
        editor, reviewer, owner=organisation["civil"], expires_on=datetime.date(2026, 12, 31)
    )
    assert actions.archive_expired(datetime.date(2026, 12, 31)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.archive_expired(datetime.date(2027, 1, 1)) == 1
    directive.refresh_from_db()
    assert directive.status == Status.ARCHIVED
    assert received[-1][0] is signals.directive_archived


@pytest.mark.django_db
def test_owners_are_reminded_four_and_two_weeks_before_the_review_date(
    editor, reviewer, organisation, received, django_capture_on_commit_callbacks
):
    make_directive(
        editor, reviewer, owner=organisation["civil"], review_by=datetime.date(2027, 3, 1)
    )
    sent = []
    for day in (
        datetime.date(2027, 1, 20),  # 40 days before: nothing
        datetime.date(2027, 2, 1),  # 28 days: the four-week reminder
        datetime.date(2027, 2, 2),  # already reminded
        datetime.date(2027, 2, 15),  # 14 days: the two-week reminder
        datetime.date(2027, 2, 20),
        datetime.date(2027, 3, 2),  # overdue
        datetime.date(2027, 3, 3),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            actions.send_review_reminders(day)
        sent.append([kw["weeks"] for s, kw in received if s is signals.directive_review_due])
        received.clear()
    assert sent == [[], [4], [], [2], [], [0], []]


@pytest.mark.django_db
def test_an_overdue_review_is_listed_for_the_owners(client, editor, reviewer, organisation):
    from django.urls import reverse

    directive = make_directive(
        editor, reviewer, owner=organisation["civil"], review_by=datetime.date(2026, 6, 1)
    )
    verified_login(client, "eddy")
    with time_machine.travel(datetime.datetime(2026, 11, 26, 12, tzinfo=datetime.UTC)):
        page = client.get(reverse("kus:index") + "?lijst=te-herzien").content.decode()
        detail = client.get(directive.get_absolute_url()).content.decode()
        home = client.get(reverse("home")).content.decode()
    assert directive.title in page and "herziening achterstallig" in page
    assert "herziening achterstallig" in detail
    assert "1 richtlijn te herzien" in home and "1 herziening achterstallig" in home


@pytest.mark.django_db
def test_the_api_lists_what_the_caller_must_read_and_records_the_acknowledgement(
    client, editor, reviewer, organisation, alice
):
    from django.urls import reverse

    from tests.factories import PASSWORD

    audience = AudienceFactory(all_staff=True)
    directive = make_directive(
        editor, reviewer, owner=organisation["civil"], audience=audience, requires_ack=True
    )
    client.login(username="alice", password=PASSWORD)
    listed = client.get(reverse("kus:api_directives") + "?te_lezen=1").json()
    assert [d["number"] for d in listed["results"]] == [directive.number]
    response = client.post(reverse("kus:api_acknowledge", args=[directive.number]))
    assert response.status_code == 200
    assert client.get(reverse("kus:api_directives") + "?te_lezen=1").json()["count"] == 0
    missing = client.post(reverse("kus:api_acknowledge", args=["KUS-1999-0001"]))
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert Directive.objects.count() == 1


@pytest.mark.django_db
def test_the_daily_command_archives_and_reminds(editor, reviewer, organisation):
    from io import StringIO

    from django.core.management import call_command

    directive = make_directive(
        editor,
        reviewer,
        owner=organisation["civil"],
        expires_on=datetime.date(2026, 11, 1),
        effective_from=datetime.date(2026, 1, 1),
    )
    out = StringIO()
    with time_machine.travel(datetime.datetime(2026, 11, 26, 12, tzinfo=datetime.UTC)):
        call_command("kus_daily", stdout=out)
    directive.refresh_from_db()
    assert directive.status == Status.ARCHIVED
    assert "1 archived" in out.getvalue()


@pytest.mark.django_db
def test_the_review_reminder_reaches_the_owner_departments_manager(
    editor, reviewer, organisation, django_capture_on_commit_callbacks
):
    from notifications.models import Notification

    manager = EmployeeFactory(username="mona", department=organisation["civil"])
    organisation["civil"].manager = manager
    organisation["civil"].save()
    make_directive(
        editor, reviewer, owner=organisation["civil"], review_by=datetime.date(2027, 3, 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        actions.send_review_reminders(datetime.date(2027, 2, 1))
    [line] = Notification.objects.filter(kind="reminder")
    assert line.recipient == manager
    assert "1 maart 2027" in line.title and "Sleutelbeheer" in line.title
