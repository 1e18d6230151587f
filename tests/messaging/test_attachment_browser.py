"""Finding 1 in a real browser: a colleague opens the attachments and no script runs."""

from __future__ import annotations

import uuid
from contextlib import suppress
from urllib.parse import urlparse

import pytest
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from messaging import actions
from tests.factories import EmployeeFactory
from tests.servers import log_in, off_loop, run_daphne
from tests.uploads import (
    LIB_MJS,
    kaart_svg,
    polyglot_gif,
    rooster_htm,
    stored_before_the_fix,
    upload,
)

pytestmark = pytest.mark.browser


def plant_the_attack():
    """Mallory's files as the old code let her store them, and one sent today."""
    alice = EmployeeFactory(username="alice", first_name="Alice", last_name="Claes")
    mallory = EmployeeFactory(username="mallory", first_name="Mal", last_name="Lory")
    chat, _created = actions.get_or_create_direct(mallory, alice)
    script = stored_before_the_fix(chat, mallory, "lib.mjs", LIB_MJS, is_image=False)
    script_url = reverse("messaging:attachment", args=[script.pk])
    pages = [
        stored_before_the_fix(chat, mallory, "rooster.htm", rooster_htm(script_url), is_image=True),
        stored_before_the_fix(chat, mallory, "kaart.svg", kaart_svg(script_url), is_image=True),
    ]
    polyglot, _created = actions.send_message(
        mallory, chat.pk, "kaart", uuid.uuid4().hex, attachment=upload("kaart.gif", polyglot_gif())
    )
    page_urls = [reverse("messaging:attachment", args=[m.pk]) for m in pages]
    return chat, script_url, page_urls, polyglot


def test_opening_malicious_attachments_runs_no_script(transactional_db, chromium, tmp_path):
    chat, script_url, page_urls, polyglot = off_loop(plant_the_attack)
    # The server must see the files this test stored: the same data directory.
    with run_daphne(extra_env={"WERKPLEK_DATA_DIR": str(tmp_path)}) as base_url:
        context = chromium.new_context(accept_downloads=True, locale="nl-BE")
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        log_in(page, base_url, "alice")
        page.goto("about:blank")  # the start page's own requests (its badges) end here
        requests.clear()

        downloads = []
        for url in page_urls:
            # Playwright ends the navigation with "Download is starting": that is the point.
            with page.expect_download(timeout=5000) as download, suppress(PlaywrightError):
                page.goto(f"{base_url}{url}")
            downloads.append(download.value.suggested_filename)
        assert downloads == ["rooster.htm", "kaart.svg"]

        # A re-encoded image opens inline, as an image, and carries nothing else.
        page.goto(f"{base_url}{reverse('messaging:attachment', args=[polyglot.pk])}")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__pwned === undefined")
        assert page.evaluate("document.contentType") == "image/png"

        # Opening them loaded no script and read nothing: no API call, no theft.
        fetched = {urlparse(url).path for url in requests}
        assert script_url not in fetched
        assert not [path for path in fetched if path.startswith(("/api/", "/gestolen/"))]
        page.goto(f"{base_url}{chat.get_absolute_url()}")
        page.locator("html[data-socket=open]").wait_for(state="attached")  # its scripts ran
        assert page.evaluate("window.__pwned === undefined")
        assert not [url for url in requests if "/gestolen/" in url]
        context.close()
