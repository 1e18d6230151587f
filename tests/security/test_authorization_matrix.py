"""Every URL, asked by every actor: the answer must be the one in ``tests/security/matrix.py``.

The URLs come from the resolver, so a new view without an entry in the matrix fails
here until someone decides who may see it. The world is built once per module inside
a transaction that is rolled back at the end; each request runs in a savepoint of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.auth import verified_login
from tests.security import matrix
from tests.security.admin_matrix import admin_answer
from tests.security.world import ACTORS, World, build_world


@dataclass(frozen=True)
class Route:
    key: str  # the URL name, or the route of an unnamed pattern
    route: str
    is_admin: bool


def walk(patterns, prefix: str = "", namespace: str | None = None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield Route(name or route, route, route.startswith("admin/"))


def all_routes() -> list[Route]:
    seen, routes = set(), []
    for route in walk(get_resolver().url_patterns):
        if (route.key, route.route) not in seen:
            seen.add((route.key, route.route))
            routes.append(route)
    return routes


ROUTES = all_routes()
# Patterns that share a name (surveys:preview with and without a number) share the cases;
# one that shadows another (the auth app's login and logout) is never reached.
PAGE_KEYS = sorted({route.key for route in ROUTES if not route.is_admin})
ADMIN_ROUTES = [route for route in ROUTES if route.is_admin]


def _params():
    for key in PAGE_KEYS:
        cases = matrix.ROUTES.get(key) or [None]
        for index, case in enumerate(cases):
            label = case.label if case else "unclassified"
            for actor in ACTORS:
                yield pytest.param(key, index, actor, id=f"{key}[{label}]-{actor}")


# --- the world, once per module ---------------------------------------------------------


@pytest.fixture(autouse=True)
def _media_and_index_in_tmp():
    """The world is built once per module, files included: its media root must hold."""


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    with django_db_blocker.unblock(), media:
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def client_as(world, db):
    def make(actor: str) -> Client:
        client = Client()
        user = world.people[actor]
        if user is not None:
            # The password and, for privileged accounts, the second factor just given.
            verified_login(client, user)
        return client

    return make


# --- asking -----------------------------------------------------------------------------

PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def fill(route: str, values: dict[str, object]) -> str:
    def value(match: re.Match) -> str:
        name = match.group(1)
        if name not in values:
            raise AssertionError(f"{route}: the matrix gives no value for <{name}>")
        return str(values[name])

    return "/" + PARAMETER.sub(value, route)


def url_for(route: Route, values: dict[str, object]) -> str:
    if route.key != route.route:  # named: let Django choose among same-named patterns
        wanted = set(PARAMETER.findall(route.route))
        return reverse(route.key, kwargs={k: v for k, v in values.items() if k in wanted})
    return fill(route.route, values)


def answer_of(response) -> matrix.Answer:
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith("/admin/login/"):
            return matrix.ADMIN_LOGIN
        if location.startswith("/accounts/login/"):
            return matrix.LOGIN
        return matrix.REDIRECT
    return response.status_code


def ask(client: Client, method: str, url: str):
    if method == "POST":
        return client.post(url, {})
    return client.get(url)


def describe(response) -> str:
    location = response.get("Location", "")
    return f"{response.status_code} {location}".strip()


# --- the tests ------------------------------------------------------------------------------


def test_every_url_has_an_expectation_in_the_matrix():
    missing = [key for key in PAGE_KEYS if key not in matrix.ROUTES]
    assert not missing, "\n".join(
        f"URL name {key} has no expectation: add it to tests/security/matrix.py" for key in missing
    )


def test_the_matrix_names_no_url_that_does_not_exist():
    stale = sorted(set(matrix.ROUTES) - set(PAGE_KEYS))
    assert not stale, f"tests/security/matrix.py names URLs that no longer exist: {stale}"


def test_every_case_has_an_answer_for_every_actor():
    for key, cases in matrix.ROUTES.items():
        for case in cases:
            assert set(case.expect) == set(ACTORS), f"{key}[{case.label}]"


@pytest.mark.parametrize(("key", "index", "actor"), list(_params()))
def test_each_actor_gets_the_expected_answer(world: World, client_as, key, index, actor):
    cases = matrix.ROUTES.get(key)
    if not cases:
        pytest.fail(f"URL name {key} has no expectation: add it to tests/security/matrix.py")
    case = cases[index]
    for route in [r for r in ROUTES if r.key == key]:
        url = url_for(route, case.params(world))
        if query := case.url_query(world):
            url = f"{url}?{query}"
        response = ask(client_as(actor), case.method, url)
        if case.known_bug and answer_of(response) != case.expect[actor]:
            pytest.xfail(case.known_bug)
        assert answer_of(response) == case.expect[actor], (
            f"{case.method} {url} as {actor}: got {describe(response)}, "
            f"the matrix says {case.expect[actor]}"
        )


# --- the admin, one group ---------------------------------------------------------------------

ADMIN_ACTORS = ("anonymous", "outsider", "kus_editor", "staff", "superuser")


def _admin_params():
    for route in ADMIN_ROUTES:
        for actor in ADMIN_ACTORS:
            yield pytest.param(route, actor, id=f"{route.key}-{actor}")


def model_admins() -> dict[str, admin.ModelAdmin]:
    return {
        f"{model._meta.app_label}_{model._meta.model_name}": model_admin
        for model, model_admin in admin.site._registry.items()
    }


def admin_request_for(world: World, actor: str, route: Route):
    """The URL to ask and the answer the rules give for it."""
    alice = world.alice
    if route.key == "admin:app_list":
        return reverse(route.key, kwargs={"app_label": "workplace"}), admin_answer(
            route.key, actor, model="workplace"
        )
    if route.key == route.route:  # unnamed: the catch-all, or the old object URL
        if "(?P<url>" in route.route:
            return "/admin/geen/pagina/", admin_answer("catch-all", actor)
        return fill(route.route, {"object_id": 1}), admin_answer("object", actor)
    if route.key == "admin:auth_user_password_change":
        return reverse(route.key, args=[alice.pk]), admin_answer(route.key, actor)
    if route.key == "admin:view_on_site":
        content_type = ContentType.objects.get_for_model(type(alice))
        url = reverse(route.key, args=[content_type.pk, alice.pk])
        return url, admin_answer(route.key, actor)
    parameters = set(PARAMETER.findall(route.route))
    if not parameters:
        model = next((m for m in model_admins() if route.key.startswith(f"admin:{m}_")), "")
        may = {}
        if model:
            model_admin = model_admins()[model]
            may = {"add": model_admin.has_add_permission(superuser_request(world))}
        return reverse(route.key), admin_answer(route.key, actor, model=model, may=may)
    model = next(m for m in model_admins() if route.key.startswith(f"admin:{m}_"))
    model_admin = model_admins()[model]
    row = model_admin.model._default_manager.order_by("pk").first()
    values = {
        "object_id": row.pk if row else 999999,
        "object_pk": row.pk if row else 999999,
        "user_id": alice.pk,
        "group_id": alice.groups.first().pk if alice.groups.exists() else 1,
    }
    request = superuser_request(world)
    may = {"delete": model_admin.has_delete_permission(request, row)}
    url = reverse(route.key, kwargs={k: v for k, v in values.items() if k in parameters})
    return url, admin_answer(route.key, actor, model=model, may=may, exists=row is not None)


def superuser_request(world: World):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = world.people["superuser"]
    return request


@pytest.mark.parametrize(("route", "actor"), list(_admin_params()))
def test_the_admin_lets_in_staff_only_and_then_by_model_permission(
    world: World, client_as, route, actor
):
    url, expected = admin_request_for(world, actor, route)
    response = client_as(actor).get(url)
    assert answer_of(response) == expected, (
        f"GET {url} as {actor}: got {describe(response)}, the rule says {expected}"
    )
