"""The shell on a 360 px phone, in a real Chromium against a real daphne."""

from __future__ import annotations

import pytest

from tests.factories import EmployeeFactory
from tests.servers import log_in

pytestmark = pytest.mark.browser

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def field_worker(organisation):
    return EmployeeFactory(
        username="tarik",
        first_name="Tarik",
        last_name="El Idrissi",
        department=organisation["team"],
        job_title="Tuinier",
        is_field_worker=True,
        email="",
    )


def test_a_field_worker_logs_in_on_a_phone_and_sees_the_dutch_start_page(
    live_daphne, phone, field_worker
):
    page = phone.new_page()
    log_in(page, live_daphne, "tarik")
    assert page.locator("h1").inner_text() == "Fijn je te zien, Tarik"
    assert page.locator("html").get_attribute("lang") == "nl-BE"
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    nav = page.locator("nav.mainnav")
    assert nav.is_visible()
    box = nav.bounding_box()
    assert box["y"] + box["height"] == pytest.approx(740, abs=1)  # stuck to the bottom
    labels = nav.locator("a").all_inner_texts()
    assert labels[0].strip() == "Home" and labels[-1].strip() == "Meer"


def test_tap_targets_are_at_least_44_px(live_daphne, phone, field_worker):
    page = phone.new_page()
    log_in(page, live_daphne, "tarik")
    too_small = page.evaluate(
        """() => [...document.querySelectorAll('nav a, button, input, .tiles a')]
              .filter(el => el.offsetParent !== null)
              .map(el => [el.textContent.trim() || el.name, el.getBoundingClientRect().height])
              .filter(([, height]) => height < 44)"""
    )
    assert too_small == []


@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/mensen/?q=tuinier", "/afdelingen/", "/afdelingen/FM/", "/meer/"]
)
def test_pages_fit_a_360_px_screen(live_daphne, phone, field_worker, path):
    page = phone.new_page()
    if path != "/accounts/login/":
        log_in(page, live_daphne, "tarik")
    page.goto(f"{live_daphne}{path}")
    assert page.evaluate(NO_HORIZONTAL_SCROLL), path
    assert page.locator("#main").is_visible()


def test_the_skip_link_jumps_to_the_content(live_daphne, phone, field_worker):
    page = phone.new_page()
    page.goto(f"{live_daphne}/accounts/activeren/")  # a page without autofocus
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_as_you_type_suggestions_find_a_colleague(live_daphne, phone, field_worker, alice):
    page = phone.new_page()
    log_in(page, live_daphne, "tarik")
    page.goto(f"{live_daphne}/mensen/")
    page.locator("#people-q").press_sequentially("clae", delay=30)
    suggestion = page.locator("#people-suggestions a").first
    suggestion.wait_for()
    assert "Alice Claes" in suggestion.inner_text()
    suggestion.click()
    page.wait_for_url(f"{live_daphne}/mensen/alice/")


def test_the_pages_set_a_strict_content_security_policy_and_stay_light(
    live_daphne, phone, field_worker
):
    page = phone.new_page()
    log_in(page, live_daphne, "tarik")
    transferred = []
    page.on("response", lambda response: transferred.append(len(response.body())))
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    response = page.goto(f"{live_daphne}/")
    csp = response.headers["content-security-policy"]
    assert "script-src" not in csp or "'unsafe-inline'" not in csp
    assert "default-src 'self'" in csp
    assert sum(transferred) < 100 * 1024
    assert errors == []  # no CSP violation, no script error
