"""Survey results in one number format per language, and colours that judge no answer."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from surveys.models import Status
from tests.auth import verified_login
from tests.surveys.conftest import question
from tests.surveys.helpers import add_responses

pytestmark = pytest.mark.django_db

NBSP = "\xa0"
CSS = Path(settings.BASE_DIR, "surveys/static/surveys/surveys.css").read_text()


def answers(survey, frequency, length, minutes, score=8):
    return {
        question(survey, "leesfrequentie").key: {"choice": frequency},
        question(survey, "lengte").key: length,
        question(survey, "leestijd").key: minutes,
        question(survey, "aanbevelen").key: score,
        question(survey, "rubrieken").key: {"Nieuws uit de diensten": "altijd"},
    }


@pytest.fixture
def closed(gentco, organisation):
    # 6 of 16 read every issue (37.5%); lengths 3 and 4 average 3.625, shown as 3.6.
    add_responses(
        gentco, 6, unit=organisation["buildings"], answers=answers(gentco, "Elk nummer", 3, 15)
    )
    add_responses(gentco, 10, unit=organisation["civil"], answers=answers(gentco, "Soms", 4, 20))
    gentco.status = Status.CLOSED
    gentco.save()
    return gentco


def results(client, survey, per=""):
    url = reverse("surveys:results", args=[survey.pk]) + (f"?per={per}" if per else "")
    return client.get(url).content.decode()


def decimals_with_a_point(page: str) -> list[str]:
    # Numbers with a decimal point outside tags (the SVG's own coordinates are integers).
    text = re.sub(r"<[^>]+>", " ", page)
    return re.findall(r"\b\d+\.\d+\b", text)


def test_dutch_results_use_the_comma_and_a_space_before_the_percent_sign(client, hr, closed):
    verified_login(client, hr)
    page = results(client, closed)
    assert f"37,5{NBSP}% (6)" in page and f"62,5{NBSP}% (10)" in page  # single choice bars
    assert "gemiddelde (1 tot 5): 3,6" in page
    assert decimals_with_a_point(page) == []
    assert not re.search(r"\d%", page.replace("100%", ""))  # never "37,5%" beside "37,5 %"


def test_dutch_results_per_group_use_the_comma_in_labels_and_tables(client, hr, closed):
    verified_login(client, hr)
    page = results(client, closed, "department")
    assert decimals_with_a_point(page) == []
    assert f"100,0{NBSP}%" in page  # each department read at one frequency only
    assert "(n=6) · 3,0<" in page and "(n=10) · 4,0<" in page  # the likert bars' labels


def test_english_results_use_the_point_and_no_space(client, hr, closed):
    hr.language = "en"
    hr.save(update_fields=["language"])
    verified_login(client, hr)
    page = results(client, closed)
    assert "37.5% (6)" in page and "62.5% (10)" in page
    assert "average (1 to 5): 3.6" in page
    assert "37,5" not in page


def test_the_export_stays_machine_readable_whole_numbers(client, hr, closed):
    verified_login(client, hr)
    response = client.get(reverse("surveys:export", args=[closed.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    minutes = rows[0].index("leestijd")
    assert sorted({row[minutes] for row in rows[1:]}) == ["15", "20"]


def fill_of(css_class: str) -> str:
    match = re.search(r"\." + css_class + r"\s*\{\s*fill:\s*(#[0-9a-fA-F]{6})", CSS)
    assert match, css_class
    return match.group(1)


def is_red(colour: str) -> bool:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return r > 1.4 * max(g, b, 1) and r > 90


def classes_of(page: str, label: str) -> list[str]:
    # The legend names each segment's class beside its label.
    return re.findall(
        r'<span class="swatch (\w+)" aria-hidden="true"></span>' + re.escape(label), page
    )


def test_the_best_answer_of_a_single_choice_is_not_red(client, hr, closed):
    verified_login(client, hr)
    page = results(client, closed, "department")
    (best,) = classes_of(page, "Elk nummer")  # the per-group chart of a single choice
    assert not is_red(fill_of(best))
    for index in range(1, 9):
        assert not is_red(fill_of(f"c{index}")), f"c{index}"  # the whole neutral palette


def test_the_best_end_of_an_ordered_scale_is_not_red(client, hr, closed):
    verified_login(client, hr)
    page = results(client, closed)
    (agree,) = classes_of(page, "Helemaal eens")
    assert not is_red(fill_of(agree))
    # A matrix's scale may run either way ("altijd … nooit"): it gets the neutral palette.
    (always,) = classes_of(page, "altijd")
    assert not is_red(fill_of(always))
