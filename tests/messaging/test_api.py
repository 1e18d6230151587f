"""/api/v1/conversations/: for integrations, with a session or a personal token."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from messaging import actions
from messaging.models import Conversation, Message
from workplace.api import issue_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_api(alice):
    key = issue_token(alice, "planning")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_it_lists_my_conversations_with_unread_counts(alice_api, alice, bob, carol, direct):
    actions.send_message(bob, direct.pk, "Twee", "c-1")
    actions.send_message(bob, direct.pk, "berichten", "c-2")
    actions.get_or_create_direct(bob, carol)  # not Alice's
    response = alice_api.get(reverse("messaging:api_conversations"))
    assert response.status_code == 200
    [only] = response.json()["results"]
    assert only["id"] == direct.pk and only["unread"] == 2
    assert only["kind"] == "direct" and only["members"] == ["alice", "bob"]
    assert only["name"] == "Bob Peeters"
    assert alice_api.get(reverse("messaging:api_unread")).json() == {"total": 2}


def test_posting_one_member_returns_the_existing_direct_conversation(alice_api, bob, direct):
    response = post(alice_api, reverse("messaging:api_conversations"), {"members": ["bob"]})
    assert response.status_code == 200 and response.json()["id"] == direct.pk
    assert Conversation.objects.count() == 1


def test_posting_one_member_creates_the_direct_conversation_the_first_time(alice_api, bob):
    response = post(alice_api, reverse("messaging:api_conversations"), {"members": ["bob"]})
    assert response.status_code == 201
    assert Conversation.objects.get().direct_key


def test_posting_several_members_creates_a_group(alice_api, alice, bob, carol):
    response = post(
        alice_api,
        reverse("messaging:api_conversations"),
        {"members": ["bob", "carol"], "name": "Dienstoverleg"},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["kind"] == "group" and body["name"] == "Dienstoverleg"
    assert body["members"] == ["alice", "bob", "carol"]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"members": "bob"}, "invalid_members"),
        ({"members": ["niemand"]}, "unknown_members"),
        ({"members": []}, "invalid_members"),
        ({"members": ["bob", "carol"]}, "name_required"),
        ({"members": ["bob"], "name": 5}, "invalid_name"),
    ],
)
def test_bad_input_gets_a_json_error_and_creates_nothing(alice_api, bob, carol, body, code):
    response = post(alice_api, reverse("messaging:api_conversations"), body)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code and response.json()["error"]["detail"]
    assert not Conversation.objects.exists()


def test_messages_are_paged_after_an_id(alice_api, alice, direct):
    ids = [actions.send_message(alice, direct.pk, f"nr {n}", f"c-{n}")[0].pk for n in range(105)]
    url = reverse("messaging:api_messages", args=[direct.pk])
    first = alice_api.get(url).json()
    assert [m["id"] for m in first["results"]] == ids[:100]
    assert first["next"].endswith(f"?after={ids[99]}")
    rest = alice_api.get(url, {"after": ids[99]}).json()
    assert [m["body"] for m in rest["results"]] == [
        "nr 100",
        "nr 101",
        "nr 102",
        "nr 103",
        "nr 104",
    ]
    assert rest["next"] is None


def test_sending_by_api_is_idempotent_per_client_id(alice_api, direct):
    url = reverse("messaging:api_messages", args=[direct.pk])
    first = post(alice_api, url, {"body": "Via de planning-app", "client_id": "plan-1"})
    again = post(alice_api, url, {"body": "Via de planning-app", "client_id": "plan-1"})
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    assert Message.objects.count() == 1


def test_an_oversized_body_is_refused_by_api(alice_api, direct):
    url = reverse("messaging:api_messages", args=[direct.pk])
    response = post(alice_api, url, {"body": "x" * 10_001, "client_id": "c-1"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "body_too_long"
    assert not Message.objects.exists()
    response = post(alice_api, url, {"body": "x" * 10_000, "client_id": "c-2"})
    assert response.status_code == 201  # the control: at the limit it is sent


def test_a_conversation_that_is_not_mine_answers_404(alice_api, carol, direct):
    api = Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(carol, 'x')}")
    url = reverse("messaging:api_messages", args=[direct.pk])
    assert api.get(url).status_code == 404
    response = post(api, url, {"body": "hallo", "client_id": "c-1"})
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert not Message.objects.exists()
    assert alice_api.get(url).status_code == 200  # the control: its member reads it


def test_a_session_write_needs_the_csrf_token(alice, direct):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    url = reverse("messaging:api_messages", args=[direct.pk])
    response = post(client, url, {"body": "zonder token", "client_id": "c-1"})
    assert response.status_code == 403
    assert client.get(url).status_code == 200


def test_without_credentials_it_answers_401(direct):
    response = Client().get(reverse("messaging:api_conversations"))
    assert response.status_code == 401


def test_the_list_has_a_fixed_number_of_queries(alice_api, alice, django_assert_max_num_queries):
    from tests.factories import EmployeeFactory

    for _ in range(10):
        chat, _ = actions.get_or_create_direct(alice, EmployeeFactory())
        actions.send_message(alice, chat.pk, "hoi", None)
    with django_assert_max_num_queries(6):
        assert len(alice_api.get(reverse("messaging:api_conversations")).json()["results"]) == 10


def test_a_group_can_belong_to_a_space_i_am_in(alice_api, alice, bob):
    from streams.models import Membership as SpaceMembership
    from streams.models import Space

    space = Space.objects.create(name="Project Dampoort", slug="dampoort", kind="open")
    body = {"members": ["bob"], "name": "Werfploeg", "space": "dampoort"}
    refused = post(alice_api, reverse("messaging:api_conversations"), body)
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "space"
    SpaceMembership.objects.create(space=space, employee=alice)
    response = post(alice_api, reverse("messaging:api_conversations"), body)
    assert response.status_code == 201 and response.json()["space"] == "dampoort"
    assert Conversation.objects.get().space == space
