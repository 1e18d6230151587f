"""Activation codes: printed by HR, stored hashed, single use, and they expire."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.auth import verified_login
from tests.factories import EmployeeFactory
from workplace import onboarding
from workplace.models import ActivationCode, AuditAction, AuditEvent, Employee
from workplace.roles import Role

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Tulpen-in-de-Bourgoyen-7"


@pytest.fixture
def hr_officer(organisation):
    return EmployeeFactory(username="hilde", roles=[Role.HR], department=organisation["civil"])


@pytest.fixture
def bob(bob):
    """Bob came with the staff import: no password of his own yet (a letter may not
    replace one, so the factory's password would make every letter a reset)."""
    bob.set_unusable_password()
    bob.save()
    return bob


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
    verified_login(client, hr_officer)
    choice = {"department": organisation["facility"].pk, "only_without_email": "on"}
    preview = client.post(reverse("activation_letters"), choice)
    assert "Bob" in preview.content.decode()
    assert not ActivationCode.objects.exists()  # the first step only shows who
    response = client.post(
        reverse("activation_letters"), {**choice, "confirm": "1", "employee": [bob.pk]}
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


# --- finding 2: letters never reach more rights, never silently replace a password -----


@pytest.fixture
def newcomers(organisation):
    """Imported employees of the maintenance team who never logged in."""

    def make(**kwargs):
        employee = EmployeeFactory(department=organisation["team"], email="", **kwargs)
        employee.set_unusable_password()
        employee.save()
        return employee

    return make


def print_letters(client, department, **extra):
    """Both steps: choose the department, then print for everyone the preview lists."""
    choice = {"department": department.pk, "only_without_email": "on"}
    preview = client.post(reverse("activation_letters"), choice)
    everyone = [employee.pk for employee in preview.context["plan"].employees]
    return client.post(
        reverse("activation_letters"), {**choice, "confirm": "1", "employee": everyone, **extra}
    )


def test_letters_never_reach_an_administrator_or_a_role_hr_lacks(
    client, hr_officer, newcomers, organisation
):
    plain = newcomers()
    root = newcomers(is_staff=True, is_superuser=True)
    staff = newcomers(is_staff=True)
    editor = newcomers(roles=[Role.KUS_EDITORS])
    verified_login(client, hr_officer)
    page = print_letters(client, organisation["facility"]).content.decode()
    assert set(ActivationCode.objects.values_list("employee", flat=True)) == {plain.pk}
    assert "3 medewerkers hebben rechten die jij niet hebt" in page
    assert root.username not in page and editor.username not in page and staff.username not in page


def test_letters_skip_whoever_already_has_a_password(client, hr_officer, newcomers, organisation):
    newcomer = newcomers()
    EmployeeFactory(department=organisation["team"], email="")  # has a password
    verified_login(client, hr_officer)
    page = print_letters(client, organisation["team"]).content.decode()
    assert list(ActivationCode.objects.values_list("employee", flat=True)) == [newcomer.pk]
    assert "1 medewerker heeft al een wachtwoord" in page
    assert reverse("activation_reset") in page


def test_a_batch_of_letters_is_recorded_with_the_employees(
    client, hr_officer, newcomers, organisation
):
    first, second = newcomers(), newcomers()
    verified_login(client, hr_officer)
    print_letters(client, organisation["team"])
    event = AuditEvent.objects.get(action=AuditAction.ACTIVATION_ISSUED)
    assert event.actor == hr_officer
    assert sorted(event.detail["employees"]) == sorted([first.pk, second.pk])


# --- printing again: say which codes stop working, and print for chosen people only ---


def test_the_preview_says_whose_unused_codes_a_new_letter_replaces(
    client, hr_officer, newcomers, organisation
):
    first, second = newcomers(first_name="Fatima"), newcomers(first_name="Tom")
    old = onboarding.issue_activation_code(first, created_by=hr_officer)
    verified_login(client, hr_officer)
    page = client.post(
        reverse("activation_letters"),
        {"department": organisation["team"].pk, "only_without_email": "on"},
    ).content.decode()
    assert "1 ongebruikte code stopt met werken" in page
    assert first.get_full_name() in page and second.get_full_name() in page
    assert ActivationCode.objects.filter(used__isnull=True).count() == 1
    assert onboarding.find_usable_code(old).employee == first  # nothing replaced yet


def test_replacing_unused_codes_needs_a_confirmation(client, hr_officer, newcomers, organisation):
    newcomer = newcomers()
    old = onboarding.issue_activation_code(newcomer, created_by=hr_officer)
    verified_login(client, hr_officer)
    page = print_letters(client, organisation["team"]).content.decode()
    assert "Bevestig dat de ongebruikte codes stoppen met werken" in page
    assert onboarding.find_usable_code(old).employee == newcomer
    page = print_letters(client, organisation["team"], replace_ok="on").content.decode()
    assert "1 brief klaar om af te drukken" in page
    assert ActivationCode.objects.filter(employee=newcomer).count() == 2
    with pytest.raises(onboarding.ActivationError):
        onboarding.find_usable_code(old)


def test_letters_for_chosen_people_leave_the_others_codes_alone(
    client, hr_officer, newcomers, organisation
):
    lost, kept = newcomers(), newcomers()
    onboarding.issue_activation_code(lost, created_by=hr_officer)
    kept_code = onboarding.issue_activation_code(kept, created_by=hr_officer)
    verified_login(client, hr_officer)
    choice = {"department": organisation["team"].pk, "only_without_email": "on"}
    response = client.post(
        reverse("activation_letters"),
        {**choice, "confirm": "1", "employee": [lost.pk], "replace_ok": "on"},
    )
    assert response.status_code == 200 and lost.username in response.content.decode()
    assert onboarding.find_usable_code(kept_code).employee == kept
    assert ActivationCode.objects.filter(employee=lost).count() == 2


def test_letters_can_be_limited_to_personnel_numbers(client, hr_officer, newcomers, organisation):
    chosen, other = newcomers(), newcomers()
    verified_login(client, hr_officer)
    page = client.post(
        reverse("activation_letters"),
        {"department": organisation["facility"].pk, "people": chosen.personnel_number},
    ).content.decode()
    assert chosen.get_full_name() in page and other.get_full_name() not in page


def test_a_choice_outside_the_department_prints_nothing(
    client, hr_officer, newcomers, organisation
):
    outsider = EmployeeFactory(department=organisation["civil"], email="")
    outsider.set_unusable_password()
    outsider.save()
    verified_login(client, hr_officer)
    response = client.post(
        reverse("activation_letters"),
        {"department": organisation["team"].pk, "confirm": "1", "employee": [outsider.pk, "x"]},
    )
    assert response.status_code == 200
    assert "Kies minstens" in response.content.decode()
    assert not ActivationCode.objects.exists()


def reset(client, who, reason="Wachtwoord vergeten, persoonlijk langsgekomen met identiteitskaart"):
    return client.post(reverse("activation_reset"), {"employee": who, "reason": reason})


def test_hr_resets_a_colleague_who_logged_in_before_with_a_written_reason(
    client, hr_officer, alice
):
    verified_login(client, hr_officer)
    response = reset(client, alice.personnel_number)
    assert response.status_code == 200 and "<svg" in response.content.decode()
    code = ActivationCode.objects.get(employee=alice)
    assert code.reason.startswith("Wachtwoord vergeten")
    event = AuditEvent.objects.get(action=AuditAction.PASSWORD_RESET)
    assert event.actor == hr_officer and event.target_id == str(alice.pk)
    assert event.detail["reason"].startswith("Wachtwoord vergeten")
    alice.refresh_from_db()
    assert alice.check_password("Correct-Horse-42")  # works until the letter is used


def test_a_reset_needs_a_reason(client, hr_officer, alice):
    verified_login(client, hr_officer)
    response = reset(client, alice.username, reason="  ")
    assert response.status_code == 200
    assert not ActivationCode.objects.exists()


def test_a_reset_never_reaches_an_account_with_more_rights(client, hr_officer, organisation):
    root = EmployeeFactory(username="root", is_staff=True, is_superuser=True)
    verified_login(client, hr_officer)
    page = reset(client, "root").content.decode()
    assert "rechten die jij niet hebt" in page
    assert not ActivationCode.objects.filter(employee=root).exists()


def test_redeeming_a_reset_is_recorded(client, hr_officer, alice):
    code = onboarding.issue_reset_code(alice, created_by=hr_officer, reason="Vergeten")
    activate_with(client, code)
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action=AuditAction.ACTIVATION_USED)
    assert event.target_id == str(alice.pk)
    assert event.detail == {"reset": True, "issued_by": hr_officer.pk}


def test_a_first_letter_does_not_replace_a_password_chosen_meanwhile(client, hr_officer, newcomers):
    newcomer = newcomers()
    code = onboarding.issue_activation_code(newcomer, created_by=hr_officer)
    newcomer.set_password("Zelf-gekozen-via-mail-3")  # the e-mail reset, say
    newcomer.save()
    page = activate_with(client, code).content.decode()
    assert "al een wachtwoord" in page
    newcomer.refresh_from_db()
    assert newcomer.check_password("Zelf-gekozen-via-mail-3")


def test_a_code_stops_working_once_its_holder_has_more_rights_than_the_issuer(
    client, hr_officer, newcomers
):
    newcomer = newcomers()
    code = onboarding.issue_activation_code(newcomer, created_by=hr_officer)
    newcomer.is_staff = True
    newcomer.save()
    page = activate_with(client, code).content.decode()
    assert "niet meer geldig" in page
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()


def test_issuing_a_code_for_more_rights_is_refused_in_the_action_too(hr_officer, organisation):
    root = EmployeeFactory(is_staff=True, is_superuser=True)
    with pytest.raises(onboarding.ActivationError):
        onboarding.issue_reset_code(root, created_by=hr_officer, reason="Een poging")
