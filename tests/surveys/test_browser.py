"""Answering the gent&co survey on a 360 px phone, in a real Chromium against a real daphne."""

from __future__ import annotations

import pytest

from surveys.models import Participation, Response
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def test_a_field_worker_answers_on_a_phone_and_resumes_after_logging_in_again(
    live_daphne, phone, bob, gentco
):
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
    # The connection drops, the phone is locked: he logs in again later.
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


def test_the_results_page_fits_a_phone_and_has_no_inline_styles(live_daphne, phone, hr, gentco):
    from django.contrib.auth.models import Group

    from surveys.models import Status
    from tests.surveys.helpers import add_responses
    from tests.surveys.test_results import answers

    # An earlier transactional test flushed the role groups the migrations made.
    hr.groups.add(Group.objects.get_or_create(name="HR")[0])
    add_responses(gentco, 8, answers=answers(gentco))
    gentco.status = Status.CLOSED
    gentco.save()
    page = phone.new_page()
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    log_in(page, live_daphne, "hilde")
    page.goto(f"{live_daphne}/enquetes/beheer/{gentco.pk}/resultaten/")
    assert page.locator("svg.chart").count() >= 4, page.content()[:1500]
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    assert errors == []
