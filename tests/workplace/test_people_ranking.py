"""People search puts names first: whole names, then the start of names, then job titles.

The same ranking feeds the directory, its as-you-type suggestions (also the @mention
completion), the direct-message picker and the group member picker.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from messaging import actions as messaging
from tests.factories import EmployeeFactory
from workplace.directory import find_employees

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleagues(organisation):
    """Three painters whose job title holds "hilde", and Hilde herself, and others."""
    team = organisation["team"]
    painters = [
        EmployeeFactory(
            username=f"schilder{n}",
            first_name=first,
            last_name="Baert",
            job_title="Schilder",
            department=team,
        )
        for n, first in enumerate(["Ann", "Bart", "Chris"])
    ]
    return {
        "painters": painters,
        "hilde": EmployeeFactory(
            username="hraes",
            first_name="Hilde",
            last_name="Raes",
            job_title="Onthaal",
            department=organisation["civil"],
        ),
        "hildegard": EmployeeFactory(
            username="hvdb",
            first_name="Hildegard",
            last_name="Van den Broeck",
            department=organisation["civil"],
        ),
        "kan": EmployeeFactory(
            username="kan.demir",
            first_name="Kaan",
            last_name="Demir",
            department=team,
        ),
        "oznur": EmployeeFactory(
            username="oozturk",
            first_name="Öznur",
            last_name="Öztürk",
            personnel_number="731204",
            department=team,
        ),
        "yilmaz": EmployeeFactory(
            username="yilmaz",
            first_name="Ayşe",
            last_name="Y\u0131lmaz",  # the dotless i
            department=team,
        ),
    }


def usernames(employees) -> list[str]:
    return [employee.username for employee in employees]


def test_it_ranks_a_whole_first_name_above_its_start_and_both_above_job_titles(colleagues):
    assert usernames(find_employees("Hilde")) == [
        "hraes",
        "hvdb",
        "schilder0",
        "schilder1",
        "schilder2",
    ]


def test_it_finds_a_colleague_by_the_start_of_a_username_with_or_without_at(colleagues):
    assert usernames(find_employees("@kan")) == ["kan.demir"]
    assert usernames(find_employees("kan.de")) == ["kan.demir"]


def test_it_finds_names_without_their_accents_and_with_them(colleagues):
    assert usernames(find_employees("ozturk")) == ["oozturk"]
    assert usernames(find_employees("Öznur")) == ["oozturk"]
    assert usernames(find_employees("yilmaz ayse")) == ["yilmaz"]


def test_it_finds_the_start_of_any_word_of_a_compound_last_name(colleagues):
    assert usernames(find_employees("broeck")) == ["hvdb"]
    assert usernames(find_employees("van den")) == ["hvdb"]


def test_a_personnel_number_and_its_start_come_first(colleagues):
    assert usernames(find_employees("731204")) == ["oozturk"]
    assert usernames(find_employees("7312")) == ["oozturk"]


def test_a_name_kept_up_to_date_by_a_partial_save_stays_findable(colleagues):
    oznur = colleagues["oznur"]
    oznur.last_name = "Çelik"
    oznur.save(update_fields=["last_name"])
    assert usernames(find_employees("celik")) == ["oozturk"]
    assert usernames(find_employees("ozturk")) == []


def test_the_directory_page_lists_hilde_before_the_painters(client, alice, colleagues):
    client.force_login(alice)
    page = client.get(reverse("people"), {"q": "Hilde"}).context["page"]
    assert usernames(page.object_list)[:2] == ["hraes", "hvdb"]


def test_the_suggestions_the_mention_completion_asks_for_name_the_username(
    client, alice, colleagues
):
    # streams.js asks for what follows "@": "@kan" → ?q=kan
    client.force_login(alice)
    results = client.get(reverse("api_people"), {"q": "kan"}).json()["results"]
    assert [result["username"] for result in results] == ["kan.demir"]
    results = client.get(reverse("api_people"), {"q": "hilde"}).json()["results"]
    assert [result["username"] for result in results][:2] == ["hraes", "hvdb"]


def test_the_direct_message_picker_ranks_names_first(client, alice, colleagues):
    client.force_login(alice)
    people = client.get(reverse("messaging:new_direct"), {"q": "hilde"}).context["people"]
    assert usernames(people) == ["hraes", "hvdb", "schilder0", "schilder1", "schilder2"]


def test_the_group_member_picker_ranks_names_first(client, alice, colleagues):
    chat = messaging.create_group(alice, "Werf Dampoort", [])
    client.force_login(alice)
    url = reverse("messaging:members", args=[chat.pk])
    assert usernames(client.get(url, {"q": "hilde"}).context["people"])[:2] == ["hraes", "hvdb"]
    assert usernames(client.get(url, {"q": "@kan"}).context["people"]) == ["kan.demir"]
