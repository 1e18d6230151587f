"""The search page on a 360 px phone, in a real Chromium against a real daphne."""

from __future__ import annotations

import pytest

from search.documents import PlainDocument, index_documents
from search.indexes import Kind
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def server(transactional_db, search_index):
    """A daphne that reads the test's own index."""
    from tests.servers import run_daphne

    with run_daphne({"SEARCH_INDEX_DIR": str(search_index)}) as base_url:
        yield base_url


def test_a_field_worker_finds_a_directive_by_typing_and_by_searching(server, phone, bob):
    index_documents(
        [
            PlainDocument(
                id="42",
                kind=Kind.DIRECTIVE,
                number="KUS-2026-0042",
                title="Circulaire veiligheidsschoenen en beschermkledij",
                body="Veiligheidsschoenen zijn verplicht op elke werf, ook voor onderaannemers.",
                category="Veiligheid",
            )
        ]
    )
    page = phone.new_page()
    page.goto(f"{server}/accounts/login/")
    page.fill("input[name=username]", "bob")
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_url(f"{server}/")

    page.goto(f"{server}/zoeken/")
    page.fill("#search-q", "veiligh")
    suggestion = page.locator("#search-suggestions a").first
    suggestion.wait_for()
    assert "KUS-2026-0042 · Circulaire veiligheidsschoenen" in suggestion.inner_text()
    assert suggestion.bounding_box()["height"] >= 44

    page.fill("#search-q", "circulaires werven")
    page.press("#search-q", "Enter")
    page.wait_for_url("**/zoeken/?q=circulaires+werven")
    assert page.locator(".search-count").inner_text() == "1 resultaat"
    assert page.locator(".search-snippet mark").first.inner_text() == "werf"
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    too_small = page.evaluate(
        """() => [...document.querySelectorAll('#main a, #main button, #main input, summary')]
              .filter(el => el.offsetParent !== null)
              .map(el => [el.textContent.trim() || el.name, el.getBoundingClientRect().height])
              .filter(([, height]) => height < 44)"""
    )
    assert too_small == []
