from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.models import Announcement, Campaign, DepartmentCommunicator
from kus.text import render_markdown
from tests.auth import verified_login
from tests.factories import EmployeeFactory
from tests.kus.conftest import editor, reviewer  # noqa: F401 (KUS's two editors)
from workplace.models import Audience
from workplace.roles import Role


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
