"""Hostile input gets a clear 400 (Dutch page, or JSON under /api/), never a 500."""

from __future__ import annotations

import json

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import path, reverse

from messaging import actions as messaging_actions
from tests.auth import verified_login
from tests.factories import EmployeeFactory
from workplace import untrusted
from workplace.api import api_view, json_body
from workplace.models import ApiToken, Department
from workplace.urls import handler500
from workplace.urls import urlpatterns as site_urlpatterns
from workplace.views import errors

pytestmark = pytest.mark.django_db


def boom(request):
    raise RuntimeError("a bug")


# A site with one broken page and one broken endpoint, to see the 500 pages.
urlpatterns = [path("kapot/", boom), path("api/v1/kapot/", boom), *site_urlpatterns]
assert handler500 is errors.server_error


@pytest.fixture
def alice_client(alice):
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    return client


@pytest.fixture
def direct(alice, bob):
    return messaging_actions.get_or_create_direct(alice, bob)[0]


def test_a_nul_byte_in_a_page_address_gets_a_dutch_400_page(alice_client):
    response = alice_client.get("/mensen/a%00b/")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert 'lang="nl-BE"' in page
    assert "Dit verzoek kan niet verwerkt worden" in page
    assert "NUL" in page  # what is wrong, not the input itself


def test_an_english_employee_gets_the_400_page_in_english(alice_client):
    # Refused before the session is read: the language cookie that the switch sets speaks.
    alice_client.post(reverse("set_language"), {"language": "en"})
    response = alice_client.get("/mensen/?q=a%00b")
    assert response.status_code == 400
    assert "This request cannot be handled" in response.content.decode()


def test_a_nul_byte_in_an_api_query_gets_a_json_400(alice_client):
    response = alice_client.get(reverse("api_people"), {"q": "pee\x00ters"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "nul_character"


def test_a_nul_byte_in_a_form_field_is_refused_and_nothing_is_saved(alice_client, alice):
    response = alice_client.post(reverse("api_tokens"), {"name": "planning\x00"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_a_nul_byte_in_a_header_is_refused(alice_client):
    response = alice_client.get(reverse("people"), HTTP_USER_AGENT="Mozilla\x00")
    assert response.status_code == 400


def test_a_nul_byte_in_the_session_cookie_is_ignored_like_a_stale_cookie(alice):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "abcdefgh\x00ijk"
    response = client.get(reverse("people"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_an_id_beyond_64_bits_in_a_page_address_gets_400(alice_client):
    response = alice_client.get(f"/berichten/{2**63}/")
    assert response.status_code == 400
    assert "Dit verzoek kan niet verwerkt worden" in response.content.decode()


def test_an_id_beyond_64_bits_in_an_api_address_gets_a_json_400(alice_client):
    response = alice_client.get(f"/api/v1/conversations/{2**64}/messages/")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "number_out_of_range"


def test_the_largest_64_bit_id_is_simply_not_found(alice_client):
    assert alice_client.get(f"/berichten/{2**63 - 1}/").status_code == 404


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ('{"body": "Dag \\ud800", "client_id": "c-1"}', "invalid_unicode"),
        ('{"body": "Dag \\u0000", "client_id": "c-1"}', "nul_character"),
        ('{"body": "Dag", "client_id": "c-1", "reply_to": 99999999999999999999}', None),
        ("[" * 50_000 + "]" * 50_000, "too_deep"),
        ('{"body": NaN, "client_id": "c-1"}', "invalid_json"),
    ],
)
@pytest.mark.parametrize("content_type", ["application/json", "text/plain"])
def test_hostile_json_gets_a_json_400_and_sends_nothing(
    alice_client, direct, body, code, content_type
):
    response = alice_client.post(
        reverse("messaging:api_messages", args=[direct.pk]), body, content_type=content_type
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == (code or "number_out_of_range")
    assert not direct.messages.exists()


def test_a_valid_emoji_pair_is_not_a_lone_surrogate(alice_client, direct):
    response = alice_client.post(
        reverse("messaging:api_messages", args=[direct.pk]),
        '{"body": "Proficiat \\ud83c\\udf89", "client_id": "c-1"}',
        content_type="application/json",
    )
    assert response.status_code == 201
    assert direct.messages.get().body == "Proficiat 🎉"


def test_a_form_body_sent_to_a_json_endpoint_is_a_json_400(alice):
    @api_view(["POST"])
    def echo(request):
        return HttpResponse(json.dumps(json_body(request)))

    request = RequestFactory().post("/api/v1/echo/", {"name": "x"})
    request.user = alice
    request.POST  # noqa: B018 - read as the middleware or the CSRF check would
    request._dont_enforce_csrf_checks = True
    response = echo(request)
    assert response.status_code == 400
    assert json.loads(response.content)["error"]["code"] == "invalid_json"


def test_unknown_api_paths_answer_json_404(alice_client):
    for url in ("/api/", "/api/v1/bestaat-niet/", "/api/v2/conversations/"):
        response = alice_client.get(url)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


def test_an_api_path_without_its_slash_says_so(alice_client):
    response = alice_client.get("/api/v1/conversations")
    assert response.status_code == 404
    assert "/" in response.json()["error"]["detail"]


def test_unknown_api_paths_answer_json_also_without_login():
    response = Client().post("/api/v1/bestaat-niet/", {})
    assert response.status_code in {403, 404}
    assert response.json()["error"]["code"] in {"csrf_failed", "not_found"}


def test_an_unknown_page_is_a_dutch_404_in_the_shell(alice_client):
    response = alice_client.get("/bestaat-niet/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Deze pagina bestaat niet" in page and 'class="mainnav"' in page


def test_a_failed_csrf_check_shows_a_dutch_page_and_saves_nothing(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(reverse("api_tokens"), {"name": "planning"})
    assert response.status_code == 403
    assert "Het formulier is verlopen" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_failed_csrf_check_under_api_is_json(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post("/api/v1/bestaat-niet/", {})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"


@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_shows_a_dutch_page_and_json_under_api(alice_client):
    page = alice_client.get("/kapot/")
    assert page.status_code == 500
    assert "Er ging iets mis" in page.content.decode()
    api = alice_client.get("/api/v1/kapot/")
    assert api.status_code == 500
    assert api.json()["error"]["code"] == "server_error"


@pytest.mark.parametrize("value", ["abc", "²", "-1", "0", str(2**63), "1e3", "", None, True])
def test_a_bad_id_in_a_form_is_no_id(value):
    assert untrusted.parse_id(value) is None


def test_a_good_id_in_a_form_is_an_id():
    assert untrusted.parse_id("42") == 42
    assert untrusted.parse_id(str(2**63 - 1)) == 2**63 - 1


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/kus/", "/kus/"),
        ("abc", "/"),  # redirect("abc") would look for a view named abc
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("", "/"),
    ],
)
def test_only_a_local_path_is_a_safe_next(rf, target, expected):
    assert untrusted.local_url(rf.get("/"), target, "/") == expected


def test_a_bare_word_as_next_no_longer_breaks_the_language_switch(alice_client):
    response = alice_client.post(reverse("set_language"), {"language": "en", "next": "abc"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_strict_json_keeps_ordinary_json():
    assert untrusted.loads('{"a": [1, -2.5, "x", {"b": null}], "c": true}') == {
        "a": [1, -2.5, "x", {"b": None}],
        "c": True,
    }


def test_strict_json_allows_ten_levels_and_refuses_eleven():
    assert untrusted.loads("[" * 10 + "]" * 10)
    with pytest.raises(untrusted.UnsafeInput) as refused:
        untrusted.loads("[" * 11 + "]" * 11)
    assert refused.value.code == "too_deep"


@pytest.mark.parametrize("number", [str(2**63), str(-(2**63) - 1), "1" * 5000, "1e999"])
def test_strict_json_refuses_numbers_no_database_can_hold(number):
    with pytest.raises(untrusted.UnsafeInput):
        untrusted.loads(f'{{"id": {number}}}')


def test_the_admin_shows_a_form_error_for_a_parent_that_is_not_an_id(organisation):
    root = EmployeeFactory(is_superuser=True, is_staff=True)
    client = Client(raise_request_exception=False)
    verified_login(client, root)
    response = client.post(
        reverse("admin:workplace_department_add"),
        {"code": "NIEUW", "name": "Nieuw", "kind": "dienst", "parent": "abc", "manager": "1e9"},
    )
    assert response.status_code == 200
    assert not Department.objects.filter(code="NIEUW").exists()
    assert client.get("/admin/workplace/department/abc/permissions/").status_code == 404
