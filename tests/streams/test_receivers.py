"""Directives and surveys in the stream, through the receivers of KUS's and surveys' signals.

The receivers get the arguments documented in ``kus.signals`` and
``surveys.signals``; these tests call them as the signals do, with small
stand-ins that carry exactly those attributes (search listens to the same
signals and wants real rows, so the stand-ins do not go through ``send``).
"""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest

from kus import signals as kus_signals
from notifications.models import Notification
from streams import receivers, visibility
from streams.models import Activity
from surveys import signals as survey_signals
from tests.factories import AudienceFactory
from workplace.audiences import members


class Stand_in(SimpleNamespace):
    def get_absolute_url(self) -> str:
        return f"/kus/{self.number}/"

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


@pytest.fixture
def facility_audience(organisation):
    audience = AudienceFactory()
    audience.departments.add(organisation["facility"])
    return audience


def directive(audience, pk=7):
    return Stand_in(pk=pk, number="KUS-2026-0007", title="Werken op hoogte", audience=audience)


def publish(item, seq=1, material=False, requires_ack=True, approved_by=None):
    version = SimpleNamespace(seq=seq, approved_by=approved_by, material=material)
    receivers.directive_published(
        None,
        directive=item,
        version=version,
        material=material,
        requires_ack=requires_ack,
        first=seq == 1,
    )


def test_a_published_directive_to_acknowledge_notifies_its_audience_only(
    facility_audience, alice, bob, carol, client_for
):
    publish(directive(facility_audience))
    activity = Activity.objects.exclude(verb="joined").get()
    assert activity.verb == "directive_published" and activity.is_announcement
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {
        "alice",
        "bob",
    }
    assert "KUS-2026-0007 Werken op hoogte" in client_for(bob).get("/").content.decode()
    assert "Werken op hoogte" not in client_for(carol).get("/").content.decode()
    html = client_for(alice).get("/meldingen/").content.decode()
    assert "Lezen en bevestigen: KUS-2026-0007 Werken op hoogte" in html


def test_a_new_version_replaces_the_old_activity_and_a_minor_one_does_not_notify(
    facility_audience, alice
):
    item = directive(facility_audience)
    publish(item)
    publish(item, seq=2, material=False)
    visible = Activity.objects.exclude(verb="joined").filter(hidden=False)
    assert [a.verb for a in visible] == ["directive_version"]
    assert Notification.objects.filter(recipient=alice).count() == 1
    publish(item, seq=3, material=True)
    assert Notification.objects.filter(recipient=alice).count() == 2


def test_a_directive_without_acknowledgement_notifies_nobody(facility_audience):
    publish(directive(facility_audience), requires_ack=False)
    assert Activity.objects.exclude(verb="joined").count() == 1
    assert not Notification.objects.exists()


def test_a_signal_delivered_twice_records_once(facility_audience):
    item = directive(facility_audience)
    publish(item)
    publish(item)
    assert Activity.objects.exclude(verb="joined").count() == 1


def test_an_archived_directive_leaves_the_stream(facility_audience, alice):
    item = directive(facility_audience)
    publish(item)
    assert visibility.home_stream(alice).exclude(verb="joined").exists()
    receivers.directive_withdrawn(None, directive=item)
    assert not visibility.home_stream(alice).exclude(verb="joined").exists()


def test_an_audience_change_moves_the_directive(organisation, facility_audience, carol):
    item = directive(facility_audience)
    publish(item)
    civil = AudienceFactory()
    civil.departments.add(organisation["civil"])
    item.audience = civil
    receivers.directive_audience_changed(None, directive=item)
    assert visibility.home_stream(carol).exclude(verb="joined").exists()


def test_an_opened_survey_is_announced_to_its_audience(facility_audience, alice, carol):
    survey = Stand_in(pk=3, number="enquête", title="Welzijnsbevraging", audience=facility_audience)
    receivers.survey_opened(None, survey=survey, recipients=members(facility_audience))
    assert Activity.objects.exclude(verb="joined").get().verb == "survey_opened"
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["alice"]
    assert visibility.home_stream(alice).exclude(verb="joined").exists()
    assert not visibility.home_stream(carol).exclude(verb="joined").exists()


@pytest.mark.parametrize(
    ("signal", "name"),
    [
        (kus_signals.directive_published, "directive_published"),
        (kus_signals.directive_superseded, "directive_superseded"),
        (kus_signals.directive_archived, "directive_archived"),
        (kus_signals.directive_audience_changed, "directive_audience_changed"),
        (survey_signals.survey_opened, "survey_opened"),
    ],
)
def test_the_receivers_are_connected_to_the_signals(signal, name):
    uids = {lookup_key[0] for lookup_key, *_rest in signal.receivers}
    assert f"streams.{name}" in uids


def test_a_new_colleague_is_welcomed_unless_the_import_says_not_to(tmp_path, organisation):
    from django.core.management import call_command

    csv = tmp_path / "personeel.csv"
    from workplace.importers import EMPLOYEE_COLUMNS

    header = ";".join(EMPLOYEE_COLUMNS) + "\n"
    csv.write_text(header + "300001;Jef;Vermeulen;;FM-GEB;Tuinier;;ja;\n", encoding="utf-8")
    call_command("import_employees", str(csv), "--no-welcome", stdout=io.StringIO())
    assert not Activity.objects.filter(verb="joined").exists()
    csv.write_text(header + "300002;Ann;Baert;;FM-GEB;Tuinier;;ja;\n", encoding="utf-8")
    call_command("import_employees", str(csv), stdout=io.StringIO())
    welcomed = Activity.objects.get(verb="joined")
    assert welcomed.actor.personnel_number == "300002"
