"""Two colleagues chat live in two Chromium contexts on phones."""

from __future__ import annotations

import pytest

from messaging import actions
from tests.factories import EmployeeFactory
from tests.servers import log_in, off_loop

pytestmark = pytest.mark.browser

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
# The page's socket (workplace/live.js) is open and its openers have sent their frames.
SOCKET_OPEN = "html[data-socket=open]"
# The outbox belongs to the person logged in (finding 5 of issue 10).
OUTBOX = "JSON.parse(localStorage.getItem(`werkplek.${document.body.dataset.userId}.outbox`))"


@pytest.fixture
def alice(transactional_db):
    return off_loop(EmployeeFactory, username="alice", first_name="Alice", last_name="Claes")


@pytest.fixture
def bob(transactional_db):
    return off_loop(EmployeeFactory, username="bob", first_name="Bob", last_name="Peeters")


def test_two_colleagues_chat_live_and_see_it_read(live_daphne, phone, second_phone, alice, bob):
    chat, _ = off_loop(actions.get_or_create_direct, alice, bob)
    alice_page, bob_page = phone.new_page(), second_phone.new_page()
    errors = []
    for page in (alice_page, bob_page):
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(alice_page, live_daphne, "alice")
    log_in(bob_page, live_daphne, "bob")
    url = f"{live_daphne}{chat.get_absolute_url()}"
    bob_page.goto(url)
    bob_page.wait_for_function("document.querySelector('#chat') !== null")
    alice_page.goto(url)
    assert alice_page.evaluate(NO_HORIZONTAL_SCROLL)
    for page in (alice_page, bob_page):
        page.locator(SOCKET_OPEN).wait_for(state="attached")

    alice_page.fill("textarea[name=body]", "Ben je al op de werf?")
    alice_page.keyboard.press("Enter")

    bob_page.locator(".chat-message", has_text="Ben je al op de werf?").wait_for(timeout=5000)
    # Bob's page is open and visible: it reads, and Alice sees "gelezen".
    mine = alice_page.locator(".chat-message.mine", has_text="Ben je al op de werf?")
    mine.locator("[data-receipt]", has_text="gelezen").wait_for(timeout=5000)
    assert alice_page.url == url  # no page load: it went over the socket

    bob_page.fill("textarea[name=body]", "Ja, aan de Dampoort.")
    bob_page.click("#composer button[type=submit]")
    alice_page.locator(".chat-message", has_text="Ja, aan de Dampoort.").wait_for(timeout=5000)
    assert chat.messages.count() == 2
    assert not errors
    too_small = alice_page.evaluate(
        """() => [...document.querySelectorAll('main a, main button, main input, main textarea')]
              .filter(el => el.offsetParent !== null && el.type !== 'hidden')
              .map(el => [el.textContent.trim() || el.name, el.getBoundingClientRect().height])
              .filter(([, height]) => height < 44)"""
    )
    assert too_small == []


def test_the_typing_indicator_appears_for_the_other(live_daphne, phone, second_phone, alice, bob):
    chat, _ = off_loop(actions.get_or_create_direct, alice, bob)
    alice_page, bob_page = phone.new_page(), second_phone.new_page()
    log_in(alice_page, live_daphne, "alice")
    log_in(bob_page, live_daphne, "bob")
    url = f"{live_daphne}{chat.get_absolute_url()}"
    bob_page.goto(url)
    alice_page.goto(url)
    for page in (alice_page, bob_page):
        page.locator(SOCKET_OPEN).wait_for(state="attached")
    alice_page.type("textarea[name=body]", "Ik kom er")
    bob_page.locator("#typing", has_text="Alice typt…").wait_for(timeout=5000)


def test_a_message_typed_offline_waits_in_the_outbox_and_goes_when_back(
    live_daphne, phone, alice, bob
):
    chat, _ = off_loop(actions.get_or_create_direct, alice, bob)
    page = phone.new_page()
    log_in(page, live_daphne, "alice")
    page.goto(f"{live_daphne}{chat.get_absolute_url()}")
    page.locator(SOCKET_OPEN).wait_for(state="attached")
    # Lose the connection the hard way: close the socket and keep it from reconnecting.
    page.evaluate("window.WebSocket.prototype.send = function () {}")
    page.fill("textarea[name=body]", "Geen bereik in de kelder")
    page.keyboard.press("Enter")
    page.locator(".chat-message.pending", has_text="Geen bereik").wait_for()
    assert chat.messages.count() == 0
    outbox = page.evaluate(OUTBOX)
    assert [item["body"] for item in outbox] == ["Geen bereik in de kelder"]
    # Back in range (a fresh page load): the outbox is sent with the same client_id.
    page.reload()
    page.locator(".chat-message[data-id]", has_text="Geen bereik").first.wait_for(timeout=5000)
    assert chat.messages.count() == 1
    assert chat.messages.get().client_id == outbox[0]["client_id"]
    assert page.evaluate(OUTBOX) == []


def test_the_inbox_and_the_badge_count_a_new_message_live(
    live_daphne, phone, second_phone, alice, bob
):
    chat, _ = off_loop(actions.get_or_create_direct, alice, bob)
    off_loop(actions.send_message, alice, chat.pk, "Eerste bericht", "c-1")
    bob_page, alice_page = phone.new_page(), second_phone.new_page()
    log_in(bob_page, live_daphne, "bob")
    log_in(alice_page, live_daphne, "alice")
    bob_page.goto(f"{live_daphne}/berichten/")
    assert bob_page.locator("[data-badge=messages]").first.inner_text() == "1"
    alice_page.goto(f"{live_daphne}{chat.get_absolute_url()}")
    bob_page.locator(SOCKET_OPEN).wait_for(state="attached")
    alice_page.locator(SOCKET_OPEN).wait_for(state="attached")
    alice_page.fill("textarea[name=body]", "Tweede bericht")
    alice_page.keyboard.press("Enter")
    bob_page.locator("[data-unread]", has_text="2 ongelezen").wait_for(timeout=5000)
    bob_page.locator("[data-badge=messages]", has_text="2").first.wait_for(timeout=5000)


def test_the_badge_counts_a_new_message_live_on_any_page(
    live_daphne, phone, second_phone, alice, bob
):
    chat, _ = off_loop(actions.get_or_create_direct, alice, bob)
    bob_page, alice_page = phone.new_page(), second_phone.new_page()
    log_in(bob_page, live_daphne, "bob")  # bob stays on the start page: no messaging script there
    log_in(alice_page, live_daphne, "alice")
    badge = bob_page.locator(".mainnav [data-badge=messages]")
    assert badge.is_hidden()
    bob_page.wait_for_function("document.body.dataset.live === '1'")
    bob_page.locator(SOCKET_OPEN).wait_for(state="attached")
    alice_page.goto(f"{live_daphne}{chat.get_absolute_url()}")
    alice_page.fill("textarea[name=body]", "Ben je al op de werf?")
    alice_page.keyboard.press("Enter")
    badge.filter(has_text="1").wait_for(timeout=5000)
    assert bob_page.url == f"{live_daphne}/"
