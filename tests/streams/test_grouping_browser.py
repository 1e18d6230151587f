"""A published import's one card on a phone and a desktop, opened without JavaScript's help."""

from __future__ import annotations

import pytest

from tests.accessibility import serious_axe_violations
from tests.servers import log_in, off_loop

pytestmark = pytest.mark.browser

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def imported(live_daphne, tmp_path):
    def make():
        from io import StringIO

        from django.core.management import call_command

        from tests.factories import DepartmentFactory, EmployeeFactory
        from tests.kus.conftest import ensure_categories, ensure_roles
        from tests.kus.test_import import write

        ensure_roles()
        ensure_categories()
        facility = DepartmentFactory(code="FM", name="Facility Management")
        EmployeeFactory(username="alice", department=facility)
        for n in range(12):
            write(tmp_path, f"FM/r{n:02}.txt", f"Richtlijn {n}\nDe regels van nummer {n}.")
        call_command(
            "kus_import", str(tmp_path), "--publish", "--category", "Facility", stdout=StringIO()
        )

    off_loop(make)


@pytest.mark.parametrize("width", [360, 1280])
def test_the_grouped_card_opens_and_passes_axe(live_daphne, imported, chromium, width):
    context = chromium.new_context(viewport={"width": width, "height": 800}, locale="nl-BE")
    try:
        page = context.new_page()
        log_in(page, live_daphne, "alice")
        card = page.locator(".activity-group")
        summary = card.locator("summary")
        assert summary.inner_text() == "12 nieuwe richtlijnen in Facility Management"
        assert page.locator("text=Nieuwe richtlijn:").count() == 0
        link = card.locator("a", has_text="Richtlijn 11")
        assert link.is_hidden()
        summary.click()
        link.wait_for(state="visible")
        assert card.locator("li").count() == 12
        assert summary.bounding_box()["height"] >= 44
        assert link.bounding_box()["height"] >= 24
        assert page.evaluate(NO_HORIZONTAL_SCROLL)
        assert serious_axe_violations(page) == []
    finally:
        context.close()
