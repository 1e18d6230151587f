"""Saving one's profile writes the profile's fields only, never a stale copy of the rest."""

from __future__ import annotations

import pytest

from tests.factories import EmployeeFactory
from workplace.forms import ProfileForm
from workplace.models import Employee

pytestmark = pytest.mark.django_db


def test_a_profile_saved_while_hr_deactivates_the_account_leaves_it_deactivated():
    employee = EmployeeFactory(mobile="")
    # The profile page loaded the employee; HR deactivates the account meanwhile.
    form = ProfileForm(
        {"mobile": "0470 12 34 56", "mobile_opt_in": "on", "language": "nl"},
        instance=employee,
    )
    Employee.objects.filter(pk=employee.pk).update(is_active=False, job_title="Vertrokken")
    assert form.is_valid(), form.errors
    form.save()

    saved = Employee.objects.get(pk=employee.pk)
    assert saved.mobile == "0470 12 34 56"
    assert saved.is_active is False
    assert saved.job_title == "Vertrokken"


def test_a_profile_saved_after_a_password_change_elsewhere_keeps_the_new_password():
    employee = EmployeeFactory()
    form = ProfileForm({"language": "en"}, instance=employee)
    changed = Employee.objects.get(pk=employee.pk)
    changed.set_password("een-nieuw-wachtwoord-2026")
    changed.save(update_fields=["password"])
    assert form.is_valid(), form.errors
    form.save()

    assert Employee.objects.get(pk=employee.pk).check_password("een-nieuw-wachtwoord-2026")
