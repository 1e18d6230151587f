"""Changing one's own password or PIN: the current password is not guessed for free."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD
from workplace.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db
NEW = "Fietsen-langs-de-Leie-8"


def test_guessing_the_password_on_the_pin_page_counts_towards_the_login_lock(
    client, alice, settings
):
    client.force_login(alice)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(
            reverse("change_pin"), {"current_password": "raden", "pin1": "7391", "pin2": "7391"}
        )
    assert response.status_code == 429
    alice.refresh_from_db()
    assert not alice.has_pin


def test_guessing_the_old_password_on_the_password_page_counts_towards_the_lock(
    client, alice, settings
):
    client.force_login(alice)
    data = {"old_password": "raden", "new_password1": NEW, "new_password2": NEW}
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("password_change"), data)
    assert response.status_code == 429
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_changing_ones_password_is_recorded(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.PASSWORD_CHANGED)
    assert event.actor == alice and event.target_id == str(alice.pk)
    assert event.detail == {"via": "profile"}


def test_a_password_chosen_through_the_mail_link_is_recorded(client, alice):
    client.post(reverse("password_reset"), {"email": alice.email})
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url
    response = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.PASSWORD_CHANGED)
    assert event.target_id == str(alice.pk) and event.detail == {"via": "e-mail"}
