"""The communication team's campaign, and a field worker meeting it, on a 360 px phone:
a real Chromium against a real daphne, axe-core on every page visited."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.accessibility import axe_violations
from tests.servers import log_in, off_loop

pytestmark = pytest.mark.browser

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
# What sticks out, when something does: named in the failure.
WIDE = """() => [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
    .slice(0, 8)
    .map(el => `${el.tagName}#${el.name || el.id} ${Math.round(el.offsetWidth)}`)"""
FIELD_WORKERS = ["bob", "bart", "bilal", "brecht", "bo", "babette"]


def make_world():
    """Lies of the communication team; six field workers in a parks team; an office worker."""
    from tests.factories import DepartmentFactory, EmployeeFactory
    from tests.kus.conftest import ensure_roles
    from workplace.roles import Role

    ensure_roles()  # transactional tests flush the role groups the migrations made
    green = DepartmentFactory(code="GRO", name="Groendienst", kind="departement")
    for username in FIELD_WORKERS:
        EmployeeFactory(username=username, department=green, is_field_worker=True, email="")
    EmployeeFactory(username="olga", department=green)
    office = DepartmentFactory(code="COM", name="Communicatie", kind="departement")
    EmployeeFactory(
        username="lies", first_name="Lies", department=office, roles=[Role.COMMUNICATION]
    )


def looks_right(page, path: str) -> None:
    """Every page a browser test visits: fits the phone, and axe finds nothing."""
    assert page.evaluate(NO_HORIZONTAL_SCROLL), (path, page.evaluate(WIDE))
    assert axe_violations(page) == [], path


def local(moment) -> str:
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_the_communication_team_plans_a_campaign_and_its_first_item_on_a_phone(live_daphne, phone):
    from django.utils import timezone

    off_loop(make_world)
    page = phone.new_page()
    log_in(page, live_daphne, "lies")
    today = timezone.localdate()

    page.goto(f"{live_daphne}/campagnes/nieuw/")
    looks_right(page, "new campaign")
    page.fill("input[name=campaign-title]", "Fier op ons werk")
    page.fill("textarea[name=campaign-goal]", "Laten zien wat de groenploegen elke dag doen.")
    page.select_option("select[name=campaign-theme]", "fierheid")
    page.fill("input[name=campaign-starts]", str(today))
    page.fill("input[name=campaign-ends]", str(today + timedelta(days=28)))
    # Start after its end: a clear Dutch error, nothing saved.
    page.fill("input[name=campaign-ends]", str(today - timedelta(days=1)))
    page.check("input[name=audience-all_staff]")
    page.select_option("select[name=audience-worker_kind]", "field")
    page.click("main form button[type=submit]")
    assert "kan niet eindigen voor ze begint" in page.locator("#main").inner_text()
    looks_right(page, "campaign form with an error")
    page.fill("input[name=campaign-ends]", str(today + timedelta(days=28)))
    page.click("main form button[type=submit]")
    page.wait_for_selector("h1:has-text('Fier op ons werk')")
    campaign_url = page.url
    looks_right(page, "campaign page")

    page.goto(f"{live_daphne}/aankondigingen/nieuw/")
    looks_right(page, "new announcement")
    page.fill("input[name=item-title]", "Nieuwe werkkledij ligt klaar")
    page.fill("textarea[name=item-body]", "Haal ze **deze week** op in het depot.")
    page.select_option("select[name=item-campaign]", label="Fier op ons werk")
    page.fill("input[name=item-publish_at]", local(timezone.now() + timedelta(hours=2)))
    page.fill("input[name=item-pinned_until]", local(timezone.now() + timedelta(days=3)))
    page.check("input[name=item-requires_ack]")
    page.check("input[name=item-audience_choice][value=campaign]")
    page.click("main form button[type=submit]")
    page.wait_for_selector("h1:has-text('Nieuwe werkkledij ligt klaar')")
    item_url = page.url
    editor_box = page.locator(".editor-box").inner_text()
    assert "nobody" not in editor_box  # in Dutch
    assert "6 mensen" in editor_box  # the campaign's audience: the six field workers
    looks_right(page, "scheduled announcement")

    page.goto(f"{live_daphne}/campagnes/kalender/")
    assert "Nieuwe werkkledij ligt klaar" in page.locator("#main").inner_text()
    looks_right(page, "calendar")

    page.goto(f"{item_url}affiche/")
    assert page.locator(".poster-qr svg").count() == 1
    assert page.locator(".poster-url").inner_text() == f"{item_url}?via=poster"
    looks_right(page, "poster")

    page.goto(item_url)
    page.click("button:has-text('Nu publiceren')")
    page.wait_for_selector(".editor-box a:has-text('Bereik')")
    page.goto(campaign_url)
    assert "Nieuwe werkkledij ligt klaar" in page.locator("#main").inner_text()


def test_a_field_worker_sees_reads_and_confirms_and_the_team_sees_the_counts(live_daphne, phone):
    from django.utils import timezone

    from campaigns.models import Announcement, Stage

    def publish():
        from campaigns import actions
        from kus.text import render_markdown
        from workplace.models import Audience, Employee

        make_world()
        audience = Audience.objects.create(all_staff=True, worker_kind="field")
        body = "Haal ze **deze week** op in het depot."
        item = Announcement.objects.create(
            title="Nieuwe werkkledij ligt klaar",
            body=body,
            body_html=render_markdown(body),
            author=Employee.objects.get(username="lies"),
            audience=audience,
            publish_at=timezone.now(),
            pinned_until=timezone.now() + timedelta(days=3),
            requires_ack=True,
        )
        actions.do_publish(item)
        return item

    item = off_loop(publish)
    page = phone.new_page()

    def reports_it_seen(response) -> bool:
        path = f"/aankondigingen/{item.pk}/gezien/"
        return response.request.method == "POST" and response.url.endswith(path)

    # A second on screen is "seen": the page's script tells the server without a tap.
    with page.expect_response(reports_it_seen, timeout=15_000) as report:
        log_in(page, live_daphne, "bob")
        pinned = page.locator("#main a", has_text="Nieuwe werkkledij ligt klaar").first
        pinned.wait_for()
        looks_right(page, "start page")
    assert report.value.ok

    def counted(stage) -> int:
        from campaigns import reach, report

        figures = report.totals(reach.reaches_of(item)[0])
        return {Stage.SEEN: figures.seen, Stage.ACKNOWLEDGED: figures.acknowledged}[stage]

    assert off_loop(counted, Stage.SEEN) == 1

    pinned.click()
    page.wait_for_url(f"{live_daphne}{item.get_absolute_url()}*")
    assert page.locator(".editor-box").count() == 0
    looks_right(page, "announcement")
    button = page.locator("main form button", has_text="Gelezen")
    assert button.bounding_box()["height"] >= 44
    button.click()
    page.wait_for_selector(".message-success")
    looks_right(page, "announcement, confirmed")
    assert off_loop(counted, Stage.ACKNOWLEDGED) >= 1

    # The team's view: counts of people, never names.
    phone.clear_cookies()
    log_in(page, live_daphne, "lies")
    page.goto(f"{live_daphne}{item.get_absolute_url()}bereik/")
    totals = page.locator(".reach-totals").inner_text()
    assert "6" in totals
    assert "bob" not in page.locator("#main").inner_text().lower()
    looks_right(page, "reach")
