"""An urgent message in a real Chromium at 360 px: the sender's pages, the banner, the tap."""

from __future__ import annotations

import pytest

from tests.accessibility import axe_violations
from tests.servers import log_in

pytestmark = pytest.mark.browser


def test_the_banner_stays_until_the_tap_and_every_page_is_accessible(
    live_daphne, phone, lies, draft, alice
):
    sender = phone.new_page()
    log_in(sender, live_daphne, "lies")
    sender.goto(f"{live_daphne}/dringend/nieuw/")
    assert sender.locator("h1").is_visible()
    assert axe_violations(sender) == []

    sender.goto(f"{live_daphne}/dringend/{draft.pk}/")
    assert axe_violations(sender) == []
    sender.click("button.alert-send")  # as the communication officer does
    sender.wait_for_load_state()
    sender.goto(f"{live_daphne}/dringend/{draft.pk}/voortgang/")
    assert "Gaslek Sint-Pietersplein" in sender.text_content("main")
    assert axe_violations(sender) == []
    sender.close()

    phone.clear_cookies()
    page = phone.new_page()
    log_in(page, live_daphne, "alice")
    banner = page.locator(".alert-banner")
    assert "Gaslek Sint-Pietersplein" in banner.text_content()
    assert axe_violations(page) == []
    page.goto(f"{live_daphne}/meldingen/")  # on every page, until acknowledged
    assert banner.is_visible()
    box = page.locator(".alert-banner button[type=submit]").bounding_box()
    assert box and box["height"] >= 44 and box["width"] >= 280  # a thumb finds it
    page.click(".alert-banner button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".alert-banner").count() == 0
    page.goto(f"{live_daphne}/")
    assert page.locator(".alert-banner").count() == 0
