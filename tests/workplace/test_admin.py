"""The Django admin opens every registered model's list, in Dutch."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def test_every_registered_model_list_opens_for_an_administrator(client, organisation):
    client.force_login(EmployeeFactory(username="beheer", is_staff=True, is_superuser=True))
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url


def test_the_admin_speaks_dutch(client, organisation):
    client.force_login(EmployeeFactory(username="beheer", is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:index")).content.decode()
    assert "Werkplek-beheer" in page and "Medewerkers" in page
