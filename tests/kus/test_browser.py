"""KUS on a 360 px phone, in a real Chromium against a real daphne."""

from __future__ import annotations

import pytest

from tests.factories import AudienceFactory
from tests.kus.conftest import make_directive
from tests.servers import log_in, off_loop

pytestmark = pytest.mark.browser

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def make_world():
    """A Facility department with a field worker, two KUS editors and a directive for them."""
    from tests.factories import DepartmentFactory, EmployeeFactory
    from tests.kus.conftest import ensure_categories, ensure_roles
    from workplace.roles import Role

    ensure_roles()
    ensure_categories()
    facility = DepartmentFactory(code="FM", name="Facility Management", kind="departement")
    team = DepartmentFactory(code="FM-ON", name="Team Onderhoud Noord", parent=facility)
    EmployeeFactory(username="bob", department=team, is_field_worker=True, email="")
    editor = EmployeeFactory(department=facility, roles=[Role.KUS_EDITORS])
    reviewer = EmployeeFactory(department=facility, roles=[Role.KUS_EDITORS])
    audience = AudienceFactory()
    audience.departments.add(facility)
    return make_directive(
        editor,
        reviewer,
        owner=facility,
        title="Veilig werken op hoogte",
        body="## Regels\n\n| Hoogte | Wat |\n|---|---|\n| vanaf 2 m | valbeveiliging |\n",
        audience=audience,
        requires_ack=True,
    )


def test_a_field_worker_reads_and_confirms_a_directive_on_a_phone(live_daphne, phone):
    directive = off_loop(make_world)
    page = phone.new_page()
    log_in(page, live_daphne, "bob")
    assert "Richtlijn te lezen" in page.locator(".todo").inner_text()
    assert page.locator("[data-badge=kus]").inner_text() == "1"
    page.click("text=Veilig werken op hoogte")
    page.wait_for_url(f"{live_daphne}{directive.get_absolute_url()}")
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    button = page.locator("button", has_text="Gelezen en begrepen")
    assert button.bounding_box()["height"] >= 44
    button.click()
    page.wait_for_load_state()
    assert "dat je ze gelezen en begrepen hebt" in page.locator("#main").inner_text()
    page.goto(f"{live_daphne}/kus/te-lezen/")
    assert "Niets te lezen" in page.locator("#main").inner_text()
    for path in ("/kus/", f"/kus/{directive.number}/geschiedenis/"):
        page.goto(f"{live_daphne}{path}")
        assert page.evaluate(NO_HORIZONTAL_SCROLL), path
