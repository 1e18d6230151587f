from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from kus import actions
from kus.access import to_read
from kus.models import Acknowledgement, AckVia
from tests.factories import PASSWORD, EmployeeFactory
from tests.kus.conftest import republish
from workplace.roles import Role

pytestmark = pytest.mark.django_db


def test_a_directive_to_acknowledge_appears_in_to_read_and_on_the_start_page(
    client, for_facility, bob
):
    client.login(username="bob", password=PASSWORD)
    assert "Werken op hoogte" in client.get(reverse("kus:to_read")).content.decode()
    home = client.get(reverse("home")).content.decode()
    assert "Richtlijn te lezen" in home and "Werken op hoogte" in home


def test_confirming_on_the_directive_takes_it_off_the_list(client, for_facility, bob):
    client.login(username="bob", password=PASSWORD)
    response = client.post(
        reverse("kus:acknowledge", args=[for_facility.number]), {"version": "1"}, follow=True
    )
    page = response.content.decode()
    assert "Bedankt: je bevestigde" in page
    assert "dat je ze gelezen en begrepen hebt" in page
    assert "Niets te lezen" in client.get(reverse("kus:to_read")).content.decode()


def test_someone_outside_the_audience_is_not_asked_to_acknowledge(client, for_facility, carol, bob):
    client.login(username="bob", password=PASSWORD)
    assert "Gelezen en begrepen" in client.get(for_facility.get_absolute_url()).content.decode()
    client.login(username="carol", password=PASSWORD)
    page = client.get(for_facility.get_absolute_url()).content.decode()
    assert "Gelezen en begrepen" not in page
    client.post(reverse("kus:acknowledge", args=[for_facility.number]), {"version": "1"})
    assert not Acknowledgement.objects.filter(employee=carol).exists()


def test_a_material_change_asks_for_acknowledgement_again(
    client, editor, reviewer, for_facility, bob, alice
):
    actions.acknowledge(bob, for_facility)
    actions.acknowledge(alice, for_facility)
    republish(editor, reviewer, for_facility, body="Kleine taalfout verbeterd.")
    assert not to_read(bob).exists()  # a non-material change keeps the confirmation
    republish(editor, reviewer, for_facility, body="Nieuwe veiligheidsregels.", material=True)
    assert list(to_read(bob)) == [for_facility]
    client.login(username="bob", password=PASSWORD)
    assert "Werken op hoogte" in client.get(reverse("kus:to_read")).content.decode()


def test_a_team_leader_records_a_briefing_that_counts_as_acknowledgement(
    client, for_facility, organisation, bob
):
    leader = EmployeeFactory(
        username="ploegbaas", department=organisation["team"], is_field_worker=True
    )
    organisation["team"].manager = leader
    organisation["team"].save(update_fields=["manager"])
    client.login(username="ploegbaas", password=PASSWORD)
    form = client.get(reverse("kus:briefing", args=[for_facility.number]))
    assert "Bob Peeters" in form.content.decode()
    response = client.post(
        reverse("kus:briefing", args=[for_facility.number]),
        {
            "team": organisation["team"].pk,
            "held_on": "2026-11-20",
            "attendees": [bob.pk],
            "note": "Toolboxmeeting",
        },
        follow=True,
    )
    assert "werd op 20/11/2026 gebriefd over" in response.content.decode()
    ack = Acknowledgement.objects.get(employee=bob)
    assert ack.via == AckVia.BRIEFING
    assert not to_read(bob).exists()
    progress = client.get(reverse("kus:progress", args=[for_facility.number])).content.decode()
    assert "1 via briefing" in progress
    assert "Team Onderhoud Noord werd op 20/11/2026 gebriefd over" in progress


def test_a_leader_cannot_brief_people_outside_their_teams(for_facility, organisation, carol):
    leader = EmployeeFactory(department=organisation["team"])
    organisation["team"].manager = leader
    organisation["team"].save(update_fields=["manager"])
    with pytest.raises(Exception):  # noqa: B017 -- PermissionDenied
        actions.record_briefing(
            leader,
            for_facility,
            team=organisation["team"],
            held_on=datetime.date(2026, 11, 20),
            attendees=[carol],
        )


def test_the_owners_see_progress_per_department_with_names(
    client, for_facility, editor, alice, bob, organisation
):
    actions.acknowledge(alice, for_facility)
    organisation["buildings"].manager = alice  # a lead of the owner department
    organisation["buildings"].save(update_fields=["manager"])
    client.login(username="alice", password=PASSWORD)
    page = client.get(reverse("kus:progress", args=[for_facility.number])).content.decode()
    assert "Dienst Gebouwen" in page and "Team Onderhoud Noord" in page
    assert "100% van 1: 1 zelf bevestigd" in page
    assert "0% van 1: 0 zelf bevestigd, 0 via briefing, 1 nog niet" in page
    assert "Bob Peeters" in page


def test_a_manager_sees_names_only_for_their_own_team(
    client, for_facility, organisation, alice, bob
):
    manager = EmployeeFactory(
        username="manager", department=organisation["civil"], roles=[Role.MANAGERS]
    )
    client.login(username="manager", password=PASSWORD)
    page = client.get(reverse("kus:progress", args=[for_facility.number])).content.decode()
    assert "Bob Peeters" not in page and "Alice Claes" not in page
    assert "1 nog niet" in page
    assert manager.department == organisation["civil"]


def test_an_ordinary_reader_cannot_open_the_progress_page(client, for_facility, alice, carol):
    progress = reverse("kus:progress", args=[for_facility.number])
    owner = type(client)()
    for_facility.owner_department.manager = alice  # a lead of the owner department
    for_facility.owner_department.save(update_fields=["manager"])
    owner.login(username="alice", password=PASSWORD)
    assert owner.get(progress).status_code == 200
    client.login(username="carol", password=PASSWORD)
    assert client.get(progress).status_code == 404
