"""A moment reads the same whether the server or a script wrote it on the page, and in
Ghent's time whatever the device's time zone."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from notifications.models import Notification, NotificationKind
from tests.accessibility import serious_axe_violations
from tests.browser.pages import make_world
from tests.servers import log_in, off_loop

pytestmark = pytest.mark.browser

SAID_BY_SCRIPT = """() => [...document.querySelectorAll('time[data-moment]')].map(el => {
  const said = window.Werkplek.moment(el.dateTime);
  return [el.textContent, said.text, el.title, said.title];
})"""


def notifications_at(alice, ages: list[datetime.timedelta]) -> None:
    now = timezone.now()
    for age in ages:
        Notification.objects.create(
            recipient=alice,
            kind=NotificationKind.MENTION,
            title=f"Bob noemde je ({age})",
            url="/",
            created=now - age,
            updated=now - age,
        )


@pytest.fixture
def far_away(chromium):
    """A phone set to another time zone: the times on the page are still Ghent's."""
    context = chromium.new_context(
        viewport={"width": 360, "height": 740}, locale="nl-BE", timezone_id="America/New_York"
    )
    yield context
    context.close()


def test_the_script_says_every_moment_as_the_server_does(live_daphne, far_away):
    world = make_world()
    ages = [
        datetime.timedelta(minutes=5),
        datetime.timedelta(hours=3),
        datetime.timedelta(days=1),
        datetime.timedelta(days=40),
        datetime.timedelta(days=400),
    ]
    off_loop(notifications_at, world.alice, ages)
    page = far_away.new_page()
    log_in(page, live_daphne, world.alice.username)
    page.goto(f"{live_daphne}/meldingen/")
    said = page.evaluate(SAID_BY_SCRIPT)
    assert len(said) >= len(ages)
    for server_text, script_text, server_title, script_title in said:
        assert script_text == server_text
        assert script_title == server_title
    assert "5 min geleden" in [text for text, *_ in said]
    assert serious_axe_violations(page) == []


def test_a_message_sent_live_shows_the_time_the_page_shows_after_a_reload(live_daphne, far_away):
    world = make_world()
    page = far_away.new_page()
    log_in(page, live_daphne, world.alice.username)
    page.goto(f"{live_daphne}{world.group.get_absolute_url()}")
    page.fill("textarea[name=body]", "Ik ben er om acht uur.")
    page.keyboard.press("Enter")
    sent = page.locator(".chat-message:not(.pending)", has_text="Ik ben er om acht uur.")
    sent.wait_for()
    live = sent.locator("time").evaluate("el => [el.textContent, el.title]")
    page.reload()
    served = page.locator(".chat-message", has_text="Ik ben er om acht uur.").locator("time")
    assert served.evaluate("el => [el.textContent, el.title]") == live
    assert live[0] == "zojuist"
    assert serious_axe_violations(page) == []
