"""Two phones: when Bob closes his last page, Alice sees him go away, live."""

from __future__ import annotations

import pytest

from messaging import actions
from tests.factories import EmployeeFactory
from tests.servers import log_in, off_loop

pytestmark = pytest.mark.browser

SOCKET_OPEN = "() => document.body.dataset.messagingSocket === 'open'"


def test_when_bob_closes_his_page_alice_sees_him_go_away_without_a_reload(
    live_daphne, phone, second_phone
):
    alice = off_loop(EmployeeFactory, username="alice", first_name="Alice", last_name="Claes")
    bob = off_loop(EmployeeFactory, username="bob", first_name="Bob", last_name="Peeters")
    chat, _ = off_loop(actions.get_or_create_direct, alice, bob)
    alice_page, bob_page = phone.new_page(), second_phone.new_page()
    log_in(bob_page, live_daphne, "bob")
    bob_page.goto(f"{live_daphne}/berichten/")
    bob_page.wait_for_function(SOCKET_OPEN)
    log_in(alice_page, live_daphne, "alice")
    alice_page.goto(f"{live_daphne}{chat.get_absolute_url()}")
    about_bob = alice_page.locator(f'.chat-head [data-presence="{bob.pk}"]')
    assert about_bob.text_content() == "online"

    bob_page.close()  # his last page: a moment later Alice hears he went away
    alice_page.locator(f'.chat-head [data-presence="{bob.pk}"][data-online="0"]').wait_for(
        timeout=10000
    )
    assert about_bob.text_content() == "laatst gezien zojuist"
    assert about_bob.locator("time[data-moment]").count() == 1  # kept true as minutes pass
