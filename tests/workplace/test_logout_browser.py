"""Logging out from the terminal page in a real Chromium at 360 px lands on Werkplek's login."""

from __future__ import annotations

import pytest

from tests.accessibility import axe_violations
from tests.factories import EmployeeFactory
from tests.servers import log_in

pytestmark = pytest.mark.browser


def test_an_administrator_logs_out_from_the_terminal_page_to_werkpleks_login(
    live_daphne, phone, organisation
):
    EmployeeFactory(username="beheerder", is_staff=True, is_superuser=True)
    page = phone.new_page()
    log_in(page, live_daphne, "beheerder")
    page.goto(f"{live_daphne}/beheer/terminal/")
    assert axe_violations(page) == []
    page.click("form.logout-form button")
    page.wait_for_url(f"{live_daphne}/accounts/login/")
    assert page.locator("form[action='/accounts/login/'] input[name=username]").is_visible()
    assert page.locator("#user-tools, #site-name").count() == 0  # nothing of the admin's
    assert axe_violations(page) == []
    page.go_back()
    page.wait_for_url(f"{live_daphne}/accounts/login/?next=/beheer/terminal/")
    assert page.locator("form[action='/accounts/login/'] input[name=username]").count() == 1
    assert axe_violations(page) == []
