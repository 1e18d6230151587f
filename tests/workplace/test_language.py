"""Dutch by default; English when the employee chooses it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from workplace.models import Employee

pytestmark = pytest.mark.django_db


def test_the_login_page_is_dutch_even_for_an_english_browser(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    page = response.content.decode()
    assert '<html lang="nl-BE">' in page
    assert "Aanmelden" in page
    assert response["Content-Language"] == "nl"


def test_an_employee_switches_to_english_and_it_sticks(client, alice):
    client.force_login(alice)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("people")})
    assert response.url == reverse("people")
    assert Employee.objects.get(pk=alice.pk).language == "en"
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in page and "My department" in page
    client.logout()
    client.force_login(Employee.objects.get(pk=alice.pk))  # another device, same choice
    assert "My department" in client.get(reverse("home")).content.decode()


def test_switching_back_to_dutch(client, alice):
    Employee.objects.filter(pk=alice.pk).update(language="en")
    client.force_login(alice)
    client.post(reverse("set_language"), {"language": "nl"})
    assert "Mijn afdeling" in client.get(reverse("home")).content.decode()


def test_a_visitor_can_choose_english_before_logging_in(client):
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert "Log in to Werkplek" in client.get(reverse("login")).content.decode()


def test_an_unknown_language_or_foreign_redirect_is_ignored(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("set_language"), {"language": "xx", "next": "https://evil.example/"}
    )
    assert response.url == "/"
    assert Employee.objects.get(pk=alice.pk).language == "nl"
