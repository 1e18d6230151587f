"""Every tappable element is at least 24 x 24 px (WCAG 2.2, 2.5.8), a primary action
44 px high: gloved hands on a 360 px phone must hit what they aim at."""

from __future__ import annotations

import pytest

from tests.browser.pages import communication_pages, employee_pages, make_world
from tests.servers import log_in

pytestmark = pytest.mark.browser

# Where people's own text is rendered: a link in a sentence there may be as small as the
# sentence (2.5.8's inline exception), nowhere else.
USER_TEXT = ".post-body, .directive-body, .chat-body, .announcement-body, .prose"

TOO_SMALL = """([userText, minimum]) => {
  const checkboxLabel = label => {
    const control = label.control;
    return control && ['checkbox', 'radio'].includes(control.type);
  };
  const tappable = [...document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], label'
  )].filter(el => el.tagName !== 'LABEL' || checkboxLabel(el));
  const label = el => (el.textContent || el.name || el.getAttribute('aria-label') || '').trim();
  const describe = el => `${el.tagName.toLowerCase()}${el.className ? '.' + el.className : ''}`
    + ` "${label(el).slice(0, 30)}"`;
  return tappable
    .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
    .filter(el => !el.closest('.visually-hidden'))
    .filter(el => !(el.tagName === 'A' && el.closest(userText) && el.closest('p, li, td')))
    .map(el => [el, el.getBoundingClientRect()])
    .filter(([, box]) => box.width < minimum - 0.5 || box.height < minimum - 0.5)
    .map(([el, box]) => `${describe(el)} ${Math.round(box.width)}x${Math.round(box.height)}`);
}"""

# The primary action of a page, and the submit button of its main form.
PRIMARY_TOO_LOW = """() => [...document.querySelectorAll(
    '.button-primary, main form:not(.inline-form) button[type=submit].button')]
  .filter(el => el.getClientRects().length)
  .map(el => [el.textContent.trim().slice(0, 30), el.getBoundingClientRect().height])
  .filter(([, height]) => height < 43.5)
  .map(([text, height]) => `"${text}" ${Math.round(height)} px high`)"""


@pytest.mark.tier_independent  # a rendering no database changes: CI runs it once
def test_every_tappable_element_on_every_main_page_is_big_enough(live_daphne, chromium):
    world = make_world()
    walks = [
        (world.alice.username, [*employee_pages(world), "/meldingen/voorkeuren/"]),
        (world.people["communicatie"].username, communication_pages(world)),
    ]
    problems = []
    for username, paths in walks:
        context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="nl-BE")
        page = context.new_page()
        log_in(page, live_daphne, username)
        for path in paths:
            page.goto(f"{live_daphne}{path}")
            page.wait_for_load_state("networkidle")
            for problem in page.evaluate(TOO_SMALL, [USER_TEXT, 24]):
                problems.append(f"{path}: {problem}")
            for problem in page.evaluate(PRIMARY_TOO_LOW):
                problems.append(f"{path}: primary {problem}")
        context.close()
    assert problems == []
