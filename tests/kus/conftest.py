from __future__ import annotations

import datetime

import pytest

from kus import actions
from kus.models import Category
from tests.factories import AudienceFactory, EmployeeFactory
from workplace.roles import Role


def ensure_roles() -> None:
    """Role groups also come from a data migration (see ``ensure_categories``)."""
    from django.contrib.auth.models import Group

    for role in Role:
        Group.objects.get_or_create(name=role.value)


@pytest.fixture
def organisation(organisation):
    """The shared small city, with the role groups and categories KUS relies on."""
    ensure_roles()
    ensure_categories()
    return organisation


@pytest.fixture
def editor(organisation):
    """A KUS editor in the central editorial team (Burgerzaken for the test)."""
    ensure_roles()
    return EmployeeFactory(
        username="eddy", first_name="Eddy", last_name="Wouters",
        department=organisation["civil"], roles=[Role.KUS_EDITORS],
    )  # fmt: skip


@pytest.fixture
def reviewer(organisation):
    """A second KUS editor: the other pair of eyes."""
    ensure_roles()
    return EmployeeFactory(
        username="rita", first_name="Rita", last_name="Verhaeghe",
        department=organisation["civil"], roles=[Role.KUS_EDITORS],
    )  # fmt: skip


def ensure_categories() -> None:
    """The taxonomy comes from a data migration; a transactional test elsewhere in the
    run may have flushed it, so tests that need it put it back."""
    import importlib

    migration = importlib.import_module("kus.migrations.0002_categories")
    for order, (name, slug) in enumerate(migration.CATEGORIES):
        Category.objects.get_or_create(slug=slug, defaults={"name": name, "order": order})


@pytest.fixture
def category(db):
    ensure_categories()
    return Category.objects.get(slug="facility")


def make_directive(
    author,
    approver,
    *,
    owner,
    title="Sleutelbeheer in de stadsgebouwen",
    summary="Wie een sleutel van een stadsgebouw krijgt, tekent ervoor en geeft hem terug.",
    body="## Regels\n\nJe tekent voor elke sleutel.\n\nJe geeft hem terug als je vertrekt.",
    audience=None,
    **fields,
):
    """Create, submit and publish a directive (two editors), as the app does."""
    ensure_categories()
    audience = audience or AudienceFactory(all_staff=True)
    directive = actions.create_directive(
        author,
        text=actions.Text(title, summary, body),
        owner_department=owner,
        category=Category.objects.get(slug="facility"),
        audience=audience,
        effective_from=fields.pop("effective_from", datetime.date(2026, 1, 1)),
        **fields,
    )
    actions.submit_for_review(author, directive)
    actions.publish(approver, directive)
    directive.refresh_from_db()
    return directive


def republish(author, approver, directive, *, body, material=False, note="Nieuwe regels"):
    actions.save_draft(
        author,
        directive,
        actions.Text(directive.title, directive.summary, body, change_note=note, material=material),
    )
    actions.submit_for_review(author, directive)
    version = actions.publish(approver, directive)
    directive.refresh_from_db()
    return version


@pytest.fixture
def for_facility(editor, reviewer, organisation):
    """Addressed to Facility (Alice in Gebouwen, Bob in the team below it), to acknowledge.

    Its text has a heading, so that a page can be read before and after it.
    """
    audience = AudienceFactory()
    audience.departments.add(organisation["facility"])
    return make_directive(
        editor,
        reviewer,
        owner=organisation["facility"],
        title="Werken op hoogte",
        body="## Ladders\n\nZet een ladder altijd op een vlakke ondergrond.",
        audience=audience,
        requires_ack=True,
    )
