"""The Django admin opens every registered model's list, in Dutch."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.auth import verified_login
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def test_every_registered_model_list_opens_for_an_administrator(client, organisation):
    verified_login(client, EmployeeFactory(username="beheer", is_staff=True, is_superuser=True))
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url


def test_the_admin_speaks_dutch(client, organisation):
    verified_login(client, EmployeeFactory(username="beheer", is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:index")).content.decode()
    assert "Werkplek-beheer" in page and "Medewerkers" in page


def test_staff_cannot_set_the_password_of_an_account_with_more_rights(client, organisation):
    from django.contrib.auth.models import Permission

    root = EmployeeFactory(username="root", is_staff=True, is_superuser=True)
    helpdesk = EmployeeFactory(username="helpdesk", is_staff=True)
    helpdesk.user_permissions.add(*Permission.objects.filter(codename__endswith="_employee"))
    verified_login(client, helpdesk)
    url = reverse("admin:auth_user_password_change", args=[root.pk])
    response = client.post(
        url, {"password1": "Overgenomen-12345", "password2": "Overgenomen-12345"}
    )
    assert response.status_code == 403
    root.refresh_from_db()
    assert not root.check_password("Overgenomen-12345")


def test_staff_cannot_make_themselves_superuser_in_the_admin(client, organisation):
    from django.contrib.auth.models import Permission

    helpdesk = EmployeeFactory(username="helpdesk", is_staff=True)
    helpdesk.user_permissions.add(*Permission.objects.filter(codename__endswith="_employee"))
    verified_login(client, helpdesk)
    page = client.get(reverse("admin:workplace_employee_change", args=[helpdesk.pk]))
    assert b'name="is_superuser"' not in page.content
    assert b'name="user_permissions"' not in page.content
