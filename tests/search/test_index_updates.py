"""Keeping the index right: saves queue updates, one writer applies them, nothing is lost."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from search import query, queue
from search.health import index_state
from search.models import IndexTask
from search.query import SearchParams
from tests.factories import EmployeeFactory
from workplace.models import Employee


def names(user, text: str) -> list[str]:
    return [hit.title for hit in query.search(user, SearchParams(q=text)).hits]


@pytest.mark.django_db
def test_a_new_colleague_is_found_once_the_save_commits(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        EmployeeFactory(first_name="Wout", last_name="Van Hecke", job_title="Schrijnwerker")
    assert names(alice, "schrijnwerker") == []  # queued, not yet applied
    assert IndexTask.objects.count() >= 1
    for callback in callbacks:
        callback()
    assert names(alice, "schrijnwerker") == ["Wout Van Hecke"]
    assert IndexTask.objects.count() == 0


@pytest.mark.django_db
def test_a_rolled_back_save_leaves_nothing_in_the_queue(organisation):
    before = IndexTask.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        EmployeeFactory(job_title="Schrijnwerker")
        assert IndexTask.objects.count() > before
        raise RuntimeError("the request failed")
    assert IndexTask.objects.count() == before


@pytest.mark.django_db
def test_a_deactivated_colleague_leaves_the_search(alice, bob, django_capture_on_commit_callbacks):
    queue.enqueue(Employee.objects.all())
    queue.drain()
    assert names(alice, "elektricien") == ["Bob Peeters"]
    with django_capture_on_commit_callbacks(execute=True):
        bob.is_active = False
        bob.save()
    assert names(alice, "elektricien") == []


@pytest.mark.django_db
def test_renaming_a_department_updates_its_members(
    organisation, alice, bob, django_capture_on_commit_callbacks
):
    queue.enqueue(Employee.objects.all())
    queue.drain()
    team = organisation["team"]
    with django_capture_on_commit_callbacks(execute=True):
        team.name = "Team Elektriciteit Noord"
        team.save()
    results = query.search(alice, SearchParams(q="elektriciteit"))
    assert sorted(hit.title for hit in results.hits) == ["Bob Peeters", "Team Elektriciteit Noord"]


@pytest.mark.django_db
def test_an_update_that_keeps_failing_is_set_aside_and_reported(alice, monkeypatch):
    from search.search_indexes import EmployeeIndex

    def broken(self, obj):
        raise ValueError("cannot prepare")

    monkeypatch.setattr(EmployeeIndex, "prepare_title", broken)
    queue.enqueue(alice)
    for _attempt in range(queue.MAX_ATTEMPTS):
        queue.drain()
    assert set(IndexTask.objects.values_list("model", "attempts")) == {
        ("workplace.employee", queue.MAX_ATTEMPTS)
    }
    assert queue.pending() == 0
    state = index_state()
    assert state["failed"] == IndexTask.objects.count()
    assert state["ok"] is False


@pytest.mark.django_db
def test_search_check_reports_missing_and_stale_documents_and_fix_repairs_them(alice, bob, capsys):
    IndexTask.objects.all().delete()  # their updates were lost
    with pytest.raises(Exception, match="problem"):
        call_command("search_check")
    out = capsys.readouterr().out
    assert "The search index is empty: run search_check --fix to build it." in out
    assert "workplace.Employee: 2 to index" in out
    call_command("search_check", "--fix")
    assert "everything is indexed now" in capsys.readouterr().out
    carol = EmployeeFactory(department=alice.department, job_title="Schilder")
    IndexTask.objects.all().delete()  # lost as well
    with pytest.raises(Exception, match="problem"):
        call_command("search_check")
    assert "workplace.Employee: 1 missing, 0 stale, 0 orphaned" in capsys.readouterr().out
    call_command("search_check", "--fix")
    assert names(alice, "schilder") == [carol.get_full_name()]
    Employee.objects.filter(pk=bob.pk).update(job_title="Loodgieter")  # no signal: stale
    with pytest.raises(Exception, match="problem"):
        call_command("search_check")
    assert "workplace.Employee: 0 missing, 1 stale, 0 orphaned" in capsys.readouterr().out
    call_command("search_check", "--fix")
    call_command("search_check")
    assert "complete and up to date" in capsys.readouterr().out
    assert names(alice, "loodgieter") == ["Bob Peeters"]


@pytest.mark.django_db
def test_search_check_counts_what_is_queued_as_queued_not_missing(alice, bob, capsys):
    queue.drain()  # the index holds Alice and Bob
    # Saved a moment ago: its update waits for the writer (this transaction never commits).
    EmployeeFactory(first_name="Wout", last_name="Van Hecke", job_title="Schrijnwerker")
    call_command("search_check")
    out = capsys.readouterr().out
    assert "workplace.Employee: 0 missing, 0 stale, 0 orphaned, 1 queued" in out
    assert "update(s) queued: the writer applies them" in out
    call_command("search_check", "--fix")
    call_command("search_check")
    assert "complete and up to date" in capsys.readouterr().out
    assert names(alice, "schrijnwerker") == ["Wout Van Hecke"]


@pytest.mark.django_db
def test_rebuild_index_and_update_index_work(alice, bob):
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert names(alice, "elektricien") == ["Bob Peeters"]
    Employee.objects.filter(pk=bob.pk).update(job_title="Loodgieter")
    call_command("update_index", verbosity=0)
    assert names(alice, "loodgieter") == ["Bob Peeters"]


# --- several writers at once --------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_lose_no_update_and_never_hit_a_lock_error(organisation):
    """Six threads save colleagues and drain at the same time, as six daphne workers would."""
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def worker(n: int) -> None:
        try:
            start.wait()
            for i in range(5):
                EmployeeFactory(
                    username=f"w{n}-{i}", last_name=f"Werker{n}x{i}", job_title="Tuinier"
                )  # each save commits, and its on-commit drain races the others
                queue.drain()
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    queue.drain(blocking=True)
    viewer = Employee.objects.get(username="w0-0")
    found = query.search(viewer, SearchParams(q="tuinier"), per_page=50)
    assert found.count == 30
    assert IndexTask.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_background_writer_applies_updates_after_commit(organisation, settings):
    settings.SEARCH_INDEX_UPDATES = "background"
    try:
        viewer = EmployeeFactory(job_title="Archivaris")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and names(viewer, "archivaris") == []:
            time.sleep(0.05)
        assert names(viewer, "archivaris") == [str(viewer)]
    finally:
        queue.stop_writer()


@pytest.mark.django_db
def test_logging_in_does_not_reindex_the_colleague(client, alice):
    IndexTask.objects.all().delete()
    client.force_login(alice)  # saves last_login only
    assert IndexTask.objects.count() == 0
    alice.job_title = "Projectleider"
    alice.save(update_fields=["job_title"])
    assert IndexTask.objects.count() == 1


WRITER_SCRIPT = """
import django
django.setup()
from search import queue
from tests.factories import EmployeeFactory
from workplace.models import Department

department = Department.objects.get(code="BZ")
for i in range(8):
    EmployeeFactory(username=f"p{N}-{i}", personnel_number=f"9{N}{i:04d}",
                    department=department, job_title="Brandweerman")
    queue.drain()
"""


@pytest.mark.django_db(transaction=True)
def test_several_processes_write_to_one_index_without_losing_an_update(organisation, search_index):
    """Four processes save and drain at once, as four daphne workers would."""
    import os
    import subprocess
    import sys

    from tests.servers import ROOT, test_database_url

    env = {
        **os.environ,
        "DATABASE_URL": test_database_url(),
        "SEARCH_INDEX_DIR": str(search_index),
        "SEARCH_INDEX_UPDATES": "inline",
        "DJANGO_SETTINGS_MODULE": "workplace.settings",
    }
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER_SCRIPT.replace("{N}", str(n))],
            cwd=ROOT,
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(1, 5)
    ]
    errors = [process.communicate(timeout=120)[1] for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0, 0], errors
    assert not any("LockError" in error for error in errors)
    queue.drain(blocking=True)
    viewer = Employee.objects.get(username="p1-0")
    assert query.search(viewer, SearchParams(q="brandweerman"), per_page=50).count == 32
    assert IndexTask.objects.count() == 0
