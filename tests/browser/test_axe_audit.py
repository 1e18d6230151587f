"""The automatic axe-core audit of browser tests: it fails a page with a known violation,
passes a clean one, and never holds up a page that navigates while axe runs."""

from __future__ import annotations

import pytest

from tests.accessibility import Audit, AuditedBrowser
from tests.factories import EmployeeFactory
from tests.servers import log_in, off_loop

pytestmark = pytest.mark.browser

SITE = "http://audit.test"
CLEAN = """<!doctype html><html lang="nl-BE"><head><title>Proper</title></head>
<body><main><h1>Alles in orde</h1><p>Een gewone pagina.</p>
<a href="/second">Verder</a></main></body></html>"""
# An image without a text alternative: axe's image-alt rule, critical.
BROKEN = """<!doctype html><html lang="nl-BE"><head><title>Broken</title></head>
<body><main><h1>Kapot</h1><div class="hostile"><img src="/x.png"></div></main></body></html>"""
# Navigates again as soon as it has loaded, a few times over (the tapping worker).
RESTLESS = """<!doctype html><html lang="nl-BE"><head><title>Restless</title>
<script>
  const round = Number(location.hash.slice(1) || 0);
  window.addEventListener("load", () => {
    if (round < 8) { location.hash = String(round + 1); location.reload(); }
    else document.body.dataset.done = "true";
  });
</script></head><body><main><h1>Onrustig</h1><img src="/x.png"></main></body></html>"""


def serve(context, pages: dict[str, str]) -> None:
    def answer(route):
        path = route.request.url.removeprefix(SITE).split("#")[0]
        if path in pages:
            route.fulfill(body=pages[path], content_type="text/html; charset=utf-8")
        else:
            route.fulfill(status=404, body="")

    context.route(f"{SITE}/**", answer)


def visit(_chromium_session, pages: dict[str, str], path: str, audit: Audit | None = None):
    audit = audit or Audit()
    browser = AuditedBrowser(_chromium_session, audit)
    context = browser.new_context(viewport={"width": 360, "height": 740})
    serve(context, pages)
    page = context.new_page()
    page.goto(f"{SITE}{path}")
    return audit, browser, page


def test_the_audit_fails_a_page_with_a_missing_text_alternative(_chromium_session):
    audit, browser, _page = visit(_chromium_session, {"/": BROKEN}, "/")
    browser.close_contexts()
    assert list(audit.found) == [f"{SITE}/"]
    assert any(line.startswith("image-alt (critical)") for line in audit.found[f"{SITE}/"])
    assert "image-alt (critical)" in audit.report()


def test_the_audit_passes_clean_pages_and_checks_each_one_it_visits(_chromium_session):
    audit, browser, page = visit(_chromium_session, {"/": CLEAN, "/second": BROKEN}, "/")
    page.get_by_role("link", name="Verder").click()
    page.wait_for_url(f"{SITE}/second")
    browser.close_contexts()
    assert list(audit.found) == [f"{SITE}/second"]  # the clean first page passed


def test_the_audit_checks_the_final_state_a_script_leaves(_chromium_session):
    audit, browser, page = visit(_chromium_session, {"/": CLEAN}, "/")
    page.evaluate("() => document.querySelector('main').append(document.createElement('img'))")
    browser.close_contexts()
    assert any("image-alt" in line for line in audit.found[f"{SITE}/"])


def test_a_fragment_without_a_doctype_is_left_to_the_page_it_goes_into(_chromium_session):
    fragment = '<li class="stream-item"><a href="/p/1">Nieuw bericht</a></li>'
    audit, browser, _page = visit(_chromium_session, {"/nieuw/": fragment}, "/nieuw/")
    browser.close_contexts()
    assert audit.found == {}


def test_excluded_parts_are_not_judged(_chromium_session):
    audit = Audit(exclude=[".hostile"])
    audit, browser, _page = visit(_chromium_session, {"/": BROKEN}, "/", audit)
    browser.close_contexts()
    assert audit.found == {}


def test_a_page_that_navigates_while_axe_runs_is_not_held_up(_chromium_session):
    audit, browser, page = visit(_chromium_session, {"/": RESTLESS}, "/")
    page.locator("body[data-done=true]").wait_for(timeout=20_000)
    browser.close_contexts()
    assert any("image-alt" in line for line in audit.found[f"{SITE}/#8"])


def test_the_chromium_fixture_audits_a_tests_pages(chromium, axe_audit):
    page = chromium.new_page()
    serve(page.context, {"/": CLEAN})
    page.goto(f"{SITE}/")
    page.context.close()
    assert axe_audit.checked == {f"{SITE}/"}
    assert axe_audit.found == {} and not axe_audit.unfinished


def test_a_page_without_javascript_is_judged_too(_chromium_session):
    audit = Audit()
    browser = AuditedBrowser(_chromium_session, audit)
    context = browser.new_context(java_script_enabled=False)
    serve(context, {"/": BROKEN})
    context.new_page().goto(f"{SITE}/")
    browser.close_contexts()
    assert any("image-alt" in line for line in audit.found[f"{SITE}/"])


def test_the_audit_judges_werkplek_s_own_pages_under_their_csp(live_daphne, chromium, axe_audit):
    off_loop(EmployeeFactory, username="alice", first_name="Alice", last_name="Claes")
    context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="nl-BE")
    log_in(context.new_page(), live_daphne, "alice")
    context.close()
    assert {f"{live_daphne}/accounts/login/", f"{live_daphne}/"} <= axe_audit.checked
