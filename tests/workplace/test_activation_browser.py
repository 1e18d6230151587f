"""Printing activation letters again on a 360 px phone: who loses an unused code, then print."""

from __future__ import annotations

import pytest

from tests.accessibility import axe_violations
from tests.factories import EmployeeFactory
from tests.servers import log_in
from workplace import onboarding
from workplace.models import ActivationCode
from workplace.roles import Role

pytestmark = pytest.mark.browser


def newcomer(department, **kwargs):
    employee = EmployeeFactory(department=department, email="", **kwargs)
    employee.set_unusable_password()
    employee.save()
    return employee


def test_hr_sees_whose_code_stops_working_and_prints_for_one_colleague(
    live_daphne, phone, organisation
):
    hilde = EmployeeFactory(username="hilde", roles=[Role.HR], department=organisation["civil"])
    fatima = newcomer(organisation["team"], first_name="Fatima", last_name="El Amrani")
    tom = newcomer(organisation["team"], first_name="Tom", last_name="Peeters")
    onboarding.issue_activation_code(fatima, created_by=hilde)
    kept = onboarding.issue_activation_code(tom, created_by=hilde)

    page = phone.new_page()
    log_in(page, live_daphne, "hilde")
    page.goto(f"{live_daphne}/beheer/activatiebrieven/")
    assert axe_violations(page) == []
    page.select_option("select[name=department]", str(organisation["team"].pk))
    page.click("main button[type=submit]")
    page.locator("input[name=replace_ok]").wait_for()
    assert "2 ongebruikte codes stoppen met werken" in page.text_content("main")
    box = page.locator(f"#id_employee_{tom.pk}").bounding_box()
    assert box and box["width"] >= 24 and box["height"] >= 24
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert axe_violations(page) == []

    page.uncheck(f"#id_employee_{tom.pk}")
    page.check("input[name=replace_ok]")
    page.click("main form button[type=submit]")
    page.locator("article.letter").first.wait_for()
    assert page.locator("article.letter").count() == 1
    assert "Fatima" in page.text_content("article.letter")
    assert axe_violations(page) == []
    assert onboarding.find_usable_code(kept).employee == tom  # Tom's letter still works
    assert ActivationCode.objects.filter(employee=fatima).count() == 2
