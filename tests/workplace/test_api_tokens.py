"""Personal API tokens: making and revoking one is on record."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.auth import verified_login
from workplace.models import ApiToken, AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def test_making_a_token_is_recorded_without_its_key(client, bob):
    verified_login(client, bob)
    response = client.post(reverse("api_tokens"), {"name": "planning"})
    key = response.context["new_key"]
    token = ApiToken.objects.get(user=bob)
    event = AuditEvent.objects.get(action=AuditAction.TOKEN_CREATED)
    assert event.actor == bob and event.target_id == str(token.pk)
    assert key not in str(event.detail) + event.target_label


def test_revoking_a_token_is_recorded(client, bob):
    verified_login(client, bob)
    client.post(reverse("api_tokens"), {"name": "planning"})
    token = ApiToken.objects.get(user=bob)
    client.post(reverse("api_tokens"), {"revoke": token.pk})
    event = AuditEvent.objects.get(action=AuditAction.TOKEN_REVOKED)
    assert event.actor == bob and event.target_id == str(token.pk)


def test_revoking_someone_elses_token_records_nothing(client, alice, bob):
    verified_login(client, bob)
    client.post(reverse("api_tokens"), {"name": "planning"})
    verified_login(client, alice)
    client.post(reverse("api_tokens"), {"revoke": ApiToken.objects.get(user=bob).pk})
    assert not AuditEvent.objects.filter(action=AuditAction.TOKEN_REVOKED).exists()
