"""Sensitive pages ask for the password again (and the code) unless given in the last minutes."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.auth import totp_code, verified_login
from tests.factories import PASSWORD, EmployeeFactory
from workplace.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def hilde(organisation):
    return EmployeeFactory(username="hilde", roles=[Role.HR], department=organisation["civil"])


def confirm(client, next_url, password=PASSWORD, **data):
    return client.post(reverse("reauth"), {"password": password, "next": next_url, **data})


def test_making_a_token_asks_for_the_password_again(client, bob):
    verified_login(client, bob, recent=False)
    response = client.get(reverse("api_tokens"))
    assert response.status_code == 302
    assert response.url == f"{reverse('reauth')}?next=%2Fprofiel%2Ftokens%2F"
    response = client.post(reverse("api_tokens"), {"name": "planning"})
    assert not bob.api_tokens.exists()


def test_after_confirming_the_page_opens_for_a_while_only(client, bob, settings):
    verified_login(client, bob, recent=False)
    response = confirm(client, reverse("api_tokens"))
    assert response.status_code == 302 and response.url == reverse("api_tokens")
    assert client.get(reverse("api_tokens")).status_code == 200
    later = timezone.now() + timedelta(seconds=settings.REAUTH_SECONDS + 1)
    with time_machine.travel(later):
        assert client.get(reverse("api_tokens")).status_code == 302


def test_a_fresh_password_login_counts_as_a_confirmation(client, bob):
    client.post(reverse("login"), {"username": "bob", "password": PASSWORD})
    assert client.get(reverse("api_tokens")).status_code == 200


def test_a_wrong_password_is_refused(client, bob):
    verified_login(client, bob, recent=False)
    response = confirm(client, reverse("api_tokens"), password="fout")
    assert "niet je huidige wachtwoord" in response.content.decode()
    assert client.get(reverse("api_tokens")).status_code == 302


def test_guessing_the_password_here_counts_towards_the_login_lock(client, bob, settings):
    verified_login(client, bob, recent=False)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = confirm(client, reverse("api_tokens"), password="fout")
    assert response.status_code == 429
    assert confirm(client, reverse("api_tokens")).status_code == 429


def test_whoever_has_an_app_confirms_with_a_code_too(client, hilde):
    verified_login(client, hilde, recent=False)
    device = TOTPDevice.objects.get(user=hilde)
    export = reverse("activation_letters")
    response = confirm(client, export, code="000000")
    assert response.status_code == 200
    assert client.get(export).status_code == 302
    with time_machine.travel(timezone.now() + timedelta(seconds=3)):  # past the throttle
        response = confirm(client, export, code=totp_code(device))
        assert response.status_code == 302 and response.url == export
        assert client.get(export).status_code == 200


def test_a_pin_login_on_a_terminal_is_no_confirmation(client, bob, organisation):
    root = EmployeeFactory(is_staff=True, is_superuser=True)
    bob.set_pin("4826")
    bob.save()
    verified_login(client, root)
    client.post(reverse("terminal_setup"), {"name": "Werkplaats"})
    client.post(reverse("logout"))
    client.post(reverse("pin_login"), {"personnel_number": bob.personnel_number, "pin": "4826"})
    response = client.get(reverse("api_tokens"))
    assert response.status_code == 302 and response.url.startswith(reverse("reauth"))


def test_exporting_survey_answers_asks_for_the_password_again(client, hilde):
    from surveys.models import Survey

    survey = Survey.objects.create(title="Tevredenheid")
    survey.owners.add(hilde)
    verified_login(client, hilde, recent=False)
    response = client.get(reverse("surveys:export", args=[survey.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("reauth"))


def test_the_confirmation_only_sends_back_into_this_site(client, bob):
    verified_login(client, bob, recent=False)
    response = confirm(client, "https://aanvaller.example/tokens")
    assert response.status_code == 302 and response.url == reverse("home")


def test_a_posted_form_comes_back_to_the_page_that_showed_it(client, hilde):
    verified_login(client, hilde, recent=False)
    response = client.post(
        reverse("mfa_remove"), HTTP_REFERER=f"http://testserver{reverse('mfa_manage')}"
    )
    assert response.url == f"{reverse('reauth')}?next=%2Fprofiel%2Ftweestaps%2F"
