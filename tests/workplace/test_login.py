"""Logging in with a username or a personnel number; logging out; password reset."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_an_employee_logs_in_with_their_username(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("home")


def test_an_employee_logs_in_with_their_personnel_number(client, alice):
    response = client.post(
        reverse("login"), {"username": alice.personnel_number, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_a_wrong_password_is_refused_with_a_clear_message(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "fout"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert response.context["form"].errors


def test_a_deactivated_employee_cannot_log_in(client, alice):
    alice.is_active = False
    alice.save()
    client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_pages_need_a_login(client, organisation):
    for name in ("home", "people", "departments", "more", "edit_profile"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_logging_out_ends_the_session(client, alice):
    client.force_login(alice)
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_password_reset_mails_an_employee_with_a_work_address(client, alice):
    client.post(reverse("password_reset"), {"email": alice.email})
    assert len(mail.outbox) == 1
    assert alice.username in mail.outbox[0].body


def test_password_reset_sends_nothing_for_an_unknown_address(client, alice):
    response = client.post(reverse("password_reset"), {"email": "niemand@stad.gent"})
    assert response.status_code == 302  # same answer, so addresses cannot be probed
    assert mail.outbox == []


def test_a_logged_in_page_loads_the_employee_with_their_department(
    client, alice, django_assert_num_queries
):
    from django.contrib.auth import get_user

    client.force_login(alice)
    session = client.session
    session.keys()  # the session's own query, before the count
    request = type("Request", (), {"session": session})()
    with django_assert_num_queries(1):
        user = get_user(request)
        assert user.department == alice.department
