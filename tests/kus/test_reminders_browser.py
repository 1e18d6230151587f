"""The reminder button of the progress page on a phone (360 px), without JavaScript's help."""

from __future__ import annotations

import pytest

from tests.accessibility import serious_axe_violations
from tests.servers import log_in, off_loop

pytestmark = pytest.mark.browser

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def directive(live_daphne):
    def make():
        from tests.factories import AudienceFactory, DepartmentFactory, EmployeeFactory
        from tests.kus.conftest import ensure_roles, make_directive
        from workplace.roles import Role

        ensure_roles()
        facility = DepartmentFactory(code="FM", name="Facility Management")
        team = DepartmentFactory(code="FM-ON", name="Team Onderhoud Noord", parent=facility)
        EmployeeFactory(username="bob", department=team, is_field_worker=True, email="")
        EmployeeFactory(username="eddy", department=facility, roles=[Role.KUS_EDITORS])
        rita = EmployeeFactory(username="rita", department=facility, roles=[Role.KUS_EDITORS])
        audience = AudienceFactory()
        audience.departments.add(team)
        from workplace.models import Employee

        eddy = Employee.objects.get(username="eddy")
        return make_directive(
            eddy, rita, owner=facility, title="Werken op hoogte", audience=audience,
            requires_ack=True,
        ).number  # fmt: skip

    return off_loop(make)


def test_the_editor_reminds_from_the_progress_page_on_a_phone(live_daphne, directive, phone):
    page = phone.new_page()
    log_in(page, live_daphne, "eddy")
    page.goto(f"{live_daphne}/kus/{directive}/voortgang/")
    button = page.locator("button", has_text="Herinner wie nog niet bevestigde").first
    assert button.bounding_box()["height"] >= 44
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    assert serious_axe_violations(page) == []
    button.click()
    page.locator("text=Herinnering gestuurd naar 1 collega.").wait_for()
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    assert serious_axe_violations(page) == []
