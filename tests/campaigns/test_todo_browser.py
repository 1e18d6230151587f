"""A field worker meets an announcement to confirm on the first screen of a 360 px phone,
confirms it, and the start page says "Alles gelezen": a real Chromium, axe on every page."""

from __future__ import annotations

import pytest

from tests.accessibility import axe_violations
from tests.servers import log_in, off_loop

pytestmark = pytest.mark.browser

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def make_world() -> None:
    """Bob, a field worker of the Groendienst, and an announcement to his team that asks
    "Gelezen"; Carol, in another department, is not addressed."""
    from campaigns import actions
    from tests.campaigns.conftest import scheduled
    from tests.factories import DepartmentFactory, EmployeeFactory
    from tests.kus.conftest import ensure_roles
    from workplace.models import Audience
    from workplace.roles import Role

    ensure_roles()  # transactional tests flush the role groups the migrations made
    green = DepartmentFactory(code="GRO", name="Groendienst", kind="departement")
    EmployeeFactory(username="bob", department=green, is_field_worker=True, email="")
    office = DepartmentFactory(code="COM", name="Communicatie", kind="departement")
    EmployeeFactory(username="carol", department=office)
    lies = EmployeeFactory(username="lies", department=office, roles=[Role.COMMUNICATION])
    audience = Audience.objects.create()
    audience.departments.add(green)
    item = scheduled(lies, audience, minutes=-1, title="Nieuwe werkkledij", requires_ack=True)
    actions.do_publish(item)


def test_a_field_worker_confirms_an_announcement_from_the_to_do_card(live_daphne, phone):
    off_loop(make_world)
    page = phone.new_page()
    log_in(page, live_daphne, "bob")
    row = page.locator("a.todo-row", has_text="Bevestig: Nieuwe werkkledij")
    box = row.bounding_box()
    assert box is not None and box["height"] >= 44
    assert box["y"] + box["height"] <= page.locator("nav.mainnav").bounding_box()["y"]
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    assert axe_violations(page) == []
    row.click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Gelezen", exact=True).click()
    page.wait_for_load_state()
    page.goto(f"{live_daphne}/")
    page.locator(".todo-done").wait_for()
    assert "Alles gelezen" in page.locator(".todo-done").inner_text()
    assert page.locator("a.todo-row").count() == 0
    assert axe_violations(page) == []


def test_someone_outside_the_audience_has_nothing_to_confirm(live_daphne, phone):
    off_loop(make_world)
    page = phone.new_page()
    log_in(page, live_daphne, "carol")
    page.locator(".todo-done").wait_for()
    assert page.locator("a.todo-row", has_text="Nieuwe werkkledij").count() == 0
    # The control: Bob, in the audience, has it on the same start page.
    page.context.clear_cookies()
    log_in(page, live_daphne, "bob")
    assert page.locator("a.todo-row", has_text="Bevestig: Nieuwe werkkledij").count() == 1
