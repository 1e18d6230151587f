"""The answering screen on a 360 px phone: one unmistakable main button, and a quiet link."""

from __future__ import annotations

import pytest

from tests.accessibility import serious_axe_violations
from tests.servers import log_in
from tests.surveys.test_browser import people  # noqa: F401  (the fixture)

pytestmark = pytest.mark.browser

LOOK = """el => {
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {height: box.height, width: box.width, background: style.backgroundColor,
          border: style.borderTopWidth, underline: style.textDecorationLine};
}"""


def test_the_main_button_and_save_for_later_cannot_be_confused(live_daphne, people, phone):  # noqa: F811
    _bob, _hr, gentco = people
    page = phone.new_page()
    log_in(page, live_daphne, "bob")
    page.goto(f"{live_daphne}/enquetes/{gentco.pk}/")
    assert serious_axe_violations(page) == []
    page.click("text=Beginnen")
    page.locator("h1").wait_for()

    main = page.locator(".survey-buttons button[value=next]")
    later = page.locator(".survey-buttons button[value=stay]")
    assert main.inner_text() == "Volgende"
    assert later.inner_text() == "Bewaren en later verdergaan"
    main_look, later_look = main.evaluate(LOOK), later.evaluate(LOOK)
    assert main_look["height"] >= 44 and main_look["width"] >= 300  # the whole width
    assert main_look["background"] not in ("rgba(0, 0, 0, 0)", "transparent")
    # The secondary action looks like a link: no fill, no border, underlined, yet tappable.
    assert later_look["background"] == "rgba(0, 0, 0, 0)"
    assert later_look["border"] == "0px"
    assert "underline" in later_look["underline"]
    assert later_look["height"] >= 44
    # ... and it stands apart, under the main button, not beside it.
    assert later.bounding_box()["y"] >= main.bounding_box()["y"] + main_look["height"]
    assert serious_axe_violations(page) == []

    later.click()
    page.locator(".message", has_text="Je antwoorden zijn bewaard").wait_for()
    assert serious_axe_violations(page) == []
