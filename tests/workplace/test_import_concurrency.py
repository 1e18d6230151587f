"""A large staff import leaves the database writable for everyone else (SQLite above all,
with its one writer at a time)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import OperationalError, connection, connections
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, DepartmentFactory, EmployeeFactory
from workplace.importers import EMPLOYEE_COLUMNS, import_employees
from workplace.models import Employee

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = 1500
# What a login may wait for the import's lock before it gives up. Production waits
# 20 s for a 100,000-row import that takes minutes (bench/workplace_import.py);
# this test scales both down.
BUSY_TIMEOUT = 3.0


def staff_file(tmp_path, count: int) -> str:
    lines = [";".join(EMPLOYEE_COLUMNS)]
    lines += [
        f"{700000 + n};Voornaam{n};Achternaam{n};;FM;Medewerker;Depot {n % 7};nee;"
        for n in range(count)
    ]
    path = tmp_path / "personeel.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def waiting_briefly_for_locks(options: dict) -> dict:
    """This connection's options, changed to give up on a lock after BUSY_TIMEOUT."""
    if connection.vendor == "sqlite":
        return {**options, "timeout": BUSY_TIMEOUT}
    # PostgreSQL locks rows, not the file; a login still must not queue behind the import.
    return {**options, "options": f"-c lock_timeout={int(BUSY_TIMEOUT * 1000)}"}


def test_logins_keep_working_while_a_large_import_runs(tmp_path):
    DepartmentFactory(code="FM")
    EmployeeFactory(username="loket")
    path = staff_file(tmp_path, ROWS)
    done, failures = threading.Event(), []

    def run_import():
        try:
            import_employees(path, announce_new=False)
        except Exception as error:  # the test must see it, not the thread
            failures.append(f"import: {error}")
        finally:
            done.set()
            connections.close_all()

    importer = threading.Thread(target=run_import)
    # This thread's connection waits for locks only briefly, as if the import were huge.
    connection.close()
    regular = connection.settings_dict
    connection.settings_dict = {
        **regular,
        "OPTIONS": waiting_briefly_for_locks(regular["OPTIONS"]),
    }
    logins = 0
    try:
        importer.start()
        while not done.is_set():
            try:
                response = Client().post(
                    reverse("login"), {"username": "loket", "password": PASSWORD}
                )
                assert response.status_code == 302
                logins += 1
            except OperationalError as error:
                failures.append(f"login: {error}")
            time.sleep(0.05)
    finally:
        importer.join()
        connection.close()
        connection.settings_dict = regular
    assert failures == []
    assert logins >= 3  # they really overlapped with the import
    assert Employee.objects.filter(personnel_number__startswith="7").count() == ROWS
