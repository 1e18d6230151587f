"""Password guessing is limited: per account and address, per account, per address."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, EmployeeFactory
from workplace import lockout
from workplace.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db
DEPOT = "10.20.0.1"  # one NAT address for a whole depot
HOME = "192.0.2.44"


def attempt(client, username, password="fout-wachtwoord", address=DEPOT):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_guessing_a_password_is_stopped_before_the_right_one_gets_in(client, alice, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "alice").status_code == 200
    assert attempt(client, "alice").status_code == 429  # the failure that reaches the limit
    response = attempt(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert not logged_in(client)


def test_the_lockout_page_is_dutch_and_in_the_site_shell(client, alice, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        response = attempt(client, "alice")
    page = response.content.decode()
    assert response.status_code == 429
    assert "Te veel mislukte pogingen" in page
    assert "15 minuten" in page
    assert 'class="brand"' in page  # base.html, not axes' bare English sentence
    assert "Account locked" not in page


def test_a_colleague_behind_the_same_depot_address_still_logs_in(client, alice, carol, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT + 3):
        attempt(client, "alice")
    response = attempt(client, "carol", PASSWORD)
    assert response.status_code == 302 and logged_in(client)


def test_the_owner_still_logs_in_from_another_address(client, alice, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT + 3):
        attempt(client, "alice")
    response = attempt(client, "alice", PASSWORD, address=HOME)
    assert response.status_code == 302 and logged_in(client)


def test_guessing_from_many_addresses_locks_the_account_everywhere(client, alice, settings):
    per_address = settings.AXES_FAILURE_LIMIT - 1
    addresses = -(-settings.LOGIN_ACCOUNT_FAILURE_LIMIT // per_address)
    for n in range(addresses):
        for _attempt in range(per_address):
            attempt(client, "alice", address=f"198.51.100.{n + 1}")
    response = attempt(client, "alice", PASSWORD, address=HOME)
    assert response.status_code == 429
    assert not logged_in(client)


def test_spraying_one_password_over_many_accounts_from_one_address_is_capped(client, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 12
    victims = [EmployeeFactory() for _n in range(7)]
    for victim in victims[:-1]:
        attempt(client, victim.username)
        attempt(client, victim.personnel_number)
    response = attempt(client, victims[-1].username, PASSWORD)
    assert response.status_code == 429
    assert not logged_in(client)


def test_the_username_and_the_personnel_number_count_as_one_account(client, alice, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "alice" if n % 2 else alice.personnel_number)
    assert attempt(client, "alice", PASSWORD).status_code == 429


def test_the_lock_ends_after_the_cool_off(client, alice, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "alice")
    later = timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(seconds=1)
    with time_machine.travel(later):
        response = attempt(client, "alice", PASSWORD)
    assert response.status_code == 302 and logged_in(client)


def test_a_good_login_forgives_ones_own_typos_from_that_address(client, alice, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "alice")
    attempt(client, "alice", PASSWORD)
    client.post(reverse("logout"))
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "alice")
    assert attempt(client, "alice", PASSWORD).status_code == 302


def test_the_lockout_is_recorded_in_the_audit_log_once(client, alice, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT + 3):
        attempt(client, "alice")
    event = AuditEvent.objects.get(action=AuditAction.ACCOUNT_LOCKED)
    assert event.target_id == str(alice.pk)
    assert event.ip_address == DEPOT


def test_the_lock_uses_the_address_the_trusted_proxy_saw(client, alice, settings):
    settings.PROXY_COUNT = 1
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": "alice", "password": "fout"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"6.6.6.{_attempt}, {DEPOT}",  # the forged part changes
        )
    response = client.post(
        reverse("login"),
        {"username": "alice", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=HOME,
    )
    assert response.status_code == 302  # another client behind the same proxy
    assert AuditEvent.objects.get(action=AuditAction.ACCOUNT_LOCKED).ip_address == DEPOT


def test_the_api_answers_a_lockout_with_json_429(alice):
    request = RequestFactory().post("/api/v1/people/")
    response = lockout.lockout_response(request, None, {"username": "alice"})
    assert response.status_code == 429
    assert json.loads(response.content)["error"]["code"] == "locked_out"


def test_the_password_reset_form_is_rate_limited_per_address(client, alice, settings):
    for n in range(settings.PASSWORD_RESET_ADDRESS_LIMIT):
        client.post(reverse("password_reset"), {"email": f"iemand{n}@stad.gent"}, REMOTE_ADDR=DEPOT)
    response = client.post(reverse("password_reset"), {"email": alice.email}, REMOTE_ADDR=DEPOT)
    assert response.status_code == 429
    assert "Te veel" in response.content.decode()
    assert mail.outbox == []


def test_the_password_reset_mails_one_address_only_a_few_times(client, alice, settings):
    for n in range(settings.PASSWORD_RESET_EMAIL_LIMIT + 2):
        response = client.post(
            reverse("password_reset"), {"email": alice.email}, REMOTE_ADDR=f"198.51.100.{n}"
        )
        assert response.status_code == 302  # the same answer, so nothing can be probed
    assert len(mail.outbox) == settings.PASSWORD_RESET_EMAIL_LIMIT


def test_a_locked_attempt_keeps_no_password_in_the_lock_records(client, alice, settings):
    from axes.models import AccessAttempt

    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "alice", password="geheim-Raadsel-77")
    stored = " ".join(AccessAttempt.objects.values_list("post_data", flat=True))
    assert "geheim-Raadsel-77" not in stored
