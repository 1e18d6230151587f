"""A field worker's start page in a real Chromium: what is theirs to do fits the first
screen of a 360 x 740 phone, above a long stream."""

from __future__ import annotations

import pytest

from tests.accessibility import serious_axe_violations
from tests.servers import log_in, off_loop

pytestmark = pytest.mark.browser

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def make_world(*, things_to_do: bool) -> None:
    """Tarik, a field worker of the Groendienst, with 24 colleagues' posts in his stream
    and, with ``things_to_do``, a directive to read, one to confirm again after a
    material change, an open survey and an urgent message."""
    from django.core.cache import cache

    from alerts.actions import LAST_SENT_KEY
    from tests.factories import DepartmentFactory, EmployeeFactory
    from tests.workplace import test_start_page as world

    park = DepartmentFactory(code="GRO", name="Groendienst", kind="departement")
    team = DepartmentFactory(code="GRO-Z", name="Ploeg Zuid", parent=park, kind="team")
    tarik = EmployeeFactory(
        username="tarik", first_name="Tarik", department=team, is_field_worker=True, email=""
    )
    world.stream_posts(team, 24)
    editors = world.kus_editors()
    again = world.directive_to_read(editors, park, team, "Maaien langs de weg")
    from kus import actions

    actions.acknowledge(tarik, again)
    if not things_to_do:
        return
    world.directive_to_read(editors, park, team, "Werken met de bosmaaier")
    world.open_survey(team, "Hoe veilig voel jij je op de werf?")
    from tests.kus.conftest import republish

    republish(*editors, again, body="Nieuwe regels: altijd een hesje.", material=True)
    world.urgent_message(team, "Storm: geen werk in de parken")
    cache.delete(LAST_SENT_KEY)  # a shared cache may remember an older send


def first_screen(page) -> float:
    """Where the first screen ends: above the navigation bar stuck to the bottom."""
    return page.locator("nav.mainnav").bounding_box()["y"]


def test_a_field_worker_sees_all_there_is_to_do_on_the_first_screen(live_daphne, phone):
    off_loop(make_world, things_to_do=True)
    page = phone.new_page()
    log_in(page, live_daphne, "tarik")
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    assert page.evaluate("window.scrollY") == 0
    assert page.locator(".stream-item").count() >= 20
    bottom = first_screen(page)
    assert bottom <= 740
    rows = [
        page.locator(".alert-banner"),
        page.locator(".todo-row", has_text="Werken met de bosmaaier"),
        page.locator(".todo-row", has_text="Opnieuw bevestigen"),
        page.locator(".todo-row", has_text="Hoe veilig voel jij je op de werf?"),
    ]
    for row in rows:
        box = row.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= bottom, box
    for row in rows[1:]:
        assert row.bounding_box()["height"] >= 44  # a thumb finds it
    assert page.locator(".alert-banner").count() == 1
    assert page.locator(".todo", has_text="Storm").count() == 0  # not repeated below
    assert page.locator("text=Alles gelezen").count() == 0
    assert serious_axe_violations(page) == []
    page.locator(".todo-row", has_text="Werken met de bosmaaier").click()
    page.wait_for_load_state()
    assert "Werken met de bosmaaier" in page.locator("h1").inner_text()
    assert serious_axe_violations(page) == []


def test_on_a_wide_screen_the_to_do_card_is_on_the_first_screen_too(live_daphne, chromium):
    off_loop(make_world, things_to_do=True)
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="nl-BE")
    try:
        page = context.new_page()
        log_in(page, live_daphne, "tarik")
        card = page.locator(".todo").bounding_box()
        assert card is not None and card["y"] + card["height"] <= 800
        assert page.locator(".todo-row").count() == 3
        assert serious_axe_violations(page) == []
    finally:
        context.close()


def test_with_nothing_to_do_one_line_says_all_is_read(live_daphne, phone):
    off_loop(make_world, things_to_do=False)
    page = phone.new_page()
    log_in(page, live_daphne, "tarik")
    done = page.locator(".todo-done")
    assert done.inner_text().strip() == "✓ Alles gelezen"
    box = done.bounding_box()
    assert box["y"] + box["height"] <= first_screen(page)
    assert page.locator(".todo-row").count() == 0
    assert serious_axe_violations(page) == []
