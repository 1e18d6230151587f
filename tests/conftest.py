from __future__ import annotations

import pytest

from tests.factories import DepartmentFactory, EmployeeFactory


@pytest.fixture(autouse=True)
def _media_and_index_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def organisation(db):
    """A small city: Facility with a team below it, and Burgerzaken beside it."""
    facility = DepartmentFactory(code="FM", name="Facility Management", kind="departement")
    buildings = DepartmentFactory(code="FM-GEB", name="Dienst Gebouwen", parent=facility)
    team = DepartmentFactory(
        code="FM-ON", name="Team Onderhoud Noord", parent=buildings, kind="team"
    )
    civil = DepartmentFactory(code="BZ", name="Burgerzaken", kind="departement")
    return {"facility": facility, "buildings": buildings, "team": team, "civil": civil}


@pytest.fixture
def alice(organisation):
    """An office worker in the Facility service."""
    return EmployeeFactory(
        username="alice",
        first_name="Alice",
        last_name="Claes",
        department=organisation["buildings"],
        job_title="Projectleider gebouwen",
    )


@pytest.fixture
def bob(organisation):
    """A field worker in the maintenance team below Alice's service, without e-mail."""
    return EmployeeFactory(
        username="bob",
        first_name="Bob",
        last_name="Peeters",
        department=organisation["team"],
        job_title="Elektricien",
        is_field_worker=True,
        email="",
    )


@pytest.fixture
def carol(organisation):
    """An office worker in another department altogether."""
    return EmployeeFactory(
        username="carol",
        first_name="Carol",
        last_name="Maes",
        department=organisation["civil"],
        job_title="Loketmedewerker",
    )
