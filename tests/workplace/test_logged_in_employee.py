"""The logged-in employee comes with their roles and what apps ask of them on most pages,
in the query that loads them; a change counts from the very next request."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.models import DepartmentCommunicator
from tests.auth import verified_login
from tests.factories import EmployeeFactory
from workplace.backends import EmployeeBackend
from workplace.roles import Role, manages_a_department, role_names

pytestmark = pytest.mark.django_db


def test_roles_and_answers_come_in_the_query_that_loads_the_employee(organisation):
    person = EmployeeFactory(department=organisation["civil"], roles=[Role.HR, Role.MANAGERS])
    organisation["civil"].manager = person
    organisation["civil"].save()
    DepartmentCommunicator.objects.create(department=organisation["civil"], employee=person)
    with CaptureQueriesContext(connection) as queries:
        loaded = EmployeeBackend().get_user(person.pk)
        names = role_names(loaded)
        manages = manages_a_department(loaded)
    assert len(queries) == 1
    assert names == {Role.HR.value, Role.MANAGERS.value}
    assert manages is True
    assert loaded.communicates_for_a_department is True
    assert loaded.holds_a_personal_kus_grant is False
    assert loaded.department == organisation["civil"]


def test_a_role_taken_away_counts_from_the_next_request(client, organisation):
    hr = EmployeeFactory(department=organisation["civil"], roles=[Role.HR])
    verified_login(client, hr)
    assert client.get(reverse("surveys:manage")).status_code == 200
    Group.objects.get(name=Role.HR).user_set.remove(hr)
    assert client.get(reverse("surveys:manage")).status_code == 403
