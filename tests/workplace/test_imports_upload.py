"""HR imports from the browser: upload, a dry run that lists every problem, then confirm."""

from __future__ import annotations

import time

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.auth import WerkplekClient, totp_code, verified_login
from tests.factories import PASSWORD, EmployeeFactory
from workplace import import_uploads
from workplace.importers import import_employees
from workplace.models import AuditAction, AuditEvent, Department, Employee
from workplace.roles import Role

pytestmark = pytest.mark.django_db

AFDELINGEN = "code;naam;bovenliggende_code\nFM;Facility;\nFM-ON;Team Onderhoud Noord;FM\n"
PERSONEEL = (
    "personeelsnummer;voornaam;achternaam;e-mail;afdeling;functie;werklocatie;veldwerker;gsm\n"
    "300001;Jef;Vermeulen;jef@stad.gent;FM;Projectleider;Driepikkel;nee;\n"
    "300002;Ay\u015fe;Y\u0131lmaz;;FM-ON;Elektricien;Driepikkel;ja;\n"
)


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


@pytest.fixture
def hr_officer(db):
    return EmployeeFactory(username="hilde", roles=[Role.HR])


@pytest.fixture
def hr(client, hr_officer):
    verified_login(client, hr_officer)
    return client


def upload(client, text: str, kind: str = "employees", **options):
    data = {"kind": kind, "file": SimpleUploadedFile("personeel.csv", text.encode("utf-8"))}
    data.update({"welcome": "on"} | options)
    return client.post(reverse("import_upload"), data)


def confirm(client, response):
    return client.post(reverse("import_confirm"), {"token": response.context["pending"].token})


def test_hr_checks_a_file_and_then_imports_it_without_uploading_again(hr):
    response = upload(hr, AFDELINGEN, kind="departments")
    page = response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert "Er is nog niets ge\u00efmporteerd" in page
    assert Department.objects.count() == 0  # the dry run writes nothing
    response = confirm(hr, response)
    assert response.status_code == 302
    assert Department.objects.get(code="FM-ON").parent.code == "FM"

    response = upload(hr, PERSONEEL)
    assert (response.context["report"].created, Employee.objects.count()) == (2, 1)
    followed = hr.post(
        reverse("import_confirm"), {"token": response.context["pending"].token}, follow=True
    )
    assert "Ge\u00efmporteerd: 2 nieuw" in followed.content.decode()
    assert Employee.objects.get(personnel_number="300002").username == "ayse.yilmaz"
    event = AuditEvent.objects.get(action=AuditAction.EMPLOYEES_IMPORTED)
    assert (event.actor, event.target_label) == (
        Employee.objects.get(username="hilde"),
        "personeel.csv",
    )
    assert not list(import_uploads._folder().glob("*.csv"))  # the upload is gone


def test_a_file_with_problems_lists_them_per_line_and_imports_nothing(hr):
    Department.objects.create(code="FM", name="Facility")
    Department.objects.create(code="FM-ON", name="Team")
    bad = PERSONEEL + "300003;Piet;;;NOPE;;;misschien;\n"
    response = upload(hr, bad)
    page = response.content.decode()
    assert "3 problemen" in page
    assert "Regel 4" in page and "onbekende afdeling &#x27;NOPE&#x27;" in page
    assert "voornaam en familienaam zijn verplicht" in page
    # The column as this file names it, not by its English name.
    assert "veldwerker moet ja of nee zijn" in page and "field_worker" not in page
    assert reverse("import_confirm") not in page  # nothing to confirm
    assert Employee.objects.count() == 1  # only hilde


def test_a_file_that_is_not_csv_gets_a_dutch_error_not_a_500(hr):
    response = upload(hr, "naam;adres\nJan;Gent\n")
    assert response.status_code == 200
    assert "De eerste regel moet de kolommen benoemen" in response.content.decode()
    response = hr.post(
        reverse("import_upload"),
        {"kind": "employees", "file": SimpleUploadedFile("p.csv", b"\xff\xfe\x00bad")},
    )
    assert "geen UTF-8" in response.content.decode()


def test_the_confirmation_checks_again_and_shows_what_changed_meanwhile(hr):
    Department.objects.create(code="FM", name="Facility")
    Department.objects.create(code="FM-ON", name="Team")
    response = upload(hr, PERSONEEL)
    EmployeeFactory(personnel_number="300001", first_name="Jef", last_name="Vermeulen")
    again = confirm(hr, response)
    assert again.status_code == 200
    assert "Er is iets veranderd sinds de controle" in again.content.decode()
    assert not Employee.objects.filter(personnel_number="300002").exists()  # all or nothing
    assert again.context["report"].created == 1
    assert confirm(hr, again).status_code == 302
    assert Employee.objects.filter(personnel_number="300002").exists()


def test_the_confirmation_is_bound_to_the_session_and_expires(hr):
    Department.objects.create(code="FM", name="Facility")
    Department.objects.create(code="FM-ON", name="Team")
    response = upload(hr, PERSONEEL)
    token = response.context["pending"].token
    other = WerkplekClient()
    verified_login(other, EmployeeFactory(roles=[Role.HR]))
    assert other.post(reverse("import_confirm"), {"token": token}).status_code == 302
    assert not Employee.objects.filter(personnel_number="300001").exists()
    stale = hr.session
    stale[import_uploads.SESSION_KEY]["created"] = time.time() - 3600
    stale.save()
    followed = hr.post(reverse("import_confirm"), {"token": token}, follow=True)
    assert "verlopen" in followed.content.decode()
    assert not Employee.objects.filter(personnel_number="300001").exists()


def test_a_confirmation_after_the_password_expired_asks_it_and_shows_the_check_again(hr, settings):
    Department.objects.create(code="FM", name="Facility")
    Department.objects.create(code="FM-ON", name="Team")
    response = upload(hr, PERSONEEL)
    later = time.time() + settings.REAUTH_SECONDS + 60  # still well within the 30 minutes
    with time_machine.travel(later):
        asked = confirm(hr, response)
        assert asked.status_code == 302 and asked.url.startswith(reverse("reauth"))
        device = TOTPDevice.objects.get(user__username="hilde")
        given = hr.post(
            reverse("reauth"),
            {"password": PASSWORD, "code": totp_code(device), "next": reverse("import_confirm")},
        )
        assert given.url == reverse("import_confirm")
        back = hr.get(given.url)  # a GET, where the password page sends back to
        assert back.status_code == 200 and back.context["report"].created == 2
        assert reverse("import_confirm") in back.content.decode()
    assert not Employee.objects.filter(personnel_number="300001").exists()


def test_hr_cannot_change_an_account_with_more_rights(hr):
    Department.objects.create(code="FM", name="Facility")
    Department.objects.create(code="FM-ON", name="Team")
    EmployeeFactory(personnel_number="300001", is_staff=True, email="beheer@stad.gent")
    page = upload(hr, PERSONEEL).content.decode()
    assert "Regel 2" in page and "rechten die jij niet hebt" in page


def test_deactivating_most_of_the_staff_is_refused_in_the_browser(hr):
    Department.objects.create(code="FM", name="Facility")
    Department.objects.create(code="FM-ON", name="Team")
    EmployeeFactory.create_batch(20)  # 20 colleagues not in the file, and hilde, who stays
    page = upload(hr, PERSONEEL, deactivate_missing="on").content.decode()
    assert "zou 20 van de 21 actieve medewerkers deactiveren" in page
    assert Employee.objects.filter(is_active=True).count() == 21


def test_a_browser_import_never_deactivates_the_officer_who_runs_it(hr, hr_officer, tmp_path):
    Department.objects.create(code="FM", name="Facility")
    Department.objects.create(code="FM-ON", name="Team")
    leaver = EmployeeFactory()
    path = tmp_path / "personeel.csv"
    path.write_text(PERSONEEL, encoding="utf-8")
    report = import_employees(path, deactivate_missing=True, force=True, issuer=hr_officer)
    leaver.refresh_from_db()
    hr_officer.refresh_from_db()
    assert not leaver.is_active  # colleagues missing from the file are switched off
    assert hr_officer.is_active  # but not the officer, who would lock themselves out
    assert report.deactivated == 1


def test_an_employee_without_the_hr_role_may_not_import(client, alice):
    verified_login(client, alice)
    before = Department.objects.count()
    assert client.get(reverse("import_upload")).status_code == 403
    assert upload(client, AFDELINGEN, kind="departments").status_code == 403
    assert Department.objects.count() == before


def test_hr_finds_the_import_under_more(hr):
    assert reverse("import_upload") in hr.get(reverse("more")).content.decode()
