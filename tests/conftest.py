from __future__ import annotations

import pytest

from tests.factories import DepartmentFactory, EmployeeFactory


@pytest.fixture(autouse=True)
def _media_and_index_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_request_limits(monkeypatch):
    # A key space of its own per test, rather than clearing a cache other test runs share.
    import uuid

    from workplace import ratelimit

    monkeypatch.setattr(ratelimit, "KEY_PREFIX", f"werkplek:rate:{uuid.uuid4().hex}")


@pytest.fixture(scope="session", autouse=True)
def realtime_recording():
    """Every real-time payload of the run, checked against its schema (tests/recording.py)."""
    from tests.recording import Recorder

    recorder = Recorder()
    recorder.install()
    yield recorder
    recorder.uninstall()


@pytest.fixture(autouse=True)
def _realtime_payloads_fit_their_schemas(realtime_recording):
    realtime_recording.take_problems()  # what a previous test left in flight is not this one's
    yield
    if problems := realtime_recording.take_problems():
        pytest.fail("Real-time payloads that do not fit their schemas:\n" + "\n".join(problems))


@pytest.fixture
def client():
    """pytest-django's client, logging in through axes like the login form does."""
    from tests.auth import WerkplekClient

    return WerkplekClient()


@pytest.fixture
def admin_client(db, admin_user):
    """pytest-django's admin client, with the second factor every administrator gives."""
    from tests.auth import WerkplekClient, verified_login

    client = WerkplekClient()
    verified_login(client, admin_user)
    return client


@pytest.fixture
def organisation(db):
    """A small city: Facility with a team below it, and Burgerzaken beside it."""
    facility = DepartmentFactory(code="FM", name="Facility Management", kind="departement")
    buildings = DepartmentFactory(code="FM-GEB", name="Dienst Gebouwen", parent=facility)
    team = DepartmentFactory(
        code="FM-ON", name="Team Onderhoud Noord", parent=buildings, kind="team"
    )
    civil = DepartmentFactory(code="BZ", name="Burgerzaken", kind="departement")
    return {"facility": facility, "buildings": buildings, "team": team, "civil": civil}


@pytest.fixture
def alice(organisation):
    """An office worker in the Facility service."""
    return EmployeeFactory(
        username="alice",
        first_name="Alice",
        last_name="Claes",
        department=organisation["buildings"],
        job_title="Projectleider gebouwen",
    )


@pytest.fixture
def bob(organisation):
    """A field worker in the maintenance team below Alice's service, without e-mail."""
    return EmployeeFactory(
        username="bob",
        first_name="Bob",
        last_name="Peeters",
        department=organisation["team"],
        job_title="Elektricien",
        is_field_worker=True,
        email="",
    )


@pytest.fixture
def carol(organisation):
    """An office worker in another department altogether."""
    return EmployeeFactory(
        username="carol",
        first_name="Carol",
        last_name="Maes",
        department=organisation["civil"],
        job_title="Loketmedewerker",
    )


# --- end to end: a real daphne, a real browser ------------------------------------


@pytest.fixture
def live_daphne(transactional_db):
    from tests.servers import run_daphne

    with run_daphne() as base_url:
        yield base_url


@pytest.fixture(scope="session")
def _chromium_session():
    import os
    from pathlib import Path

    from tests.servers import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required in CI but {CHROMIUM} is missing")
        pytest.skip(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    # Playwright's sync API runs an event loop in this thread; Django's ORM in the
    # test code is still used synchronously, one step at a time.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def axe_audit(request):
    """axe-core on every page the test's browser visits (tests/accessibility.py); the test
    fails at teardown with each page's serious or critical violations."""
    from tests.accessibility import Audit

    marker = request.node.get_closest_marker("axe")
    audit = Audit(exclude=list(marker.kwargs.get("exclude", [])) if marker else [])
    yield audit
    if audit.found or audit.unfinished:
        pytest.fail("axe-core found serious or critical violations:\n" + audit.report())


@pytest.fixture
def chromium(_chromium_session, axe_audit):
    """The session's Chromium, with every page it opens for this test audited by axe."""
    from tests.accessibility import AuditedBrowser

    browser = AuditedBrowser(_chromium_session, axe_audit)
    yield browser
    browser.close_contexts()


@pytest.fixture
def phone(chromium):
    """A fresh browser context the size of a small phone (360 x 740)."""
    context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="nl-BE")
    yield context
    context.close()


@pytest.fixture
def search_index(settings, tmp_path):
    """A Whoosh index of the test's own, updated in the saving thread (and read by a
    daphne the test starts)."""
    import threading

    from haystack import connections

    from search import whoosh_engine

    settings.SEARCH_INDEX_UPDATES = "inline"
    saved = connections.connections_info
    options = {"ENGINE": "search.backend.WerkplekWhooshEngine", "PATH": str(tmp_path / "ix")}
    settings.HAYSTACK_CONNECTIONS = connections.connections_info = {"default": options}
    # Haystack keeps one backend per thread: forget them all.
    connections.thread_local = threading.local()
    whoosh_engine.reset()
    yield tmp_path / "ix"
    whoosh_engine.reset()
    connections.connections_info = saved
    connections.thread_local = threading.local()
