""" "Gelezen en begrepen" after the text, on the directive's page, for the version read."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kus.models import Acknowledgement
from tests.factories import PASSWORD, AudienceFactory
from tests.kus.conftest import make_directive, republish

pytestmark = pytest.mark.django_db

BUTTON = "Gelezen en begrepen</button>"


@pytest.fixture
def bob_client(client, bob):
    client.login(username="bob", password=PASSWORD)
    return client


def acknowledge(client, directive, **data):
    return client.post(reverse("kus:acknowledge", args=[directive.number]), data, follow=True)


def test_the_to_read_list_links_to_the_directive_and_has_no_button(bob_client, for_facility):
    page = bob_client.get(reverse("kus:to_read")).content.decode()
    assert f'href="{for_facility.get_absolute_url()}"' in page
    assert BUTTON not in page
    assert reverse("kus:acknowledge", args=[for_facility.number]) not in page


def test_the_button_comes_after_the_text(bob_client, for_facility):
    page = bob_client.get(for_facility.get_absolute_url()).content.decode()
    assert page.count(BUTTON) == 1
    assert page.index("Zet een ladder altijd") < page.index(BUTTON)
    # The top of the page says there is something to confirm, and where.
    assert page.index("bevestig onderaan") < page.index("Zet een ladder altijd")


def test_confirming_records_the_version_that_was_shown(bob_client, bob, for_facility):
    page = bob_client.get(for_facility.get_absolute_url()).content.decode()
    assert '<input type="hidden" name="version" value="1">' in page
    response = acknowledge(bob_client, for_facility, version="1")
    assert "Bedankt: je bevestigde dat je" in response.content.decode()
    ack = Acknowledgement.objects.get(employee=bob, directive=for_facility)
    assert ack.version.seq == 1


def test_a_newer_version_since_the_page_opened_is_not_confirmed_unread(
    bob_client, bob, editor, reviewer, for_facility
):
    bob_client.get(for_facility.get_absolute_url())  # Bob opens version 1 …
    republish(editor, reviewer, for_facility, body="Nieuwe regels voor ladders.", material=True)
    response = acknowledge(bob_client, for_facility, version="1")  # … and confirms it later
    page = response.content.decode()
    assert "Er is intussen een nieuwe versie van" in page
    assert "Lees de nieuwe versie en bevestig daarna." in page
    assert "Nieuwe regels voor ladders." in page  # back on the directive, now version 2
    assert not Acknowledgement.objects.filter(employee=bob).exists()
    acknowledge(bob_client, for_facility, version="2")
    assert Acknowledgement.objects.get(employee=bob).version.seq == 2


@pytest.mark.parametrize("version", [None, "", "abc", "-1", "99"])
def test_a_confirmation_without_the_version_shown_records_nothing(
    bob_client, bob, for_facility, version
):
    data = {} if version is None else {"version": version}
    response = acknowledge(bob_client, for_facility, **data)
    assert response.status_code == 200
    assert "Open de richtlijn, lees ze en bevestig onderaan." in response.content.decode()
    assert not Acknowledgement.objects.filter(employee=bob).exists()


def test_the_api_confirms_the_version_given(bob_client, bob, for_facility):
    url = reverse("kus:api_acknowledge", args=[for_facility.number])
    response = bob_client.post(url, {"version": 1}, content_type="application/json")
    assert response.status_code == 200 and response.json()["version"] == 1
    assert Acknowledgement.objects.get(employee=bob).version.seq == 1


def test_the_api_refuses_a_stale_version_with_a_json_error(
    bob_client, bob, editor, reviewer, for_facility
):
    republish(editor, reviewer, for_facility, body="Nieuwe regels voor ladders.", material=True)
    url = reverse("kus:api_acknowledge", args=[for_facility.number])
    response = bob_client.post(url, {"version": 1}, content_type="application/json")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "stale_version"
    assert "Lees de nieuwe versie en bevestig daarna." in error["detail"]
    assert not Acknowledgement.objects.filter(employee=bob).exists()


@pytest.mark.parametrize("version", ["1", True, 0, 99, [1]])
def test_the_api_refuses_a_version_that_is_not_one(bob_client, bob, for_facility, version):
    url = reverse("kus:api_acknowledge", args=[for_facility.number])
    response = bob_client.post(url, {"version": version}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_version"
    assert not Acknowledgement.objects.filter(employee=bob).exists()


def test_the_api_without_a_version_confirms_the_current_one(
    bob_client, bob, editor, reviewer, for_facility
):
    republish(editor, reviewer, for_facility, body="Nieuwe regels voor ladders.", material=True)
    url = reverse("kus:api_acknowledge", args=[for_facility.number])
    response = bob_client.post(url)
    assert response.status_code == 200 and response.json()["version"] == 2
    assert Acknowledgement.objects.get(employee=bob).version.seq == 2


def test_after_confirming_the_next_directive_to_read_is_one_tap_away(
    bob_client, editor, reviewer, organisation, for_facility
):
    audience = AudienceFactory()
    audience.departments.add(organisation["facility"])
    make_directive(
        editor, reviewer, owner=organisation["facility"], audience=audience, requires_ack=True
    )
    page = acknowledge(bob_client, for_facility, version="1").content.decode()
    assert "Nog 1 richtlijn te lezen" in page
    assert f'href="{reverse("kus:to_read")}"' in page
