from __future__ import annotations

import uuid

import pytest
from django.test import Client

from streams import actions, ratelimit
from streams.models import SpaceKind
from tests.auth import verified_login
from tests.factories import EmployeeFactory
from workplace.roles import Role


@pytest.fixture(autouse=True)
def _fresh_rate_limits(monkeypatch):
    # Tests that write many posts should not trip the limits; the limit tests set their own.
    monkeypatch.setitem(ratelimit.LIMITS, "post", (1000, 600))
    monkeypatch.setitem(ratelimit.LIMITS, "comment", (1000, 600))
    # A fresh key space per test, rather than clearing a cache other test runs share.
    monkeypatch.setattr(ratelimit, "KEY_PREFIX", f"streams:rate:{uuid.uuid4().hex}")


@pytest.fixture
def client_for():
    def make(user) -> Client:
        client = Client()
        verified_login(client, user)  # the communication team gives its second factor
        return client

    return make


@pytest.fixture
def lies(organisation):
    """A community manager of the communication team."""
    return EmployeeFactory(
        username="lies",
        first_name="Lies",
        last_name="Van Damme",
        department=organisation["civil"],
        roles=[Role.COMMUNICATION],
    )


@pytest.fixture
def open_space(alice):
    return actions.create_space(alice, "Fietsherstelplaats", SpaceKind.OPEN, "Samen fietsen maken")


@pytest.fixture
def closed_space(alice):
    return actions.create_space(alice, "Gentse Feesten 2026 - opbouw", SpaceKind.CLOSED)
