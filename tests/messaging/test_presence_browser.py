"""Two phones: each side of a direct conversation sees the other come online, live."""

from __future__ import annotations

import pytest

from messaging import actions
from tests.accessibility import serious_axe_violations
from tests.factories import EmployeeFactory
from tests.servers import log_in, off_loop

pytestmark = pytest.mark.browser

SOCKET_OPEN = "() => document.body.dataset.messagingSocket === 'open'"


def test_both_sides_see_each_other_online_in_the_header_and_the_list(
    live_daphne, phone, second_phone
):
    alice = off_loop(EmployeeFactory, username="alice", first_name="Alice", last_name="Claes")
    bob = off_loop(EmployeeFactory, username="bob", first_name="Bob", last_name="Peeters")
    chat, _ = off_loop(actions.get_or_create_direct, alice, bob)
    alice_page, bob_page = phone.new_page(), second_phone.new_page()
    log_in(alice_page, live_daphne, "alice")
    alice_page.goto(f"{live_daphne}{chat.get_absolute_url()}")
    alice_page.wait_for_function(SOCKET_OPEN)
    about_bob = alice_page.locator(f'.chat-head [data-presence="{bob.pk}"]')
    assert about_bob.text_content() == "niet online"  # in words, not only a grey dot
    assert serious_axe_violations(alice_page) == []

    log_in(bob_page, live_daphne, "bob")
    bob_page.goto(f"{live_daphne}/berichten/")
    about_alice = bob_page.locator(f'#inbox [data-presence="{alice.pk}"]')
    assert about_alice.text_content() == "online"
    assert about_alice.get_attribute("data-online") == "1"
    assert serious_axe_violations(bob_page) == []

    # Bob's list page told the server he is here: Alice's header says so, without a reload.
    alice_page.locator(f'.chat-head [data-presence="{bob.pk}"][data-online="1"]').wait_for(
        timeout=5000
    )
    assert about_bob.text_content() == "online"

    bob_page.goto(f"{live_daphne}{chat.get_absolute_url()}")
    header = bob_page.locator(f'.chat-head [data-presence="{alice.pk}"]')
    assert header.text_content() == "online"
    assert serious_axe_violations(bob_page) == []

    # And Alice's list shows Bob online too.
    alice_page.goto(f"{live_daphne}/berichten/")
    assert alice_page.locator(f'#inbox [data-presence="{bob.pk}"]').text_content() == "online"
    assert serious_axe_violations(alice_page) == []
