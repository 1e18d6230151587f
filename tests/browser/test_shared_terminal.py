"""Two workers, one shared terminal: nothing of the first reaches or stays for the second."""

from __future__ import annotations

import pytest
from django.core import signing

from messaging import actions
from messaging.models import Message
from tests.factories import EmployeeFactory
from tests.servers import log_in, off_loop, run_daphne
from workplace.models import Terminal
from workplace.terminals import COOKIE_NAME, COOKIE_SALT

pytestmark = pytest.mark.browser
IDLE = 6  # TERMINAL_IDLE_SECONDS of the daphne these tests start
# The page's socket (workplace/live.js) is open and its openers have sent their frames.
SOCKET_OPEN = "html[data-socket=open]"


@pytest.fixture
def alice(transactional_db):
    return off_loop(EmployeeFactory, username="alice", first_name="Alice", last_name="Claes")


@pytest.fixture
def bob(transactional_db):
    return off_loop(EmployeeFactory, username="bob", first_name="Bob", last_name="Peeters")


@pytest.fixture
def terminal_daphne(transactional_db):
    with run_daphne({"TERMINAL_IDLE_SECONDS": str(IDLE)}) as base_url:
        yield base_url


def make_terminal(context, base_url: str) -> None:
    """This browser context becomes a registered shared terminal (its signed cookie)."""
    terminal = off_loop(Terminal.objects.create, name="Werkplaats Driepikkel 1")
    value = signing.get_cookie_signer(salt=COOKIE_NAME + COOKIE_SALT).sign(str(terminal.token))
    context.add_cookies([{"name": COOKIE_NAME, "value": value, "url": base_url}])


def queue_a_message_offline(page, base_url: str, chat, text: str) -> None:
    page.goto(f"{base_url}{chat.get_absolute_url()}")
    page.locator(SOCKET_OPEN).wait_for(state="attached")
    page.evaluate("window.WebSocket.prototype.send = function () {}")  # no network, say
    page.fill("textarea[name=body]", text)
    page.keyboard.press("Enter")
    page.locator(".chat-message.pending", has_text=text).wait_for()
    stored = page.evaluate("JSON.stringify(Object.assign({}, localStorage))")
    assert text in stored  # waiting in the outbox


def stored_text(page) -> str:
    return page.evaluate(
        "JSON.stringify([Object.assign({}, localStorage), Object.assign({}, sessionStorage)])"
    )


def wait_for_the_login_page(page, base_url: str) -> None:
    # Generous: the idle timer, the logout with Clear-Site-Data (Chromium empties its
    # cache first) and the redirect share two busy CI cores with the other servers.
    page.wait_for_url(
        f"{base_url}/accounts/login/", timeout=(IDLE + 24) * 1000, wait_until="domcontentloaded"
    )


def shows_pin_login(page) -> bool:
    return page.locator("input[name=pin]").count() == 1


@pytest.mark.parametrize("leaving", ["logout button", "idle logout"])
def test_an_unsent_message_is_never_sent_under_the_next_workers_name(
    terminal_daphne, chromium, alice, bob, leaving
):
    context = chromium.new_context(viewport={"width": 1024, "height": 768}, locale="nl-BE")
    make_terminal(context, terminal_daphne)
    chat, _ = off_loop(actions.get_or_create_direct, alice, bob)
    page = context.new_page()
    statuses = []
    page.on("response", lambda response: statuses.append(response.status))
    log_in(page, terminal_daphne, "alice")
    secret = "Privé voor Bob: de code van de kluis is 4711"
    queue_a_message_offline(page, terminal_daphne, chat, secret)

    if leaving == "logout button":
        page.click(".logout-form button")
    wait_for_the_login_page(page, terminal_daphne)
    assert shows_pin_login(page)
    assert secret not in stored_text(page)

    log_in(page, terminal_daphne, "bob")
    page.goto(f"{terminal_daphne}/berichten/")
    page.goto(f"{terminal_daphne}{chat.get_absolute_url()}")
    # An outbox would go out as the socket opens; Bob's own message after it, on the
    # same socket, comes back acknowledged only once the server handled what came before.
    page.locator(SOCKET_OPEN).wait_for(state="attached")
    page.fill("textarea[name=body]", "Hallo Alice")
    page.keyboard.press("Enter")
    page.locator(".chat-message[data-id]", has_text="Hallo Alice").wait_for()
    sent = off_loop(lambda: list(Message.objects.values_list("sender__username", "body")))
    assert sent == [("bob", "Hallo Alice")]
    assert page.locator(".chat-message", has_text=secret).count() == 0
    assert secret not in stored_text(page)
    assert 400 not in statuses
    context.close()


def test_a_logout_response_tells_the_browser_to_forget_storage_and_cache(live_daphne, phone, alice):
    page = phone.new_page()
    log_in(page, live_daphne, "alice")
    with page.expect_response(lambda response: response.request.method == "POST") as logout:
        page.click(".logout-form button")
    assert logout.value.all_headers()["clear-site-data"] == '"cache", "storage"'


def test_without_javascript_a_private_chat_leaves_the_terminal_screen_after_the_idle_time(
    terminal_daphne, chromium, alice, bob
):
    chat, _ = off_loop(actions.get_or_create_direct, alice, bob)
    off_loop(
        actions.send_message, bob, chat.pk, "Alleen voor Alice: je loonbrief klopt niet", "c-1"
    )
    context = chromium.new_context(java_script_enabled=False, locale="nl-BE")
    make_terminal(context, terminal_daphne)
    page = context.new_page()
    log_in(page, terminal_daphne, "alice")
    page.goto(f"{terminal_daphne}{chat.get_absolute_url()}")
    assert page.locator(".chat-message", has_text="loonbrief").count() == 1
    wait_for_the_login_page(page, terminal_daphne)
    assert shows_pin_login(page)
    assert "loonbrief" not in page.content()
    page.go_back()  # and not one step back either
    assert "loonbrief" not in page.content()
    context.close()


def test_a_worker_who_keeps_tapping_stays_logged_in_and_the_countdown_ends_it_after(
    terminal_daphne, chromium, alice, bob
):
    chat, _ = off_loop(actions.get_or_create_direct, alice, bob)
    context = chromium.new_context(locale="nl-BE")
    make_terminal(context, terminal_daphne)
    page = context.new_page()
    closed = []
    page.on("websocket", lambda socket: socket.on("close", lambda _s: closed.append(True)))
    log_in(page, terminal_daphne, "alice")
    page.goto(f"{terminal_daphne}{chat.get_absolute_url()}")
    # Typing over the socket for twice the idle time: no page load, and yet in use.
    for _second in range(2 * IDLE):
        page.keyboard.press("Shift")
        # A second of the worker's time, on the page's own clock.
        second_later = page.evaluate("performance.now()") + 1000
        page.wait_for_function("(at) => performance.now() >= at", arg=second_later)
    assert page.url == f"{terminal_daphne}{chat.get_absolute_url()}"
    assert closed == []  # the server did not count the session idle meanwhile
    page.locator(".idle-countdown", has_text="s)").wait_for(timeout=IDLE * 1000)
    wait_for_the_login_page(page, terminal_daphne)
    assert shows_pin_login(page)
    assert "niet gebruikt" in page.content()
    context.close()
