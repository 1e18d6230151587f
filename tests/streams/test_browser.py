"""The stream on a 360 px phone, in a real Chromium against a real daphne."""

from __future__ import annotations

import pytest

from tests.servers import log_in

pytestmark = pytest.mark.browser

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def test_a_post_appears_on_a_colleagues_open_stream_without_reload(
    live_daphne, chromium, alice, bob
):
    bob_context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="nl-BE")
    alice_context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="nl-BE")
    try:
        bob_page = bob_context.new_page()
        errors = []
        bob_page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        log_in(bob_page, live_daphne, "bob")
        bob_page.wait_for_selector("body[data-stream-live=true]")
        assert bob_page.evaluate(NO_HORIZONTAL_SCROLL)
        banner = bob_page.locator(".stream-new")
        assert banner.is_hidden()

        alice_page = alice_context.new_page()
        log_in(alice_page, live_daphne, "alice")
        alice_page.click(".composer summary")
        alice_page.fill("textarea[name=body]", "De lift in het AC is weer **in orde**")
        alice_page.click(".composer-form button[type=submit]")
        alice_page.wait_for_url("**/")

        banner.wait_for(state="visible")
        assert banner.inner_text() == "1 nieuw bericht"
        marker = bob_page.evaluate("window.performance.navigation.type")
        banner.click()
        bob_page.locator(".stream-items strong", has_text="in orde").wait_for()
        assert banner.is_hidden()
        # Still the same page: nothing reloaded.
        assert bob_page.evaluate("window.performance.navigation.type") == marker
        assert bob_page.evaluate(NO_HORIZONTAL_SCROLL)
        assert errors == []
    finally:
        bob_context.close()
        alice_context.close()


def test_mentions_complete_as_you_type(live_daphne, phone, alice, bob):
    page = phone.new_page()
    log_in(page, live_daphne, "alice")
    page.click(".composer summary")
    page.locator("textarea[name=body]").press_sequentially("Dank je @pee", delay=30)
    suggestion = page.locator(".mention-suggestions button").first
    suggestion.wait_for()
    suggestion.click()
    assert page.locator("textarea[name=body]").input_value() == "Dank je @bob "


def test_stream_pages_fit_a_360_px_screen(live_daphne, phone, alice, bob):
    from streams import actions

    space = actions.create_space(alice, "Fietsherstelplaats", "open", "Samen fietsen maken")
    post = actions.create_post(
        alice, "Een lange link https://stad.gent/nl/een-heel-lange-pagina-over-fietsen #fiets @bob"
    )
    actions.add_comment(bob, post, "Mooi zo")
    page = phone.new_page()
    log_in(page, live_daphne, "bob")
    for path in (
        post.get_absolute_url(),
        space.get_absolute_url(),
        "/ruimtes/",
        "/meldingen/",
        "/meldingen/voorkeuren/",
        "/stroom/onderwerpen/fiets/",
        "/stroom/mensen/alice/",
    ):
        page.goto(f"{live_daphne}{path}")
        assert page.evaluate(NO_HORIZONTAL_SCROLL), path
