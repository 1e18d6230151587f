from __future__ import annotations

import datetime

import pytest

from kus import actions
from kus.models import Category
from tests.factories import AudienceFactory, EmployeeFactory
from workplace.roles import Role


@pytest.fixture
def editor(organisation):
    """A KUS editor in the central editorial team (Burgerzaken for the test)."""
    return EmployeeFactory(
        username="eddy", first_name="Eddy", last_name="Wouters",
        department=organisation["civil"], roles=[Role.KUS_EDITORS],
    )  # fmt: skip


@pytest.fixture
def reviewer(organisation):
    """A second KUS editor: the other pair of eyes."""
    return EmployeeFactory(
        username="rita", first_name="Rita", last_name="Verhaeghe",
        department=organisation["civil"], roles=[Role.KUS_EDITORS],
    )  # fmt: skip


@pytest.fixture
def category(db):
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
