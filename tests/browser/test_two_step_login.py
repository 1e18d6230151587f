"""Two-step login on a 360 px phone, in a real Chromium against a real daphne."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD, EmployeeFactory
from tests.servers import _code_for_secret, log_in
from workplace.roles import Role

pytestmark = pytest.mark.browser

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def hilde(organisation):
    return EmployeeFactory(username="hilde", first_name="Hilde", roles=[Role.HR])


def test_an_hr_officer_sets_up_the_app_on_a_phone_and_then_gives_codes(live_daphne, phone, hilde):
    page = phone.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(f"{live_daphne}/accounts/login/")
    page.fill("input[name=username]", "hilde")
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_url(f"{live_daphne}/profiel/tweestaps/instellen/?next=%2F")
    assert page.locator(".qr svg").is_visible()
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    assert page.locator("nav.mainnav").count() == 0
    secret = page.text_content("[data-secret]").replace(" ", "")
    page.fill("input[name=code]", _code_for_secret(secret))
    page.click("main form button[type=submit]")
    assert page.locator(".recovery-codes li").count() == 10
    page.click("main a.button-primary")
    page.wait_for_url(f"{live_daphne}/")
    page.click("form.logout-form button")
    page.wait_for_load_state()
    assert "/accounts/login/" in page.url, page.url
    log_in(page, live_daphne, "hilde")  # now through the code page
    assert page.locator("nav.mainnav").is_visible()
    assert errors == []
