from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from kus import actions, tasks
from kus.models import Reminder
from notifications.models import Notification, NotificationKind
from tests.auth import verified_login
from tests.factories import PASSWORD, AudienceFactory, EmployeeFactory
from tests.kus.conftest import make_directive

pytestmark = pytest.mark.django_db


@pytest.fixture
def from_civil(editor, reviewer, organisation):
    """Owned by Burgerzaken, addressed to Facility: Facility's managers do not edit it."""
    audience = AudienceFactory()
    audience.departments.add(organisation["facility"])
    return make_directive(
        editor,
        reviewer,
        owner=organisation["civil"],
        title="Onthaal aan het loket",
        audience=audience,
        requires_ack=True,
    )


@pytest.fixture
def ploegbaas(organisation):
    """The manager of Bob's team only (Team Onderhoud Noord, below Gebouwen)."""
    leader = EmployeeFactory(username="ploegbaas", department=organisation["team"])
    organisation["team"].manager = leader
    organisation["team"].save(update_fields=["manager"])
    return leader


def reminded(*people) -> dict[str, int]:
    """How many reminder lines each of ``people`` received."""
    return {
        p.username: Notification.objects.filter(recipient=p, kind=NotificationKind.REMINDER).count()
        for p in people
    }


def remind(client, directive, **data):
    return client.post(reverse("kus:remind", args=[directive.number]), data, follow=True)


def test_the_editor_reminds_only_who_is_addressed_and_has_not_acknowledged(
    client, for_facility, editor, alice, bob, carol
):
    actions.acknowledge(alice, for_facility)
    gone = EmployeeFactory(username="vertrokken", department=bob.department, is_active=False)
    verified_login(client, "eddy")
    page = remind(client, for_facility).content.decode()
    assert "Herinnering gestuurd naar 1 collega." in page
    assert reminded(bob, alice, carol, gone) == {
        "bob": 1,  # due: addressed, active, not acknowledged
        "alice": 0,  # acknowledged
        "carol": 0,  # not addressed
        "vertrokken": 0,  # no longer active
    }
    line = Notification.objects.get(recipient=bob)
    assert line.title == f"Herinnering: lees en bevestig {for_facility}"
    assert line.url == for_facility.get_absolute_url()


def test_the_progress_page_offers_the_reminder_to_the_owners(
    client, for_facility, editor, alice, bob
):
    verified_login(client, "eddy")
    page = client.get(reverse("kus:progress", args=[for_facility.number])).content.decode()
    assert "Herinner wie nog niet bevestigde</button>" in page
    assert "Herinner wie nog niet bevestigde in Team Onderhoud Noord" in page


def test_a_second_reminder_within_a_day_is_refused_with_a_clear_message(
    client, for_facility, editor, bob
):
    verified_login(client, "eddy")
    remind(client, for_facility)
    page = remind(client, for_facility).content.decode()
    assert "kreeg op" in page and "al een herinnering" in page
    assert "Een dag later kan je opnieuw herinneren." in page
    assert reminded(bob) == {"bob": 1}
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1, minutes=1)):
        verified_login(client, "eddy")
        page = remind(client, for_facility).content.decode()
    assert "Herinnering gestuurd naar 1 collega." in page
    assert reminded(bob) == {"bob": 2}


def test_when_everyone_acknowledged_there_is_nobody_to_remind(
    client, for_facility, editor, alice, bob
):
    actions.acknowledge(alice, for_facility)
    actions.acknowledge(bob, for_facility)
    verified_login(client, "eddy")
    page = remind(client, for_facility).content.decode()
    assert "Iedereen heeft bevestigd: er is niemand om te herinneren." in page
    assert not Reminder.objects.exists()


def test_the_manager_of_one_department_reminds_only_that_department(
    client, from_civil, ploegbaas, organisation, alice, bob
):
    client.login(username="ploegbaas", password=PASSWORD)
    progress = client.get(reverse("kus:progress", args=[from_civil.number])).content.decode()
    assert "Herinner wie nog niet bevestigde in Team Onderhoud Noord" in progress
    assert "Herinner wie nog niet bevestigde in Dienst Gebouwen" not in progress
    assert "Herinner wie nog niet bevestigde</button>" not in progress  # not everyone

    page = remind(client, from_civil, department=organisation["team"].pk).content.decode()
    assert "Herinnering gestuurd naar 2 collega&#x27;s." in page  # Bob and the ploegbaas
    assert reminded(bob, ploegbaas, alice) == {"bob": 1, "ploegbaas": 1, "alice": 0}

    # Alice's department is not theirs, nor is everyone: 404, and nothing is sent.
    other = remind(client, from_civil, department=organisation["buildings"].pk)
    assert other.status_code == 404
    assert remind(client, from_civil).status_code == 404
    assert reminded(alice) == {"alice": 0}


def test_a_department_reminder_by_the_editor_reaches_the_departments_below_it(
    client, for_facility, editor, organisation, alice, bob, carol
):
    verified_login(client, "eddy")
    page = remind(client, for_facility, department=organisation["buildings"].pk).content.decode()
    assert "Herinnering gestuurd naar 2 collega&#x27;s." in page
    assert reminded(alice, bob, carol) == {"alice": 1, "bob": 1, "carol": 0}


def test_an_outsider_gets_404_and_sends_nothing(client, for_facility, carol, bob, organisation):
    client.login(username="carol", password=PASSWORD)
    assert remind(client, for_facility).status_code == 404
    assert remind(client, for_facility, department=organisation["team"].pk).status_code == 404
    assert reminded(bob) == {"bob": 0}


def test_a_bad_department_gets_a_clear_message(client, for_facility, editor, bob):
    verified_login(client, "eddy")
    page = remind(client, for_facility, department="Gebouwen").content.decode()
    assert "Die afdeling kennen we niet." in page
    assert reminded(bob) == {"bob": 0}
    assert remind(client, for_facility, department="999999").status_code == 404


def test_the_reminder_is_a_post(client, for_facility, editor):
    verified_login(client, "eddy")
    assert client.get(reverse("kus:remind", args=[for_facility.number])).status_code == 405


# --- the automatic reminder before the acknowledgement date ------------------------------


def set_ack_by(directive, days: int) -> None:
    actions.do_update_metadata(
        directive, ack_by=timezone.localdate() + datetime.timedelta(days=days)
    )


def test_the_daily_job_reminds_once_three_days_before_the_acknowledgement_date(
    for_facility, alice, bob, settings
):
    settings.KUS_ACK_REMINDER_DAYS = 3
    actions.acknowledge(alice, for_facility)
    set_ack_by(for_facility, 4)
    assert tasks.kus_ack_reminders.call_local() == 0  # too early
    assert reminded(bob) == {"bob": 0}

    set_ack_by(for_facility, 3)
    assert tasks.kus_ack_reminders.call_local() == 1
    assert reminded(bob, alice) == {"bob": 1, "alice": 0}
    line = Notification.objects.get(recipient=bob)
    assert line.title.startswith("Bevestig tegen ") and "Werken op hoogte" in line.title

    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
        assert tasks.kus_ack_reminders.call_local() == 0  # once
    assert reminded(bob) == {"bob": 1}


def test_the_daily_job_leaves_past_and_distant_dates_alone(for_facility, bob, settings):
    settings.KUS_ACK_REMINDER_DAYS = 3
    set_ack_by(for_facility, -1)
    assert tasks.kus_ack_reminders.call_local() == 0
    set_ack_by(for_facility, 10)
    assert tasks.kus_ack_reminders.call_local() == 0
    assert reminded(bob) == {"bob": 0}
    set_ack_by(for_facility, 0)  # positive control: the day itself still counts
    assert tasks.kus_ack_reminders.call_local() == 1
    assert reminded(bob) == {"bob": 1}


def test_the_daily_job_skips_who_was_reminded_by_hand_today(
    client, for_facility, editor, bob, settings
):
    settings.KUS_ACK_REMINDER_DAYS = 3
    verified_login(client, "eddy")
    remind(client, for_facility)
    set_ack_by(for_facility, 2)
    assert tasks.kus_ack_reminders.call_local() == 0
    assert reminded(bob) == {"bob": 1}
