"""The demo organisation: realistic, idempotent, with working demo logins."""

from __future__ import annotations

import random

import pytest

from tests.auth import WerkplekClient as Client
from workplace import demo
from workplace.models import Department, Employee

pytestmark = pytest.mark.django_db


def seed_core() -> None:
    departments = demo.seed_organisation(random.Random(2026))
    demo.seed_demo_logins(departments)


def test_it_builds_a_ghent_organisation_with_a_third_field_workers():
    seed_core()
    total = Employee.objects.count()
    field = Employee.objects.filter(is_field_worker=True).count()
    assert 250 <= total <= 350
    assert 0.25 <= field / total <= 0.45
    assert Department.objects.get(code="GRN-N").parent.code == "GRN"
    assert Department.objects.get(code="GRN-N").manager.job_title.startswith("Ploegbaas")


def test_seeding_twice_changes_nothing():
    seed_core()
    fields = ("personnel_number", "username", "job_title")
    before = sorted(Employee.objects.values_list(*fields))
    seed_core()
    assert sorted(Employee.objects.values_list(*fields)) == before


def test_the_demo_logins_work():
    seed_core()
    for login in demo.DEMO_LOGINS:
        client = Client()
        assert client.login(username=login.username, password=demo.DEMO_PASSWORD), login.username
    field_worker = Employee.objects.get(username="terrein")
    assert field_worker.check_pin(demo.DEMO_PIN) and field_worker.email == ""
    assert Employee.objects.get(username="hr").groups.filter(name="HR").exists()
