"""The API's common ground: session or token, JSON errors, CSRF on session writes."""

from __future__ import annotations

import pytest
from django.http import JsonResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.auth import verified_login
from workplace.api import ApiError, api_view, issue_token, json_body
from workplace.models import ApiToken

pytestmark = pytest.mark.django_db


@api_view(["GET", "POST"])
def echo(request):
    if request.method == "POST":
        body = json_body(request)
        if "name" not in body:
            raise ApiError("missing_name", "Geef een naam.")
        return JsonResponse({"user": request.user.username, "name": body["name"]})
    return JsonResponse({"user": request.user.username})


def test_it_answers_401_as_json_without_credentials(client, organisation):
    response = client.get(reverse("api_people"), {"q": "pee"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_a_token_authenticates_without_a_session(bob):
    key = issue_token(bob, "planning")
    response = Client().get(
        reverse("api_people"), {"q": "peeters"}, HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 200
    assert response.json()["results"][0]["username"] == "bob"
    assert ApiToken.objects.get(user=bob).last_used is not None


def test_only_the_hash_of_a_token_is_stored(bob):
    key = issue_token(bob, "planning")
    assert not ApiToken.objects.filter(key_hash__contains=key).exists()
    assert ApiToken.objects.get(user=bob).prefix == key[:8]


def test_a_revoked_or_unknown_token_is_refused(bob):
    key = issue_token(bob, "planning")
    ApiToken.objects.update(revoked="2026-01-01T00:00:00Z")
    for header in (f"Bearer {key}", "Bearer verzonnen"):
        response = Client().get(reverse("api_people"), {"q": "x"}, HTTP_AUTHORIZATION=header)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "invalid_token"


def test_a_deactivated_employees_token_stops_working(bob):
    key = issue_token(bob, "planning")
    bob.is_active = False
    bob.save()
    response = Client().get(reverse("api_people"), {"q": "x"}, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 401


def test_bad_json_and_bad_input_get_a_400_with_a_code(bob):
    key = issue_token(bob, "planning")
    factory = RequestFactory()
    request = factory.post(
        "/", data="{kapot", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert echo(request).status_code == 400
    request = factory.post(
        "/", data="{}", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    response = echo(request)
    assert response.status_code == 400
    assert b"missing_name" in response.content


def test_a_wrong_method_gets_a_405(bob):
    key = issue_token(bob, "planning")
    response = Client().delete(reverse("api_people"), HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 405
    assert response["Allow"] == "GET"


def test_a_session_write_needs_the_csrf_token(bob):
    from django.contrib.sessions.middleware import SessionMiddleware

    request = RequestFactory().post("/", data='{"name": "x"}', content_type="application/json")
    SessionMiddleware(lambda r: None).process_request(request)
    request.user = bob
    request._dont_enforce_csrf_checks = False
    response = echo(request)
    assert response.status_code == 403
    assert b"csrf_failed" in response.content


def test_an_employee_makes_and_revokes_a_token_on_their_profile(client, bob):
    verified_login(client, bob)
    response = client.post(reverse("api_tokens"), {"name": "planning"})
    key = response.context["new_key"]
    assert key and key in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert key not in client.get(reverse("api_tokens")).content.decode()  # shown once
    token = ApiToken.objects.get(user=bob)
    client.post(reverse("api_tokens"), {"revoke": token.pk})
    assert (
        Client()
        .get(reverse("api_people"), {"q": "x"}, HTTP_AUTHORIZATION=f"Bearer {key}")
        .status_code
        == 401
    )


def test_nobody_revokes_someone_elses_token(client, alice, bob):
    issue_token(bob, "planning")
    verified_login(client, alice)
    client.post(reverse("api_tokens"), {"revoke": ApiToken.objects.get(user=bob).pk})
    assert ApiToken.objects.get(user=bob).revoked is None
