"""A session that still owes its second factor opens no WebSocket either."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings

from tests.auth import WerkplekClient
from tests.factories import EmployeeFactory
from tests.realtime import communicator, session_cookie_for
from workplace.roles import Role

pytestmark = [pytest.mark.django_db(transaction=True)]


def communication_officer():
    from django.contrib.auth.models import Group

    # The role groups come from a data migration, which a transactional test flushes.
    Group.objects.get_or_create(name=Role.COMMUNICATION)
    return EmployeeFactory(roles=[Role.COMMUNICATION])


def password_only_session(user) -> str:
    client = WerkplekClient()
    client.force_login(user)  # the password, and no code yet
    return client.cookies[settings.SESSION_COOKIE_NAME].value


async def test_a_role_holder_without_the_code_gets_no_socket(organisation):
    lies = await sync_to_async(communication_officer)()
    socket = communicator(await sync_to_async(password_only_session)(lies))
    connected, code = await socket.connect()
    assert not connected and code == 4401


async def test_with_the_code_the_socket_opens(organisation):
    lies = await sync_to_async(communication_officer)()
    socket = communicator(await sync_to_async(session_cookie_for)(lies))
    connected, _code = await socket.connect()
    assert connected
    await socket.disconnect()
