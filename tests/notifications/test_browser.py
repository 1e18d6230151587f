"""The bell's badge on a 360 px phone, in a real Chromium against a real daphne."""

from __future__ import annotations

import pytest

from tests.servers import log_in

pytestmark = pytest.mark.browser


def test_the_bell_counts_a_reaction_without_reload(live_daphne, chromium, alice, bob):
    from streams import actions

    post = actions.create_post(bob, "Wie heeft de sleutel van het magazijn?")
    bob_context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="nl-BE")
    alice_context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="nl-BE")
    try:
        bob_page = bob_context.new_page()
        errors = []
        bob_page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        log_in(bob_page, live_daphne, "bob")
        bob_page.wait_for_selector("body[data-stream-live=true]")
        badge = bob_page.locator(".bell [data-badge=notifications]")
        assert badge.is_hidden()
        marker = bob_page.evaluate("window.performance.navigation.type")

        alice_page = alice_context.new_page()
        log_in(alice_page, live_daphne, "alice")
        alice_page.goto(f"{live_daphne}{post.get_absolute_url()}")
        alice_page.click(".reaction-choices button[value=like]")

        bob_page.locator(".bell [data-badge=notifications]", has_text="1").wait_for()
        assert badge.is_visible()
        assert bob_page.evaluate("window.performance.navigation.type") == marker
        bob_page.click(".bell")
        bob_page.locator(".notifications .unread", has_text="reageerde op je bericht").wait_for()
        assert errors == []
    finally:
        bob_context.close()
        alice_context.close()
