"""A photo arrives in a chat on a phone as a picture, both on reload and live."""

from __future__ import annotations

import pytest

from messaging import actions
from tests.accessibility import serious_axe_violations
from tests.factories import EmployeeFactory
from tests.servers import log_in, off_loop
from tests.uploads import photo_with_gps

pytestmark = pytest.mark.browser

SOCKET_OPEN = "() => document.body.dataset.messagingSocket === 'open'"
# Loaded and decoded: a broken image would have a natural width of 0.
PHOTO_LOADED = (
    "() => [...document.querySelectorAll('.chat-photo img')]"
    ".every(i => i.complete && i.naturalWidth > 0)"
)


def test_a_photo_shows_as_an_image_for_the_sender_and_live_for_the_other(
    live_daphne, phone, second_phone, tmp_path
):
    alice = off_loop(EmployeeFactory, username="alice", first_name="Alice", last_name="Claes")
    bob = off_loop(EmployeeFactory, username="bob", first_name="Bob", last_name="Peeters")
    chat, _ = off_loop(actions.get_or_create_direct, alice, bob)
    photo = tmp_path / "werf.jpg"
    photo.write_bytes(photo_with_gps(size=(800, 600)))
    alice_page, bob_page = phone.new_page(), second_phone.new_page()
    log_in(alice_page, live_daphne, "alice")
    log_in(bob_page, live_daphne, "bob")
    url = f"{live_daphne}{chat.get_absolute_url()}"
    bob_page.goto(url)
    bob_page.wait_for_function(SOCKET_OPEN)

    alice_page.goto(url)
    alice_page.click("details.attach summary")
    alice_page.set_input_files("input[type=file]", str(photo))
    alice_page.fill("textarea[name=body]", "De werf vanochtend")
    alice_page.click("#composer button[type=submit]")
    alice_page.wait_for_load_state()

    for page in (alice_page, bob_page):  # rendered by the server, and by the script
        image = page.locator(".chat-attachment a.chat-photo img")
        image.wait_for(timeout=5000)
        image.scroll_into_view_if_needed()
        page.wait_for_function(PHOTO_LOADED)
        assert image.get_attribute("alt") == "Foto van Alice Claes"
        assert image.get_attribute("loading") == "lazy"
        assert (image.get_attribute("width"), image.get_attribute("height")) == ("800", "600")
        box = image.bounding_box()
        assert box is not None and box["width"] <= 240  # a thumbnail, in proportion
        assert abs(box["height"] - box["width"] * 600 / 800) < 2
        # The small copy shows; a tap opens the whole photo.
        assert image.get_attribute("src").endswith("/klein/")
        assert 0 < image.evaluate("i => i.naturalWidth") <= 480
        link = page.locator(".chat-photo")
        assert image.get_attribute("src") == link.get_attribute("href") + "klein/"
        assert page.locator(".chat-attachment", has_text="werf.jpg").count() == 0
        assert serious_axe_violations(page) == []
