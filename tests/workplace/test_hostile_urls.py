"""Every URL of the site, fed hostile input, answers 4xx and never 500.

The routes are walked from the resolver, so a view added tomorrow is tested too.
Each parameter of each route gets NUL bytes, a lone surrogate (percent-encoded as
CESU-8), an id beyond 64 bits and text where a number belongs; every route also gets
a query string, a form and a JSON body full of the same. Run it on PostgreSQL as well:
NUL bytes break there and over-large integers on SQLite.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import Morsel as Cookie

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from messaging import actions as messaging_actions
from streams import actions as streams_actions
from streams import ratelimit
from streams.models import SpaceKind
from surveys import demo as survey_demo
from tests.auth import verified_login
from tests.factories import EmployeeFactory
from tests.kus.conftest import ensure_roles, make_directive
from workplace import shell
from workplace.models import Audience
from workplace.roles import Role

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
JUST_BEYOND_64_BITS = str(2**63)
NUL = "a%00b"
SURROGATE = "a%ED%A0%80b"  # U+D800 as CESU-8: what a sloppy encoder sends
HOSTILE_SEGMENTS = (NUL, SURROGATE, HUGE, JUST_BEYOND_64_BITS, "-1", "abc")
HOSTILE_VALUES = ("a\x00b", JUST_BEYOND_64_BITS, "-1", "abc", "")

# Every query and form key a view reads, so that the hostile values reach the parsing.
KEYS = [
    *("q", "page", "before", "after", "since", "reply", "per", "stream", "filter", "cursor"),
    *("voor", "na", "ruimte", "antwoord", "lijst", "naar", "van", "te_lezen", "code", "next"),
    *("muted", "username", "action", "name", "go", "direction", "membership", "approve"),
    *("kind", "target", "pin", "reason", "attachment", "revoke", "body", "title"),
    *("conversation", "message", "reply_to", "client_id", "members", "language", "password"),
    *("personnel_number", "parent", "text"),
]


@dataclass
class Route:
    template: str  # "kus/{number}/v{seq}/"
    params: dict[str, str]  # name -> converter ("int", "str", "regex", …)

    def url(self, values: dict[str, str]) -> str:
        return "/" + self.template.format(**values)


def _segment(pattern) -> tuple[str, dict[str, str]]:
    if isinstance(pattern, RoutePattern):
        route = str(pattern).replace("{", "{{").replace("}", "}}")
        params = {}

        def placeholder(match: re.Match) -> str:
            params[match["name"]] = match["converter"] or "str"
            return "{" + match["name"] + "}"

        return (
            re.sub(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>", placeholder, route),
            params,
        )
    assert isinstance(pattern, RegexPattern)
    params = {}
    regex = str(pattern)

    def group(match: re.Match) -> str:
        # A group of alternatives (the admin's app list) keeps its first alternative.
        params[match["name"]] = "regex:" + match["body"].split("|")[0]
        return "{" + match["name"] + "}"

    text = re.sub(r"\(\?P<(?P<name>\w+)>(?P<body>[^)]*)\)", group, regex)
    return text.lstrip("^").rstrip("$").replace("\\", ""), params


def walk(patterns=None, prefix: str = "", params=None) -> Iterator[Route]:
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        template, own = _segment(pattern.pattern)
        combined = {**(params or {}), **own}
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + template, combined)
        elif isinstance(pattern, URLPattern):
            yield Route(prefix + template, combined)


ROUTES = list(walk())


@pytest.fixture
def world(organisation, alice, bob, carol, monkeypatch):
    """One of everything, so that valid ids lead the hostile ones deep into the views."""
    # The walk posts far faster than a person: the posting limit is not what it tests,
    # and its counters (per user id, in the cache) outlive each test's database.
    monkeypatch.setattr(ratelimit, "allow", lambda user_id, action: True)
    ensure_roles()
    root = EmployeeFactory(
        username="root", is_superuser=True, is_staff=True, department=organisation["civil"]
    )
    editor = EmployeeFactory(department=organisation["civil"], roles=[Role.KUS_EDITORS])
    reviewer = EmployeeFactory(department=organisation["civil"], roles=[Role.KUS_EDITORS])
    directive = make_directive(editor, reviewer, owner=organisation["civil"])
    direct, _created = messaging_actions.get_or_create_direct(alice, bob)
    message, _created = messaging_actions.send_message(alice, direct.pk, "Dag Bob", "c-1")
    space = streams_actions.create_space(alice, "Fietsherstelplaats", SpaceKind.OPEN)
    post = streams_actions.create_post(alice, "Wie helpt er #fietsen herstellen?")
    comment = streams_actions.add_comment(bob, post, "Ik!")
    survey = survey_demo.build("Lezersbevraging", root, Audience.objects.create(all_staff=True))
    section = survey.sections.first()
    question = section.questions.first()
    valid = {
        "number": directive.number,
        "seq": "1",
        "step": "indienen",
        "conversation_id": str(direct.pk),
        "message_id": str(message.pk),
        "post_id": str(post.pk),
        "comment_id": str(comment.pk),
        "notification_id": "1",
        "section_pk": str(section.pk),
        "question_pk": str(question.pk),
        "item_pk": str(question.pk),
        "what": "vraag",
        "username": "alice",
        "code": "FM",
        "name": "fietsen",
        "slug": space.slug,
        "uidb64": "MQ",
        "token": "set-password",
        "path": "foto.jpg",
        "object_id": str(alice.pk),
        "url": "x/",
    }
    return {"employee": alice, "superuser": root, "valid": valid, "ids": (directive, survey)}


def valid_values(route: Route, world) -> dict[str, str]:
    directive, survey = world["ids"]
    values = {}
    for name, converter in route.params.items():
        if converter.startswith("regex:"):
            values[name] = converter.removeprefix("regex:")
        elif name == "pk":
            values[name] = str(survey.pk if route.template.startswith("enquetes") else directive.pk)
        else:
            values[name] = world["valid"].get(name, "1")
    return values


def requests_for(vector: str, route: Route, world) -> Iterator[tuple[str, str, dict]]:
    """(method, url, client keyword arguments) for one route under one vector."""
    valid = valid_values(route, world)
    url = route.url(valid)
    if vector == "path":
        for name in route.params:
            for hostile in HOSTILE_SEGMENTS:
                bad = route.url({**valid, name: hostile})
                yield "get", bad, {}
                yield "post", bad, {}
    elif vector == "query":
        for hostile in (NUL, SURROGATE, JUST_BEYOND_64_BITS, "-1", "abc"):
            yield "get", url + "?" + "&".join(f"{key}={hostile}" for key in KEYS), {}
    elif vector == "form":
        for hostile in HOSTILE_VALUES:
            yield "post", url, {"data": dict.fromkeys(KEYS, hostile)}
    elif vector == "json":
        bodies = [
            json.dumps(dict.fromkeys(KEYS, "a\x00b")),
            json.dumps(dict.fromkeys(KEYS, int(HUGE))),
            json.dumps(dict.fromkeys(KEYS, 2**63)),
            json.dumps(dict.fromkeys(KEYS, -(2**63) - 1)),
            json.dumps({"members": ["\ud800"], **dict.fromkeys(KEYS, "\ud800")}),
            json.dumps({"a\x00": 1}),
            "[" * 100_000 + "]" * 100_000,
            '{"body": NaN, "conversation": Infinity}',
        ]
        for body in bodies:
            yield "post", url, {"data": body, "content_type": "application/json"}


@pytest.mark.parametrize("who", ["employee", "superuser"])
@pytest.mark.parametrize("vector", ["path", "query", "form", "json"])
def test_no_route_answers_500_to_hostile_input(world, who, vector, monkeypatch):
    # The navigation badges read no input and cost a query each on every page.
    navigation = shell.navigation
    monkeypatch.setattr(shell, "navigation", lambda request=None: navigation(None))
    client = Client(raise_request_exception=False)
    failures = []
    for route in ROUTES:
        if not client.cookies.get(settings.SESSION_COOKIE_NAME, Cookie()).value:
            verified_login(client, world[who])  # again after the logout route
        for method, url, kwargs in requests_for(vector, route, world):
            response = getattr(client, method)(url, **kwargs)
            if response.status_code >= 500:
                failures.append(f"{method.upper()} {url[:120]!r} -> {response.status_code}")
            elif (
                url.startswith("/api/")
                and response.status_code >= 400
                and response.headers.get("Content-Type") != "application/json"
            ):
                failures.append(f"{method.upper()} {url[:120]!r}: not JSON")
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures[:60])


def test_the_walk_covers_every_module():
    prefixes = {route.template.split("/")[0] for route in ROUTES}
    assert {"kus", "berichten", "stroom", "enquetes", "api", "admin", "mensen"} <= prefixes
