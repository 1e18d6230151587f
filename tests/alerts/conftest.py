from __future__ import annotations

import pytest
from django.utils import timezone

from alerts.models import UrgentMessage
from notifications.models import DeliveryProfile
from tests.auth import verified_login
from tests.factories import EmployeeFactory
from workplace.models import Audience
from workplace.roles import Role


@pytest.fixture(autouse=True)
def _banner_forgets(monkeypatch):
    """The banner remembers the last send (cache and process): each test starts unknowing
    and leaves "nothing sent" behind, as the other apps' databases have it."""
    from django.core.cache import cache

    from alerts import actions

    cache.delete(actions.LAST_SENT_KEY)
    monkeypatch.setattr(actions, "_last_sent", None)
    yield
    cache.delete(actions.LAST_SENT_KEY)
    monkeypatch.setattr(actions, "_last_sent", 0.0)


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
def koen(organisation):
    """Of crisis communication."""
    return EmployeeFactory(
        username="koen",
        first_name="Koen",
        department=organisation["civil"],
        roles=[Role.CRISIS_COMMUNICATION],
    )


@pytest.fixture
def facility_audience(organisation):
    """Facility Management and the departments below it: Alice and Bob, not Carol."""
    audience = Audience.objects.create()
    audience.departments.add(organisation["facility"])
    return audience


@pytest.fixture
def draft(lies, facility_audience, alice, bob, carol) -> UrgentMessage:
    return UrgentMessage.objects.create(
        title="Gaslek Sint-Pietersplein",
        body="Verlaat het gebouw langs de achteruitgang.",
        sender=lies,
        audience=facility_audience,
    )


@pytest.fixture
def login(client):
    def log_in(user):
        client.logout()
        verified_login(client, user)
        return client

    return log_in


def confirmed_sms(*employees):
    for number, employee in enumerate(employees):
        DeliveryProfile.objects.update_or_create(
            employee=employee,
            defaults={"sms_number": f"+3247500000{number}", "sms_confirmed": timezone.now()},
        )
