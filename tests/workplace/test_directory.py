"""The directory: find colleagues by name, job title or department; profiles; departments."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, alice):
    client.force_login(alice)
    return client


def found(client, query) -> set[str]:
    response = client.get(reverse("people"), {"q": query})
    return {person.username for person in response.context["page"].object_list}


def test_it_finds_a_colleague_by_name(logged_in, bob, carol):
    assert found(logged_in, "peeters") == {"bob"}


def test_it_finds_colleagues_by_job_title(logged_in, bob, carol):
    assert found(logged_in, "elektricien") == {"bob"}


def test_it_finds_colleagues_by_department_name(logged_in, bob, carol):
    assert found(logged_in, "burgerzaken") == {"carol"}


def test_every_word_must_match(logged_in, bob, carol):
    assert found(logged_in, "bob loket") == set()
    assert found(logged_in, "bob elektr") == {"bob"}


def test_it_leaves_out_deactivated_employees(logged_in, bob):
    bob.is_active = False
    bob.save()
    assert found(logged_in, "peeters") == set()


def test_as_you_type_suggestions_answer_json(logged_in, bob):
    response = logged_in.get(reverse("api_people"), {"q": "pee"})
    results = response.json()["results"]
    assert [r["username"] for r in results] == ["bob"]
    assert results[0]["url"] == reverse("profile", args=["bob"])
    assert logged_in.get(reverse("api_people"), {"q": "p"}).json() == {"results": []}


def test_suggestions_need_a_login(client, bob):
    assert client.get(reverse("api_people"), {"q": "pee"}).status_code == 401


def test_the_profile_shows_a_mobile_number_only_with_consent(logged_in, bob):
    bob.mobile = "+32 470 11 22 33"
    bob.save()
    assert (
        "+32 470 11 22 33" not in logged_in.get(reverse("profile", args=["bob"])).content.decode()
    )
    bob.mobile_opt_in = True
    bob.save()
    assert "+32 470 11 22 33" in logged_in.get(reverse("profile", args=["bob"])).content.decode()


def test_a_personal_email_is_never_shown(logged_in, bob):
    from notifications.models import DeliveryProfile

    DeliveryProfile.objects.create(
        employee=bob, personal_email="bob@example.be", use_personal_email=True
    )
    page = logged_in.get(reverse("profile", args=["bob"])).content.decode()
    assert "Bob Peeters" in page  # the control: it is Bob's profile
    assert "bob@example.be" not in page


def test_a_deactivated_profile_is_not_found(logged_in, bob):
    assert logged_in.get(reverse("profile", args=["bob"])).status_code == 200  # the control
    bob.is_active = False
    bob.save()
    assert logged_in.get(reverse("profile", args=["bob"])).status_code == 404


def test_the_department_page_lists_members_and_sub_departments(logged_in, organisation, bob):
    response = logged_in.get(reverse("department", args=["fm-geb"]))
    page = response.content.decode()
    assert "Team Onderhoud Noord" in page and "Alice" in page
    assert response.context["subtree_count"] == 2  # Alice here, Bob in the team below


def test_the_department_tree_lists_every_department(logged_in, organisation):
    page = logged_in.get(reverse("departments")).content.decode()
    for name in ("Facility Management", "Dienst Gebouwen", "Team Onderhoud Noord", "Burgerzaken"):
        assert name in page


def test_the_directory_page_uses_as_many_queries_for_30_rows_as_for_3(logged_in, organisation):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    EmployeeFactory.create_batch(3, department=organisation["team"], job_title="Schilder")
    EmployeeFactory.create_batch(30, department=organisation["civil"], job_title="Loketbediende")
    counts = []
    for query in ("schilder", "loketbediende"):
        logged_in.get(reverse("people"), {"q": query})  # warm per-session caches
        with CaptureQueriesContext(connection) as queries:
            response = logged_in.get(reverse("people"), {"q": query})
        assert len(response.context["page"].object_list) in (3, 25)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_an_employee_edits_their_own_contact_choices(logged_in, alice):
    response = logged_in.post(
        reverse("edit_profile"),
        {"mobile": "0470 12 34 56", "mobile_opt_in": "on", "language": "nl"},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.mobile_opt_in and alice.mobile == "0470 12 34 56"


def test_consent_without_the_data_is_refused(logged_in, alice):
    response = logged_in.post(
        reverse("edit_profile"),
        {"mobile_opt_in": "on", "mobile": "", "language": "nl"},
    )
    assert response.status_code == 200
    alice.refresh_from_db()
    assert not alice.mobile_opt_in


def test_the_profile_form_no_longer_asks_for_a_personal_email(logged_in):
    # It moved to the notification settings, where the address is confirmed by a link.
    page = logged_in.get(reverse("edit_profile")).content.decode()
    assert 'name="mobile_opt_in"' in page  # the control: it is the profile form
    assert 'name="personal_email' not in page
