"""Activation codes: printed by HR, stored hashed, single use, and they expire."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.factories import EmployeeFactory
from workplace import onboarding
from workplace.models import ActivationCode, Employee
from workplace.roles import Role

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Tulpen-in-de-Bourgoyen-7"


@pytest.fixture
def hr_officer(organisation):
    return EmployeeFactory(username="hilde", roles=[Role.HR], department=organisation["civil"])


def activate_with(client, code, password=NEW_PASSWORD, pin="4826"):
    return client.post(
        reverse("activate"),
        {"code": code, "password1": password, "password2": password, "pin": pin},
    )


def test_the_code_is_stored_only_as_a_hash(bob):
    code = onboarding.issue_activation_code(bob, created_by=None)
    stored = ActivationCode.objects.get(employee=bob)
    assert code.replace("-", "") not in stored.code_hash
    assert len(code) == 14 and code.count("-") == 2


def test_an_employee_activates_with_the_code_and_is_logged_in(client, bob):
    code = onboarding.issue_activation_code(bob, created_by=None)
    response = activate_with(client, code.lower().replace("-", " "))  # typed sloppily on a phone
    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.check_password(NEW_PASSWORD)
    assert bob.check_pin("4826")
    assert client.get(reverse("home")).context["user"] == bob


def test_a_code_works_only_once(client, bob):
    code = onboarding.issue_activation_code(bob, created_by=None)
    activate_with(client, code)
    client.logout()
    response = activate_with(client, code, password="Een-ander-wachtwoord-9")
    assert "werd al gebruikt" in response.content.decode()
    bob.refresh_from_db()
    assert bob.check_password(NEW_PASSWORD)


def test_a_code_expires(client, bob, settings):
    code = onboarding.issue_activation_code(bob, created_by=None)
    later = timezone.now() + timedelta(days=settings.ACTIVATION_CODE_DAYS, minutes=1)
    with time_machine.travel(later):
        response = activate_with(client, code)
    assert "is vervallen" in response.content.decode()
    bob.refresh_from_db()
    assert not bob.check_password(NEW_PASSWORD)


def test_a_new_letter_replaces_the_old_code(client, bob):
    old = onboarding.issue_activation_code(bob, created_by=None)
    onboarding.issue_activation_code(bob, created_by=None)
    response = activate_with(client, old)
    assert "is vervallen" in response.content.decode()


def test_an_unknown_code_is_refused(client, bob):
    response = activate_with(client, "AAAA-BBBB-CCCC")
    assert "niet geldig" in response.content.decode()


def test_a_weak_password_is_refused_and_the_code_stays_usable(client, bob):
    code = onboarding.issue_activation_code(bob, created_by=None)
    response = activate_with(client, code, password="12345678")
    assert response.status_code == 200
    assert ActivationCode.objects.get(employee=bob).used is None


def test_a_deactivated_employee_cannot_activate(client, bob):
    code = onboarding.issue_activation_code(bob, created_by=None)
    Employee.objects.filter(pk=bob.pk).update(is_active=False)
    assert "niet geldig" in activate_with(client, code).content.decode()


def test_hr_prints_letters_for_a_department(client, hr_officer, bob, alice, organisation):
    client.force_login(hr_officer)
    response = client.post(
        reverse("activation_letters"),
        {
            "department": organisation["facility"].pk,
            "only_without_email": "on",
            "only_never_logged_in": "on",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Bob" in page and "Alice" not in page  # Alice has a work e-mail
    assert "<svg" in page  # the QR code
    assert ActivationCode.objects.filter(employee=bob, created_by=hr_officer).count() == 1
    assert response["Cache-Control"] == "no-store"


def test_only_hr_prints_letters(client, alice, organisation):
    client.force_login(alice)
    response = client.post(
        reverse("activation_letters"), {"department": organisation["facility"].pk}
    )
    assert response.status_code == 403
    assert ActivationCode.objects.count() == 0


def test_the_qr_code_leads_to_the_form_with_the_code_filled_in(client, bob):
    code = onboarding.issue_activation_code(bob, created_by=None)
    response = client.get(reverse("activate"), {"code": code})
    assert f'value="{code}"' in response.content.decode()
