"""The CSV imports of departments and employees: idempotent, atomic, and clear about bad rows."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import EmployeeFactory
from workplace.importers import (
    CsvFileError,
    TooManyDeactivations,
    import_departments,
    import_employees,
)
from workplace.models import AuditAction, AuditEvent, Department, Employee

pytestmark = pytest.mark.django_db

DEPARTMENTS = """code,name,parent_code
FM,Departement Facility Management,
FM-GEB,Dienst Gebouwen,FM
FM-ON,Team Onderhoud Noord,FM-GEB
BZ,Departement Burgerzaken,
"""

EMPLOYEES = (
    "personnel_number;first_name;last_name;email;department_code;job_title;site;field_worker;mobile\n"
    """\
300001;Jef;Vermeulen;jef.vermeulen@stad.gent;FM-GEB;Projectleider;Werkplaats Driepikkel;nee;
300002;Fatima;El Amrani;;FM-ON;Elektricien;Werkplaats Driepikkel;ja;+32 470 12 34 56
300003;Émile;Dubois;emile.dubois@stad.gent;BZ;Loketmedewerker;Administratief Centrum;nee;
"""
)


def write(tmp_path, name: str, text: str, *, bom: bool = False) -> str:
    path = tmp_path / name
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return str(path)


@pytest.fixture
def departments_file(tmp_path):
    return write(tmp_path, "afdelingen.csv", DEPARTMENTS)


@pytest.fixture
def imported_departments(departments_file):
    assert import_departments(departments_file).ok


def test_it_imports_the_department_tree(departments_file):
    report = import_departments(departments_file)
    assert (report.created, report.errors) == (4, [])
    team = Department.objects.get(code="FM-ON")
    assert [d.code for d in team.ancestors()] == ["FM", "FM-GEB"]


def test_importing_departments_again_changes_nothing(departments_file):
    import_departments(departments_file)
    report = import_departments(departments_file)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 4)


def test_it_updates_a_department_by_its_code(tmp_path, imported_departments):
    changed = DEPARTMENTS.replace(
        "FM-ON,Team Onderhoud Noord,FM-GEB", "FM-ON,Team Onderhoud Noord,BZ"
    )
    report = import_departments(write(tmp_path, "nieuw.csv", changed))
    assert report.updated == 1
    assert Department.objects.get(code="FM-ON").parent.code == "BZ"


def test_it_accepts_parents_listed_after_their_children(tmp_path):
    reversed_rows = "code,name,parent_code\nFM-GEB,Dienst Gebouwen,FM\nFM,Facility,\n"
    assert import_departments(write(tmp_path, "omgekeerd.csv", reversed_rows)).created == 2


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("XX,Onbekend,NOPE", "onbekende bovenliggende afdeling NOPE"),
        ("FM,Dubbel,", "code FM staat ook op regel 2"),
        ("fm gebouw,Spatie in code,", "ongeldige code"),
        ("ZZ,,", "de naam is leeg"),
    ],
)
def test_a_bad_department_row_is_reported_and_nothing_is_written(tmp_path, row, reason):
    path = write(tmp_path, "fout.csv", DEPARTMENTS + row + "\n")
    report = import_departments(path)
    assert not report.ok
    assert report.errors[0].line == 6
    assert reason in report.errors[0].message
    assert Department.objects.count() == 0


def test_a_cycle_is_refused(tmp_path):
    cycle = "code,name,parent_code\nA,Een,B\nB,Twee,A\n"
    report = import_departments(write(tmp_path, "cyclus.csv", cycle))
    assert [e.line for e in report.errors] == [2, 3]
    assert Department.objects.count() == 0


def test_a_dry_run_counts_but_writes_nothing(departments_file):
    report = import_departments(departments_file, dry_run=True)
    assert report.created == 4
    assert Department.objects.count() == 0


def test_it_imports_employees_from_a_belgian_spreadsheet(tmp_path, imported_departments):
    report = import_employees(write(tmp_path, "personeel.csv", EMPLOYEES, bom=True))
    assert (report.created, report.errors) == (3, [])
    fatima = Employee.objects.get(personnel_number="300002")
    assert (
        fatima.is_field_worker
        and fatima.email == ""
        and fatima.site.name == "Werkplaats Driepikkel"
    )
    assert fatima.username == "fatima.el.amrani"
    assert not fatima.has_usable_password()  # she activates with a letter from HR
    emile = Employee.objects.get(personnel_number="300003")
    assert emile.first_name == "Émile" and emile.username == "emile.dubois"
    assert set(fatima.groups.values_list("name", flat=True)) == {
        "afdeling:FM",
        "afdeling:FM-GEB",
        "afdeling:FM-ON",
    }


def test_importing_employees_again_changes_nothing(tmp_path, imported_departments):
    path = write(tmp_path, "personeel.csv", EMPLOYEES)
    import_employees(path)
    report = import_employees(path)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)


def test_it_updates_an_employee_by_personnel_number_and_moves_their_groups(
    tmp_path, imported_departments
):
    import_employees(write(tmp_path, "personeel.csv", EMPLOYEES))
    moved = EMPLOYEES.replace("300002;Fatima;El Amrani;;FM-ON", "300002;Fatima;El Amrani;;BZ")
    report = import_employees(write(tmp_path, "verhuisd.csv", moved))
    assert (report.updated, report.unchanged) == (1, 2)
    fatima = Employee.objects.get(personnel_number="300002")
    assert set(fatima.groups.values_list("name", flat=True)) == {"afdeling:BZ"}


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("300009;Piet;Claes;;NOPE;Tuinier;;ja;", "onbekende afdeling 'NOPE'"),
        ("300001;Piet;Claes;;FM;Tuinier;;ja;", "dubbel personeelsnummer 300001 (ook op regel 2)"),
        ("300009;Piet;Claes;piet@@stad;FM;Tuinier;;ja;", "ongeldig e-mailadres"),
        ("300009;;Claes;;FM;Tuinier;;ja;", "voornaam en familienaam zijn verplicht"),
        ("300009;Piet;Claes;;FM;Tuinier;;misschien;", "field_worker moet ja of nee zijn"),
        ("300009;Piet;Claes;;FM;Tuinier;;ja;bel me", "ongeldig gsm-nummer"),
        ("3 9;Piet;Claes;;FM;Tuinier;;ja;", "ongeldig personeelsnummer"),
    ],
)
def test_a_bad_employee_row_is_reported_with_its_line_and_nothing_is_written(
    tmp_path, imported_departments, row, reason
):
    report = import_employees(write(tmp_path, "fout.csv", EMPLOYEES + row + "\n"))
    assert not report.ok
    assert report.errors[0].line == 5
    assert reason in report.errors[0].message
    assert Employee.objects.count() == 0


def test_every_bad_row_is_reported_not_just_the_first(tmp_path, imported_departments):
    rows = EMPLOYEES + "1;;;;NOPE;;;?;\n300010;Ann;Baert;;NOPE;;;nee;\n"
    report = import_employees(write(tmp_path, "fout.csv", rows))
    assert {e.line for e in report.errors} == {5, 6}
    assert len([e for e in report.errors if e.line == 5]) == 4


DUTCH_HEADER = (
    "Personeelsnummer;Voornaam;Achternaam;E-mail;Afdeling;Functie;Werklocatie;Veldwerker;GSM"
)


def test_it_reads_the_dutch_column_names_in_any_case(tmp_path):
    afdelingen = "Code;Naam;Bovenliggende code\nFM,Facility,\n".replace(",", ";")
    assert import_departments(write(tmp_path, "afdelingen.csv", afdelingen)).created == 1
    personeel = DUTCH_HEADER + "\n300001;Jef;Vermeulen;jef@stad.gent;FM;Tuinier;Depot;ja;\n"
    report = import_employees(write(tmp_path, "personeel.csv", personeel))
    assert (report.created, report.errors) == (1, [])
    jef = Employee.objects.get(personnel_number="300001")
    assert (jef.email, jef.site.name, jef.is_field_worker) == ("jef@stad.gent", "Depot", True)


def test_a_bad_value_names_the_column_as_the_file_wrote_it(tmp_path, imported_departments):
    dutch = DUTCH_HEADER + "\n300009;Piet;Claes;;FM;Tuinier;;misschien;\n"
    message = import_employees(write(tmp_path, "nl.csv", dutch)).errors[0].message
    assert "Veldwerker moet ja of nee zijn, niet 'misschien'" in message
    assert "field_worker" not in message
    # The control: a file with the English names reads the English name.
    english = EMPLOYEES + "300009;Piet;Claes;;FM;Tuinier;;misschien;\n"
    message = import_employees(write(tmp_path, "en.csv", english)).errors[0].message
    assert "field_worker moet ja of nee zijn, niet 'misschien'" in message
    assert Employee.objects.count() == 0


def test_a_missing_column_is_named_in_english_and_dutch(tmp_path):
    with pytest.raises(CsvFileError, match=r"department_code \(afdeling\)"):
        import_employees(write(tmp_path, "kort.csv", "personeelsnummer;voornaam\n1;Jan\n"))


def test_a_column_named_twice_in_two_languages_is_refused(tmp_path, imported_departments):
    twice = EMPLOYEES.replace("mobile\n", "mobile;gsm\n", 1)
    with pytest.raises(CsvFileError, match=r"mobile \(gsm\) staat twee keer"):
        import_employees(write(tmp_path, "dubbel.csv", twice))


def test_usernames_keep_letters_that_unicode_does_not_decompose(tmp_path, imported_departments):
    rows = (
        EMPLOYEES.splitlines()[0]
        + "\n300007;Ay\u015fe;Y\u0131lmaz;;BZ;;;nee;\n300008;S\u00f8ren;\u0141asko;;BZ;;;nee;\n"
    )
    assert import_employees(write(tmp_path, "namen.csv", rows)).ok
    usernames = set(Employee.objects.values_list("username", flat=True))
    assert usernames == {"ayse.yilmaz", "soren.lasko"}


def test_a_missing_column_is_a_clear_error(tmp_path):
    with pytest.raises(CsvFileError, match="department_code"):
        import_employees(write(tmp_path, "kort.csv", "personnel_number;first_name\n1;Jan\n"))


def test_a_file_that_is_not_utf8_is_a_clear_error(tmp_path, imported_departments):
    path = tmp_path / "latin1.csv"
    path.write_bytes(EMPLOYEES.encode("latin-1"))
    with pytest.raises(CsvFileError, match="UTF-8"):
        import_employees(str(path))


def test_missing_employees_stay_active_unless_asked(tmp_path, imported_departments):
    leaver = EmployeeFactory(personnel_number="299999")
    import_employees(write(tmp_path, "personeel.csv", EMPLOYEES))
    leaver.refresh_from_db()
    assert leaver.is_active
    # One of four is more than the 10 % a file may deactivate without --force.
    report = import_employees(
        write(tmp_path, "personeel.csv", EMPLOYEES), deactivate_missing=True, force=True
    )
    leaver.refresh_from_db()
    assert report.deactivated == 1 and not leaver.is_active


def test_a_returning_employee_is_reactivated(tmp_path, imported_departments):
    import_employees(write(tmp_path, "personeel.csv", EMPLOYEES))
    Employee.objects.filter(personnel_number="300001").update(is_active=False)
    report = import_employees(write(tmp_path, "personeel.csv", EMPLOYEES))
    assert report.updated == 1
    assert Employee.objects.get(personnel_number="300001").is_active


def test_the_employee_dry_run_writes_nothing(tmp_path, imported_departments):
    report = import_employees(write(tmp_path, "personeel.csv", EMPLOYEES), dry_run=True)
    assert report.created == 3
    assert Employee.objects.count() == 0


def test_the_commands_report_and_fail_on_bad_rows(tmp_path, departments_file, capsys):
    call_command("import_departments", departments_file)
    assert "4 aangemaakt" in capsys.readouterr().out
    bad = write(tmp_path, "fout.csv", EMPLOYEES + "300009;Piet;Claes;;NOPE;;;ja;\n")
    with pytest.raises(CommandError, match="er werd niets geschreven"):
        call_command("import_employees", bad)
    assert "regel 5: onbekende afdeling 'NOPE'" in capsys.readouterr().err
    call_command("import_employees", write(tmp_path, "ok.csv", EMPLOYEES), "--dry-run")
    assert "[proefdraai, niets geschreven] 3 aangemaakt" in capsys.readouterr().out


# --- a file that would deactivate most of the staff ------------------------------


@pytest.fixture
def city_staff(imported_departments):
    """57 colleagues who are not in the staff files of these tests."""
    EmployeeFactory.create_batch(57, department=Department.objects.get(code="BZ"))


def five_rows(tmp_path) -> str:
    header, *rows = EMPLOYEES.splitlines()
    extra = [
        "300004;Ann;Baert;;BZ;Loketmedewerker;;nee;",
        "300005;Wim;Claeys;;FM;Tuinier;;ja;",
    ]
    return write(tmp_path, "vijf.csv", "\n".join([header, *rows, *extra]) + "\n")


@pytest.mark.parametrize("dry_run", [True, False])
def test_deactivating_most_of_the_staff_is_refused_without_force(
    tmp_path, imported_departments, city_staff, dry_run
):
    import_employees(write(tmp_path, "personeel.csv", EMPLOYEES))
    with pytest.raises(TooManyDeactivations, match="57 van de 60 actieve medewerkers"):
        import_employees(five_rows(tmp_path), deactivate_missing=True, dry_run=dry_run)
    assert Employee.objects.filter(is_active=True).count() == 60
    assert not Employee.objects.filter(personnel_number="300004").exists()


def test_force_deactivates_them_anyway_and_the_dry_run_counts_them(
    tmp_path, imported_departments, city_staff
):
    path = five_rows(tmp_path)
    dry = import_employees(path, deactivate_missing=True, force=True, dry_run=True)
    assert (dry.created, dry.deactivated) == (5, 57)
    assert Employee.objects.filter(is_active=True).count() == 57
    report = import_employees(path, deactivate_missing=True, force=True)
    assert (report.created, report.deactivated) == (5, 57)
    assert Employee.objects.filter(is_active=True).count() == 5


def test_a_higher_share_can_be_allowed(tmp_path, imported_departments, city_staff):
    import_employees(write(tmp_path, "personeel.csv", EMPLOYEES))
    # 57 of 60 is 95 %.
    report = import_employees(
        five_rows(tmp_path), deactivate_missing=True, max_deactivate_share=0.96
    )
    assert report.deactivated == 57


def test_the_command_refuses_clearly_and_takes_force_and_a_share(
    tmp_path, imported_departments, city_staff, capsys
):
    path = five_rows(tmp_path)
    with pytest.raises(CommandError, match="--force"):
        call_command("import_employees", path, "--deactivate-missing", "--dry-run")
    call_command("import_employees", path, "--deactivate-missing", "--dry-run", "--force")
    assert "57 gedeactiveerd" in capsys.readouterr().out
    call_command(
        "import_employees", path, "--deactivate-missing", "--max-deactivate-percent", "100"
    )
    assert Employee.objects.filter(is_active=True).count() == 5


def test_a_real_import_is_audited_with_its_counts_and_a_dry_run_is_not(
    tmp_path, imported_departments
):
    path = write(tmp_path, "personeel.csv", EMPLOYEES)
    import_employees(path, dry_run=True)
    assert not AuditEvent.objects.filter(action=AuditAction.EMPLOYEES_IMPORTED).exists()
    import_employees(path)
    event = AuditEvent.objects.get(action=AuditAction.EMPLOYEES_IMPORTED)
    assert event.target_label == "personeel.csv"
    assert event.detail == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "deactivated": 0,
        "forced": False,
    }


def test_an_update_only_writes_the_fields_that_changed(tmp_path, imported_departments):
    import_employees(write(tmp_path, "personeel.csv", EMPLOYEES))
    jef = Employee.objects.get(personnel_number="300001")
    jef.language = "en"  # his own choice, made while the import ran
    moved = EMPLOYEES.replace("Projectleider;Werkplaats Driepikkel", "Teamleider;Depot Noord")
    Employee.objects.filter(pk=jef.pk).update(language="en")
    report = import_employees(write(tmp_path, "nieuw.csv", moved))
    jef.refresh_from_db()
    assert report.updated == 1
    assert (jef.job_title, jef.site.name, jef.language) == ("Teamleider", "Depot Noord", "en")


def test_a_small_batch_size_gives_the_same_result(tmp_path, imported_departments):
    report = import_employees(write(tmp_path, "personeel.csv", EMPLOYEES), batch_size=1)
    assert report.created == 3 and Employee.objects.count() == 3


SHIFTS = (
    "personnel_number;first_name;last_name;email;department_code;job_title;site;field_worker;"
    "mobile;shift\n"
    "300002;Fatima;El Amrani;;FM-ON;Elektricien;Werkplaats Driepikkel;ja;;ma-vr 22:00-06:00\n"
    "300004;Tom;Peeters;;FM-ON;Veger;Werkplaats Driepikkel;ja;;elke dag vroeg\n"
)


def test_shift_patterns_come_from_an_optional_column_and_bad_ones_are_refused(
    tmp_path, imported_departments
):
    report = import_employees(write(tmp_path, "rooster.csv", SHIFTS))
    assert [error.line for error in report.errors] == [3]
    assert "elke dag vroeg" in str(report.errors[0])
    report = import_employees(write(tmp_path, "rooster.csv", SHIFTS.rsplit("300004", 1)[0]))
    assert report.ok
    assert Employee.objects.get(personnel_number="300002").shift_pattern == "ma-vr 22:00-06:00"
    # A file without the column leaves the patterns as they are.
    assert import_employees(write(tmp_path, "personeel.csv", EMPLOYEES)).ok
    assert Employee.objects.get(personnel_number="300002").shift_pattern == "ma-vr 22:00-06:00"
