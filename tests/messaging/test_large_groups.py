"""A group of 5,000 (the whole of a large department): the member cap is a real size,
not a query the database refuses."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from messaging import actions
from messaging.models import MAX_GROUP_MEMBERS, Conversation, Membership
from workplace.api import issue_token
from workplace.models import Employee

pytestmark = pytest.mark.django_db
HALF = MAX_GROUP_MEMBERS // 2


def colleagues(count: int, prefix: str = "collega") -> list[Employee]:
    """``count`` active employees, made in one statement (a thousand factories are slow)."""
    Employee.objects.bulk_create(
        Employee(
            username=f"{prefix}{n}",
            personnel_number=f"9{prefix[:2]}{n:05}",
            first_name="Collega",
            last_name=str(n),
            email=f"{prefix}{n}@stad.gent",
        )
        for n in range(count)
    )
    return list(Employee.objects.filter(username__startswith=prefix).order_by("pk"))


@pytest.fixture
def alice_api(alice):
    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(alice, 'planning')}")


def create(client, usernames: list[str]):
    body = {"members": usernames, "name": "Iedereen van de Groendienst"}
    return client.post(
        reverse("messaging:api_conversations"), json.dumps(body), content_type="application/json"
    )


def test_it_creates_a_group_of_five_thousand_members_by_api(alice_api, alice):
    others = colleagues(MAX_GROUP_MEMBERS - 1)
    response = create(alice_api, [person.username for person in others])
    assert response.status_code == 201, response.content
    assert len(response.json()["members"]) == MAX_GROUP_MEMBERS
    chat = Conversation.objects.get()
    assert chat.memberships.count() == MAX_GROUP_MEMBERS


def test_one_member_over_the_cap_gets_a_clear_json_error_and_nothing_is_written(alice_api, alice):
    others = colleagues(MAX_GROUP_MEMBERS)
    response = create(alice_api, [person.username for person in others])
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "too_many_members"
    assert str(MAX_GROUP_MEMBERS) in error["detail"].replace(".", "")
    assert not Conversation.objects.exists() and not Membership.objects.exists()


@pytest.fixture
def big_group(alice):
    """Alice's group of half the cap."""
    return actions.create_group(alice, "Groendienst", colleagues(HALF - 1, "groen"))


def test_an_admin_fills_a_group_to_the_cap_in_one_go(alice, big_group):
    added = actions.add_members(alice, big_group.pk, colleagues(HALF, "wegen"))
    assert added == HALF and big_group.memberships.count() == MAX_GROUP_MEMBERS


def test_adding_past_the_cap_is_refused_and_adds_no_one(alice, big_group):
    with pytest.raises(actions.MessagingError) as refused:
        actions.add_members(alice, big_group.pk, colleagues(HALF + 1, "wegen"))
    assert refused.value.code == "too_many_members"
    assert big_group.memberships.count() == HALF


def test_a_message_to_a_full_group_goes_out_once_to_the_group_every_member_joined(
    alice, big_group, monkeypatch
):
    joined, sent = [], []
    monkeypatch.setattr(actions, "join_on_commit", lambda users, group: joined.extend(users))
    monkeypatch.setattr(
        actions,
        "send_group_event_on_commit",
        lambda group, event, also_to: sent.append((group, len(also_to))),
    )
    added = colleagues(HALF, "wegen")
    actions.add_members(alice, big_group.pk, added)
    big_group.memberships.update(joined=timezone.now() - timedelta(hours=1))
    message, created = actions.send_message(alice, big_group.pk, "Vergadering om 9 uur", "c-1")
    assert created and message.mentions.count() == 0
    assert sent == [(f"conversation-{big_group.pk}", 0)]  # nobody who joined just now
    assert len(set(joined)) == HALF  # the newcomers' open sockets join it


def test_the_pages_of_a_full_group_open(client, alice, big_group):
    members = colleagues(HALF, "wegen")
    actions.add_members(alice, big_group.pk, members)
    actions.send_message(alice, big_group.pk, "Hallo @wegen1 en @groen2", "c-1")
    client.force_login(members[1])
    for url in (
        reverse("messaging:inbox"),
        big_group.get_absolute_url(),
        reverse("messaging:members", args=[big_group.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert f"{MAX_GROUP_MEMBERS} leden" in client.get(reverse("messaging:inbox")).content.decode()


def test_a_list_of_forty_thousand_usernames_is_refused_before_any_lookup(alice_api, alice):
    response = create(alice_api, [f"collega{n}" for n in range(40_000)])
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "too_many_members"
    assert not Conversation.objects.exists()
