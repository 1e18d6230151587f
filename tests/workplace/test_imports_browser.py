"""HR imports a staff list in a real Chromium: upload, dry run, confirm, at 360 and 1280 px."""

from __future__ import annotations

import pytest

from tests.accessibility import axe_violations
from tests.factories import EmployeeFactory
from tests.servers import log_in
from workplace.models import Employee
from workplace.roles import Role

pytestmark = pytest.mark.browser

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
PERSONEEL = (
    "personeelsnummer;voornaam;achternaam;e-mail;afdeling;functie;werklocatie;veldwerker;gsm\n"
    "300001;Jef;Vermeulen;;FM;Projectleider;Driepikkel;nee;\n"
    "300002;Ay\u015fe;Y\u0131lmaz;;FM-ON;Elektricien;Driepikkel;ja;\n"
)


def as_csv(text: str) -> dict:
    return {"name": "personeel.csv", "mimeType": "text/csv", "buffer": text.encode("utf-8")}


@pytest.mark.parametrize("width", [360, 1280])
def test_hr_checks_a_staff_list_and_imports_it_in_the_browser(
    live_daphne, chromium, organisation, width
):
    EmployeeFactory(username="hilde", first_name="Hilde", roles=[Role.HR])
    context = chromium.new_context(viewport={"width": width, "height": 800}, locale="nl-BE")
    page = context.new_page()
    log_in(page, live_daphne, "hilde")
    page.goto(f"{live_daphne}/meer/")
    page.click("a[href='/beheer/import/']")
    page.wait_for_url(f"{live_daphne}/beheer/import/")
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    for control in ("#id_kind_0", "#id_deactivate_missing", "#id_welcome"):
        box = page.locator(control).bounding_box()
        assert box and box["width"] >= 24 and box["height"] >= 24
    assert axe_violations(page) == []

    page.set_input_files("input[type=file]", as_csv(PERSONEEL + "300003;Piet;;;NOPE;;;ja;\n"))
    page.click("main button[type=submit]")
    problems = page.locator(".import-problems li")
    problems.first.wait_for()
    assert "Regel 4" in problems.first.text_content()
    assert page.locator("form[action='/beheer/import/bevestigen/']").count() == 0
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    assert axe_violations(page) == []

    page.click("main a[href='/beheer/import/']")
    page.set_input_files("input[type=file]", as_csv(PERSONEEL))
    page.click("main button[type=submit]")
    confirm = page.locator("form[action='/beheer/import/bevestigen/'] button")
    confirm.wait_for()
    assert "2" in page.text_content(".import-counts")
    assert confirm.bounding_box()["height"] >= 44
    assert axe_violations(page) == []
    assert not Employee.objects.filter(personnel_number="300002").exists()

    confirm.click()
    page.wait_for_url(f"{live_daphne}/beheer/import/")
    assert "Ge\u00efmporteerd: 2 nieuw" in page.text_content("main")
    assert axe_violations(page) == []
    assert Employee.objects.get(personnel_number="300002").username == "ayse.yilmaz"
    context.close()
