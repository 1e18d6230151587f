"""Working hours, the test notification and the delivery plan, as an employee meets them."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from notifications import delivery
from notifications.models import (
    Delivery,
    DeliveryProfile,
    DeliveryStatus,
    HoursSource,
    Notification,
)
from workplace.shifts import ShiftPatternError, WorkingHours, parse_shift_pattern

pytestmark = pytest.mark.django_db
GHENT = ZoneInfo("Europe/Brussels")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=GHENT)


def test_office_hours_wait_for_the_morning_and_skip_the_weekend():
    hours = WorkingHours(frozenset({1, 2, 3, 4, 5}), time(8, 0), time(17, 30))
    assert hours.next_moment(at(2026, 12, 2, 10, 0)) == at(2026, 12, 2, 10, 0)  # Wednesday
    assert hours.next_moment(at(2026, 12, 2, 17, 30)) == at(2026, 12, 3, 8, 0)  # the end: out
    assert hours.next_moment(at(2026, 12, 2, 7, 59)) == at(2026, 12, 2, 8, 0)
    # Friday evening waits for Monday morning.
    assert hours.next_moment(at(2026, 12, 4, 18, 0)) == at(2026, 12, 7, 8, 0)


def test_a_night_shift_runs_across_midnight():
    hours = parse_shift_pattern("ma-vr 22:00-06:00")
    assert hours.next_moment(at(2026, 12, 3, 2, 0)) == at(2026, 12, 3, 2, 0)  # Thursday night
    assert hours.next_moment(at(2026, 12, 3, 6, 0)) == at(2026, 12, 3, 22, 0)
    # Saturday 03:00 still belongs to Friday's shift; Saturday evening has none.
    assert hours.next_moment(at(2026, 12, 5, 3, 0)) == at(2026, 12, 5, 3, 0)
    assert hours.next_moment(at(2026, 12, 5, 22, 0)) == at(2026, 12, 7, 22, 0)


def test_shift_patterns_from_hr_are_read_or_refused_in_dutch():
    assert parse_shift_pattern("za-zo 6u00-14u00").days == frozenset({6, 7})
    assert parse_shift_pattern("vr-ma 07:00-15:00").days == frozenset({5, 6, 7, 1})
    with pytest.raises(ShiftPatternError):
        parse_shift_pattern("elke dag")
    with pytest.raises(ShiftPatternError):
        parse_shift_pattern("ma-xx 07:00-15:00")


def test_my_working_hours_are_saved_and_shown(alice, client_for):
    client = client_for(alice)
    page = client.get("/meldingen/voorkeuren/").content.decode()
    assert "Mijn werkuren" in page and "recht om offline te zijn" in page
    response = client.post(
        "/meldingen/voorkeuren/werkuren/", {"days": ["6", "7"], "start": "22:00", "end": "06:00"}
    )
    assert response.status_code == 302
    profile = DeliveryProfile.objects.get(employee=alice)
    assert (profile.work_days, profile.work_start, profile.work_end) == ("67", time(22), time(6))
    assert profile.hours_source == HoursSource.SELF


def test_bad_working_hours_get_a_dutch_error_and_change_nothing(alice, client_for):
    response = client_for(alice).post(
        "/meldingen/voorkeuren/werkuren/", {"days": [], "start": "08:00", "end": "08:00"}
    )
    assert response.status_code == 400
    assert "Dit veld is verplicht" in response.content.decode()
    assert not DeliveryProfile.objects.filter(employee=alice).exists()
    # The control: good hours are kept.
    response = client_for(alice).post(
        "/meldingen/voorkeuren/werkuren/", {"days": ["1"], "start": "08:00", "end": "16:00"}
    )
    assert response.status_code == 302
    assert DeliveryProfile.objects.get(employee=alice).work_days == "1"


def test_the_test_notification_lands_in_the_app_at_once(alice, client_for):
    response = client_for(alice).post("/meldingen/test/", follow=True)
    assert "testmelding" in response.content.decode().lower()
    line = Notification.objects.get(recipient=alice, kind="test")
    assert line.urgent  # quiet hours do not hold a test the employee asked for
    api = client_for(alice).post("/api/v1/notifications/test", content_type="application/json")
    assert api.status_code == 202 and isinstance(api.json()["channels"], list)


class Reachable:
    """A channel every employee set up, that records what it was asked to send."""

    def __init__(self):
        self.sent: list[int] = []

    def reachable(self, employee_ids):
        return set(employee_ids)

    def send(self, item):
        self.sent.append(item.recipient_id)
        return "ok"


@pytest.fixture
def push_everywhere(monkeypatch):
    channel = Reachable()
    monkeypatch.setattr(delivery, "_senders", {"push": channel})
    monkeypatch.setattr(delivery, "OUTSIDE_CHANNELS", ["push"])
    return channel


def test_a_delivery_waits_for_working_hours_and_goes_once(alice, push_everywhere):
    line = Notification.objects.create(recipient=alice, kind="directive", title="Nieuw")
    with time_machine.travel(at(2026, 12, 5, 11, 0), tick=False):  # a Saturday
        planned = delivery.plan([line.pk])
        again = delivery.plan([line.pk])  # planned twice: still one delivery
    assert planned.due_now == [] and planned.held == 1 and again.held == 0
    item = Delivery.objects.get(notification=line)
    assert item.not_before == at(2026, 12, 7, 8, 0)
    with time_machine.travel(at(2026, 12, 7, 8, 1), tick=False):
        assert delivery.due() == [item.pk]
        assert delivery.send(item.pk) == DeliveryStatus.SENT
        assert delivery.send(item.pk) == "claimed"  # a second worker sends nothing
    assert push_everywhere.sent == [alice.pk]
    assert list(item.attempt_log.values_list("outcome", flat=True)) == ["sent"]


def test_an_urgent_line_passes_quiet_hours_and_a_read_one_is_not_sent(alice, push_everywhere):
    urgent = Notification.objects.create(recipient=alice, kind="urgent", title="Storm", urgent=True)
    read = Notification.objects.create(recipient=alice, kind="directive", title="Al gelezen")
    with time_machine.travel(at(2026, 12, 5, 23, 0), tick=False):
        planned = delivery.plan([urgent.pk, read.pk])
        assert len(planned.due_now) == 1
        outcomes = [delivery.send(pk) for pk in planned.due_now]
        Notification.objects.filter(pk=read.pk).update(read=at(2026, 12, 5, 23, 5))
    with time_machine.travel(at(2026, 12, 7, 9, 0), tick=False):
        outcomes += [delivery.send(pk) for pk in delivery.due()]
    assert outcomes == [DeliveryStatus.SENT, DeliveryStatus.SKIPPED]
    assert Delivery.objects.get(notification=read).detail == "read in the app"


def test_a_failing_channel_is_retried_with_back_off_then_given_up(alice, monkeypatch):
    class Broken(Reachable):
        def send(self, item):
            raise ConnectionError("gateway down")

    monkeypatch.setattr(delivery, "_senders", {"push": Broken()})
    monkeypatch.setattr(delivery, "OUTSIDE_CHANNELS", ["push"])
    line = Notification.objects.create(recipient=alice, kind="urgent", title="x", urgent=True)
    start = at(2026, 12, 2, 10, 0)
    with time_machine.travel(start, tick=False) as clock:
        [pk] = delivery.plan([line.pk]).due_now
        assert delivery.send(pk) == DeliveryStatus.RETRYING
        waits = []
        for _attempt in range(delivery.MAX_ATTEMPTS - 1):
            item = Delivery.objects.get(pk=pk)
            waits.append(round((item.not_before - start).total_seconds() / 60))
            clock.move_to(item.not_before)
            start = item.not_before
            outcome = delivery.send(pk)
    assert waits[:3] == [1, 2, 4]
    assert outcome == DeliveryStatus.FAILED
    log = list(Delivery.objects.get(pk=pk).attempt_log.values_list("outcome", flat=True))
    assert log.count("retrying") == delivery.MAX_ATTEMPTS - 1 and log[0] == "failed"


def test_hr_shift_patterns_decide_until_the_employee_sets_their_own(alice, push_everywhere):
    alice.shift_pattern = "za-zo 06:00-14:00"
    alice.save(update_fields=["shift_pattern"])
    line = Notification.objects.create(recipient=alice, kind="directive", title="Weekend")
    with time_machine.travel(at(2026, 12, 4, 10, 0), tick=False):  # Friday, off for her
        assert delivery.plan([line.pk]).held == 1
    assert Delivery.objects.get(notification=line).not_before == at(2026, 12, 5, 6, 0)
    DeliveryProfile.objects.create(employee=alice, work_days="5", hours_source=HoursSource.SELF)
    second = Notification.objects.create(recipient=alice, kind="directive", title="Vrijdag")
    with time_machine.travel(at(2026, 12, 4, 10, 0), tick=False):
        assert len(delivery.plan([second.pk]).due_now) == 1


def test_following_a_push_link_counts_as_opened(alice, client_for, push_everywhere):
    line = Notification.objects.create(recipient=alice, kind="urgent", title="x", urgent=True)
    [pk] = delivery.plan([line.pk]).due_now
    delivery.send(pk)
    from notifications.text import describe

    url = describe(line, "push").url
    assert url.endswith(f"/meldingen/{line.pk}/?via=push")
    client_for(alice).get(url.split("8000", 1)[1])
    assert Delivery.objects.get(pk=pk).opened is not None
