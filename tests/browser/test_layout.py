"""The layout on a 360 px phone and a 1280 px desktop: no cramped column, no word broken
in two, nothing wider than the screen, and axe finds nothing serious."""

from __future__ import annotations

import pytest

from tests.accessibility import serious_axe_violations
from tests.browser.pages import (
    BROKEN_WORDS,
    NO_HORIZONTAL_OVERFLOW,
    SPREAD_OVER_LINES,
    communication_pages,
    employee_pages,
    make_world,
)
from tests.servers import log_in, off_loop

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def desktop(chromium):
    context = chromium.new_context(viewport=DESKTOP, locale="nl-BE")
    yield context
    context.close()


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/activeren/"])
def test_a_page_without_navigation_uses_the_width_of_a_desktop(live_daphne, desktop, path):
    page = desktop.new_page()
    page.goto(f"{live_daphne}{path}")
    assert page.locator("main").bounding_box()["width"] >= 320
    assert page.evaluate(BROKEN_WORDS) == []
    assert page.evaluate(NO_HORIZONTAL_OVERFLOW)
    assert serious_axe_violations(page) == []


def test_notification_times_stay_on_one_line_on_a_phone(live_daphne, phone):
    world = make_world()
    page = phone.new_page()
    log_in(page, live_daphne, world.alice.username)
    page.goto(f"{live_daphne}/meldingen/")
    times = page.locator(".notifications time")
    assert times.count() >= 1
    assert page.evaluate(SPREAD_OVER_LINES, ".notifications time") == []
    assert page.evaluate(BROKEN_WORDS) == []


@pytest.mark.tier_independent  # a rendering no database changes: CI runs it once
def test_every_main_page_fits_a_phone_and_a_desktop(live_daphne, chromium):
    world = make_world()
    walks = [
        (world.alice.username, employee_pages(world)),
        (world.people["communicatie"].username, communication_pages(world)),
    ]
    problems = []
    for viewport in (PHONE, DESKTOP):
        for username, paths in walks:
            context = chromium.new_context(viewport=viewport, locale="nl-BE")
            page = context.new_page()
            log_in(page, live_daphne, username)
            for path in paths:
                response = page.goto(f"{live_daphne}{path}")
                page.wait_for_load_state("networkidle")
                where = f"{path} at {viewport['width']} px"
                assert response.status == 200, where
                if not page.evaluate(NO_HORIZONTAL_OVERFLOW):
                    problems.append(f"{where}: wider than the screen")
                if broken := page.evaluate(BROKEN_WORDS):
                    problems.append(f"{where}: words broken in two: {broken}")
                if violations := serious_axe_violations(page):
                    problems.append(f"{where}: {violations}")
            context.close()
    assert problems == []


def test_the_shared_terminal_bar_is_one_slim_line_with_a_big_logout(live_daphne, phone):
    from django.core import signing

    from workplace.models import Terminal
    from workplace.terminals import COOKIE_NAME, COOKIE_SALT

    world = make_world()
    # A long name (the suite's factories number their people): the bar cuts it short with
    # an ellipsis, and nothing in it, not even the sentence only screen readers hear,
    # reaches past the edge of the screen.
    world.alice.first_name, world.alice.last_name = "Marie-Christine", "Van den Abeele-Vercruysse"
    off_loop(world.alice.save, update_fields=["first_name", "last_name"])
    terminal = off_loop(Terminal.objects.create, name="Werkplaats Driepikkel 1")
    value = signing.get_cookie_signer(salt=COOKIE_NAME + COOKIE_SALT).sign(str(terminal.token))
    phone.add_cookies([{"name": COOKIE_NAME, "value": value, "url": live_daphne}])
    page = phone.new_page()
    log_in(page, live_daphne, world.alice.username)
    bar = page.locator(".terminal-bar")
    assert bar.bounding_box()["height"] <= 48
    assert world.alice.get_full_name() in bar.inner_text()
    logout = bar.get_by_role("button", name="Afmelden")
    assert logout.bounding_box()["height"] >= 44
    assert page.evaluate(NO_HORIZONTAL_OVERFLOW)
    assert serious_axe_violations(page) == []
    logout.click()
    page.wait_for_url(f"{live_daphne}/accounts/login/")


def test_reactions_read_as_words_on_a_screen_without_an_emoji_font(live_daphne, phone):
    from streams import actions

    world = make_world()
    off_loop(actions.react, world.people["manager"], world.closed_post, "celebrate")
    page = phone.new_page()
    log_in(page, live_daphne, world.alice.username)
    page.goto(f"{live_daphne}{world.closed_post.get_absolute_url()}")
    summary = page.locator(".reaction-summary li")
    assert summary.all_inner_texts() == ["Proficiat: 1"]
    assert page.get_by_role("button", name="Interessant").is_visible()
    # This Chromium has no emoji font: the emoji are left out, never drawn as boxes.
    assert page.locator("html.no-emoji").count() == 1
    assert page.locator(".emoji").evaluate_all("els => els.filter(el => el.offsetParent)") == []
    assert serious_axe_violations(page) == []
