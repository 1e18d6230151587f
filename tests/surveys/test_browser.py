"""Answering the gent&co survey on a 360 px phone, in a real Chromium against a real daphne."""

from __future__ import annotations

import pytest

from surveys.models import Participation, Response
from tests.accessibility import axe_violations
from tests.servers import log_in, off_loop

pytestmark = pytest.mark.browser

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def people(live_daphne):
    """Bob (field worker), Hilde (HR) and the open gent&co survey, made off the browser loop."""
    from datetime import timedelta

    from django.contrib.auth.models import Group
    from django.utils import timezone

    from surveys import demo
    from surveys.models import Status
    from tests.factories import DepartmentFactory, EmployeeFactory
    from workplace.models import Audience

    def make():
        team = DepartmentFactory(code="FM-ON", name="Team Onderhoud Noord")
        bob = EmployeeFactory(username="bob", department=team, is_field_worker=True, email="")
        hr = EmployeeFactory(username="hilde", first_name="Hilde")
        # Transactional tests flush the role groups the migrations made.
        hr.groups.add(Group.objects.get_or_create(name="HR")[0])
        survey = demo.build("Lezersbevraging gent&co", hr, Audience.objects.create(all_staff=True))
        survey.status = Status.OPEN
        survey.closes_at = timezone.now() + timedelta(days=14)
        survey.save()
        return bob, hr, survey

    return off_loop(make)


def test_a_field_worker_answers_on_a_phone_and_resumes_after_logging_in_again(
    live_daphne, people, phone
):
    bob, _hr, gentco = people
    page = phone.new_page()
    log_in(page, live_daphne, "bob")
    page.click("text=Lezersbevraging gent&co")
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    page.click("text=Beginnen")
    page.click("label.option:has-text('Soms')")
    page.click("button[value=next]")
    # Screen 2: what he reads. Answers are saved as he taps (no button pressed).
    page.locator(".matrix-row").first.locator("label.option").first.click()
    page.click("label.option:has-text('Op papier')")
    page.wait_for_selector(".autosave-status:not([hidden])")
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    too_small = page.evaluate(
        """() => [...document.querySelectorAll('.option, .nps-option, button')]
              .filter(el => el.offsetParent !== null)
              .filter(el => el.getBoundingClientRect().height < 44).length"""
    )
    assert too_small == 0
    # Every tap's save has reached the server (under load the last one may still be on
    # its way when the status first shows) before ...
    page.wait_for_load_state("networkidle")
    # ... the connection drops, the phone is locked: he logs in again later.
    phone.clear_cookies()
    log_in(page, live_daphne, "bob")
    page.goto(f"{live_daphne}/enquetes/{gentco.pk}/")
    page.click("text=Verder gaan waar je was")
    assert page.locator("h1").inner_text() == "Wat je leest"
    assert page.locator("label.option:has-text('Op papier') input").is_checked()
    for name in ("lengte", "opmaak"):
        question = page.locator(
            "fieldset.question", has_text="lengte" if name == "lengte" else "aantrekkelijk"
        )
        question.locator("label.option").nth(3).click()
    for index in range(6):
        page.locator(".matrix-row").nth(index).locator("label.option").nth(1).click()
    page.click("button[value=next]")
    page.click(".nps-option:has-text('8')")
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    page.click("button[value=next]")
    page.click("text=Mijn antwoorden indienen")
    page.wait_for_selector("text=Bedankt voor je antwoorden!")
    assert Response.objects.filter(survey=gentco).count() == 1
    assert Participation.objects.get(employee=bob).submitted


def test_the_results_page_fits_a_phone_without_script_errors(live_daphne, people, phone):
    _bob, _hr, gentco = people

    def close_with_answers():
        from surveys.models import Status
        from tests.surveys.helpers import add_responses
        from tests.surveys.test_results import answers

        add_responses(gentco, 8, answers=answers(gentco))
        gentco.status = Status.CLOSED
        gentco.save()

    off_loop(close_with_answers)
    page = phone.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    log_in(page, live_daphne, "hilde")
    page.goto(f"{live_daphne}/enquetes/beheer/{gentco.pk}/resultaten/")
    assert page.locator("svg.chart").count() >= 4
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    for split in ("service", "kind"):
        page.goto(f"{live_daphne}/enquetes/beheer/{gentco.pk}/resultaten/?per={split}")
        assert page.locator("table.rate-table").count() >= 2
        assert page.evaluate(NO_HORIZONTAL_SCROLL), split
        assert axe_violations(page) == [], split
    assert errors == []
