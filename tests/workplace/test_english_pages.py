"""In English, no page shows a Dutch interface string: nothing is translated at import
time (when the language is not known yet) or left out of the catalogue's English side.

The Dutch strings looked for are the catalogue's own msgstrs (their literal fragments
between placeholders, long enough not to be an ordinary word that English shares), so a
string added tomorrow is looked for tomorrow. What people wrote (the small city of
tests/security/world.py writes in Dutch) is taken out of the page first."""

from __future__ import annotations

import ast
import html
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client

from tests.auth import verified_login
from tests.security.world import World, build_world
from workplace.models import Employee

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "workplace/locale/nl/LC_MESSAGES/django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{[^}]*\}")
SHORTEST = 12  # characters: "Vind ik leuk", "Mijn afdeling"
# Elements whose content is what people wrote, not the interface.
USER_CONTENT = re.compile(
    r'<(div|p|span|li) class="[^"]*\b(post-body|directive-body|chat-body|announcement-body|'
    r'question-text)\b[^"]*"[^>]*>.*?</\1>',
    re.S,
)
ATTRIBUTES = re.compile(r'\b(?:aria-label|placeholder|title|alt)="([^"]*)"')


def dutch_fragments() -> set[str]:
    english = set()
    fragments = set()
    for entry in polib.pofile(str(CATALOGUE)):
        if entry.obsolete or "fuzzy" in entry.flags:
            continue
        english.add(entry.msgid)
        strings = [entry.msgstr, *entry.msgstr_plural.values()]
        for text in filter(None, strings):
            for fragment in PLACEHOLDER.split(text):
                fragment = " ".join(fragment.split()).strip(" .,:;·\u2014\u2013-()“”\"'")
                if len(fragment) >= SHORTEST and fragment not in (entry.msgid, entry.msgid_plural):
                    fragments.add(fragment)
    # A fragment that is English too (a name, a code) says nothing.
    return {fragment for fragment in fragments if not any(fragment in msgid for msgid in english)}


def interface_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = USER_CONTENT.sub(" ", page)
    attributes = " ".join(ATTRIBUTES.findall(page))
    text = re.sub(r"<[^>]+>", " ", page)
    return " ".join(html.unescape(f"{text} {attributes}").split())


def user_texts(world: World) -> list[str]:
    """What the people of the world wrote, in Dutch: no interface string."""
    return [
        world.campaign.title,
        world.campaign.goal,
        world.announcement.title,
        world.scheduled.title,
        world.survey.title,
        world.section.title,
        world.question.text,
        world.open_space.name,
        world.closed_space.name,
        world.restricted.title,
        world.draft.title,
        *(department.name for department in world.departments.values()),
    ]


def found_in(text: str, fragments: set[str]) -> list[str]:
    return sorted(f for f in fragments if re.search(rf"(?<!\w){re.escape(f)}(?!\w)", text))


def pages(world: World) -> dict[str, list[str]]:
    employee = [
        "/",
        "/stroom/",
        world.closed_post.get_absolute_url(),
        "/kus/",
        f"/kus/{world.restricted.number}/",
        "/kus/te-lezen/",
        "/zoeken/?q=sleutel",
        "/mensen/",
        "/mensen/alice/",
        "/afdelingen/",
        "/profiel/",
        "/meldingen/",
        "/meldingen/voorkeuren/",
        "/berichten/",
        world.group.get_absolute_url(),
        "/berichten/nieuw/",
        "/enquetes/",
        f"/enquetes/{world.survey.pk}/",
        "/aankondigingen/",
        f"/aankondigingen/{world.announcement.pk}/",
        "/meer/",
    ]
    return {
        "member": employee,
        "kus_editor": [
            "/kus/",
            "/kus/?lijst=nieuw",
            "/kus/?lijst=te-herzien",
            "/kus/?lijst=concepten",
            "/kus/?lijst=archief",
            "/kus/nieuw/",
            f"/kus/bewerken/{world.draft.pk}/",
        ],
        "communicatie": [
            "/campagnes/",
            f"/campagnes/{world.campaign.pk}/",
            "/campagnes/nieuw/",
            "/aankondigingen/nieuw/",
            f"/aankondigingen/{world.scheduled.pk}/bewerken/",
        ],
        "hr": ["/enquetes/beheer/", f"/enquetes/beheer/{world.survey.pk}/"],
        "superuser": ["/meer/", "/beheer/terminal/", "/beheer/activatiebrieven/", "/admin/"],
    }


@pytest.mark.tier_independent  # a rendering no database changes: CI runs it once
def test_no_page_shows_a_dutch_interface_string_in_english():
    world = build_world()
    Employee.objects.update(language="en")
    fragments = dutch_fragments()
    assert len(fragments) > 500  # the catalogue was read
    found = []
    for actor, paths in pages(world).items():
        client = Client()
        verified_login(client, world.people[actor])
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, (actor, path, response.status_code)
            assert response["Content-Language"] == "en", (actor, path)
            text = interface_text(response.content.decode())
            for written in user_texts(world):
                text = text.replace(written, " ")
            found += [f"{actor} {path}: {f!r}" for f in found_in(text, fragments)]
    assert found == []


EAGER = {"gettext", "ngettext", "pgettext", "npgettext"}


def eager_calls(tree: ast.Module) -> list[ast.Call]:
    """Calls of gettext and its kin outside any function: those run at import time."""
    names = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
        for alias in node.names
        if alias.name in EAGER
    }
    calls: list[ast.Call] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                continue  # runs when called, in the caller's language
            if (
                isinstance(child, ast.Call)
                and isinstance(child.func, ast.Name)
                and child.func.id in names
            ):
                calls.append(child)
            visit(child)

    visit(tree)
    return calls


def test_no_module_translates_a_string_at_import_time():
    root = Path(settings.BASE_DIR)
    found = []
    for app in (
        "workplace",
        "kus",
        "search",
        "streams",
        "messaging",
        "surveys",
        "notifications",
        "campaigns",
        "alerts",
    ):
        for path in (root / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for call in eager_calls(ast.parse(path.read_text())):
                found.append(f"{path.relative_to(root)}:{call.lineno}: {ast.unparse(call)}")
    assert found == []
