"""Logging out from the terminal page in a real Chromium at 360 px lands on Werkplek's login."""

from __future__ import annotations

import time

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


def test_nothing_is_asked_in_the_background_once_afmelden_is_tapped(live_daphne, phone, alice):
    """A badge count or an idle report sent after the logout would only be refused."""
    page = phone.new_page()
    log_in(page, live_daphne, "alice")
    refused: list[str] = []
    page.on("response", lambda r: r.status == 401 and refused.append(r.url))

    def slow_network(route):
        # The server logs out at once; the answer reaches the phone a while later,
        # while the page's timers (the badges' refresh after the socket opens) run.
        response = route.fetch(max_redirects=0)
        time.sleep(1.5)
        route.fulfill(response=response)

    page.route(f"{live_daphne}/accounts/logout/", slow_network)
    page.goto(f"{live_daphne}/", wait_until="domcontentloaded")
    # Tapped at once: before the socket opens and asks for the badges' counts.
    page.evaluate("document.querySelector('form.logout-form').requestSubmit()")
    page.wait_for_url(f"{live_daphne}/accounts/login/")
    assert refused == []
