from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.models import Announcement, Campaign, DepartmentCommunicator
from kus.text import render_markdown
from tests.auth import verified_login
from tests.factories import EmployeeFactory
from tests.kus.conftest import ensure_categories, ensure_roles
from workplace.models import Audience
from workplace.roles import Role


@pytest.fixture
def organisation(organisation):
    """The shared small city, with the role groups and categories KUS relies on."""
    ensure_roles()
    ensure_categories()
    return organisation


@pytest.fixture
def editor(organisation):
    """KUS editor: writes directives (and so follows their reach)."""
    return EmployeeFactory(
        username="eddy", department=organisation["civil"], roles=[Role.KUS_EDITORS]
    )


@pytest.fixture
def reviewer(organisation):
    """The second pair of eyes on a directive."""
    return EmployeeFactory(
        username="rita", department=organisation["civil"], roles=[Role.KUS_EDITORS]
    )


@pytest.fixture
def lies(organisation):
    """Of the communication team, in Burgerzaken (outside the Facility audience)."""
    return EmployeeFactory(
        username="lies",
        first_name="Lies",
        department=organisation["civil"],
        roles=[Role.COMMUNICATION],
    )


@pytest.fixture
def frank(organisation):
    """Communicator of Facility Management (and everything below it), in that department."""
    person = EmployeeFactory(
        username="frank", first_name="Frank", department=organisation["facility"]
    )
    DepartmentCommunicator.objects.create(department=organisation["facility"], employee=person)
    return person


@pytest.fixture
def facility_audience(organisation):
    """Facility Management and the departments below it: Alice and Bob, not Carol."""
    audience = Audience.objects.create()
    audience.departments.add(organisation["facility"])
    return audience


@pytest.fixture
def login(client):
    def log_in(user):
        client.logout()
        verified_login(client, user)
        return client

    return log_in


def scheduled(author, audience, *, title="Nieuwe werkkledij", minutes=60, **fields) -> Announcement:
    body = fields.pop("body", "Vanaf maandag ligt de nieuwe werkkledij klaar in het depot.")
    return Announcement.objects.create(
        title=title,
        body=body,
        body_html=render_markdown(body),
        author=author,
        audience=audience,
        publish_at=timezone.now() + timedelta(minutes=minutes),
        **fields,
    )


@pytest.fixture
def campaign(lies, facility_audience) -> Campaign:
    today = timezone.localdate()
    return Campaign.objects.create(
        title="Fier op ons werk",
        goal="Laten zien wat de technische ploegen elke dag doen.",
        theme="fierheid",
        starts=today - timedelta(days=7),
        ends=today + timedelta(days=30),
        owner=lies,
        audience=facility_audience,
    )
