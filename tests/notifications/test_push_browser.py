"""Web Push end to end in a real Chromium on a 360 px phone, against a real daphne.

Headless Chromium has no push service of its own (``pushManager.subscribe`` is
refused there, and the sandbox reaches no FCM), so the page's ``PushManager``
hands out a subscription on the loopback push service (``tests/push_service.py``)
with keys the test holds. Everything else is real: the permission asked on the
tap, the service worker registered at /sw.js, the subscription POSTed with the
page's CSRF token, the server encrypting and signing a message to the push
service, and the worker showing it — the test decrypts what the push service
received and delivers it to the worker through the DevTools protocol
(``ServiceWorker.deliverPushMessage``), as the push service would.
"""

from __future__ import annotations

import json
import time

import pytest

from notifications import actions, push
from notifications.models import NotificationKind, PushSubscription
from tests.accessibility import axe_violations
from tests.push_service import FakeBrowser, PushService
from tests.servers import log_in, off_loop, run_daphne

pytestmark = pytest.mark.browser

# The page's PushManager, minus the push service Chromium lacks headless.
FAKE_PUSH_MANAGER = """
(() => {
  const given = %s;
  const state = window.__push = { subscription: null, applicationServerKey: null };
  function bytesToB64url(buffer) {
    let text = "";
    new Uint8Array(buffer).forEach((b) => { text += String.fromCharCode(b); });
    return btoa(text).replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
  }
  PushManager.prototype.getSubscription = function () {
    return Promise.resolve(state.subscription);
  };
  PushManager.prototype.subscribe = function (options) {
    const key = new Uint8Array(options.applicationServerKey).buffer;
    state.applicationServerKey = bytesToB64url(key);
    state.subscription = {
      endpoint: given.endpoint,
      options: { applicationServerKey: key, userVisibleOnly: options.userVisibleOnly },
      toJSON: () => given,
      unsubscribe: () => { state.subscription = null; return Promise.resolve(true); },
    };
    return Promise.resolve(state.subscription);
  };
})();
"""


@pytest.fixture
def push_service():
    with PushService() as service:
        yield service


@pytest.fixture
def push_daphne(transactional_db, settings, tmp_path, push_service):
    # One key file for daphne and for this process, which sends the message.
    settings.WEBPUSH_PRIVATE_KEY = ""
    settings.WEBPUSH_KEY_FILE = str(tmp_path / "webpush-key.pem")
    settings.WEBPUSH_EXTRA_ENDPOINTS = [f"{push_service.url}/push/"]
    env = {
        "WEBPUSH_KEY_FILE": settings.WEBPUSH_KEY_FILE,
        "WEBPUSH_EXTRA_ENDPOINTS": settings.WEBPUSH_EXTRA_ENDPOINTS[0],
    }
    with run_daphne(env) as base_url:
        yield base_url


def registration_id(page, cdp) -> str:
    """The registration whose worker is activated: a push delivered to one still
    installing (as on a loaded CI machine) is dropped without a word."""
    registrations: dict[str, bool] = {}
    activated: set[str] = set()

    def registration_updated(event):
        for registration in event["registrations"]:
            registrations[registration["registrationId"]] = registration["isDeleted"]

    def version_updated(event):
        for version in event["versions"]:
            if version["status"] == "activated":
                activated.add(version["registrationId"])

    cdp.on("ServiceWorker.workerRegistrationUpdated", registration_updated)
    cdp.on("ServiceWorker.workerVersionUpdated", version_updated)
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        ready = [r for r in activated if registrations.get(r) is False]
        if ready:
            return ready[-1]
        # Until the page's worker is active; Playwright's sync API hands over events meanwhile.
        page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    raise AssertionError("no activated service worker")


def shown_notifications(page, timeout: float = 10.0) -> list[dict]:
    """The notifications the service worker shows, once there are any.

    wait_for_function takes a promise itself for true: each poll asks the worker and
    the next one reads what it answered."""
    shown = page.wait_for_function(
        """() => {
             navigator.serviceWorker.ready
               .then((r) => r.getNotifications())
               .then((all) => { window.__shown = all.map(
                 (n) => ({title: n.title, body: n.body, data: n.data})); });
             return window.__shown && window.__shown.length ? window.__shown : null;
           }""",
        polling=100,
        timeout=timeout * 1000,
    )
    return shown.json_value()


def test_a_tap_subscribes_this_phone_and_its_worker_shows_the_message(
    push_daphne, push_service, phone, alice
):
    browser = FakeBrowser(push_service.endpoint("alice-phone"))
    phone.grant_permissions(["notifications"], origin=push_daphne)
    phone.add_init_script(FAKE_PUSH_MANAGER % json.dumps(browser.subscription()))
    page = phone.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(f"{r.method} {r.url}"))
    log_in(page, push_daphne, "alice")

    page.goto(f"{push_daphne}/meldingen/voorkeuren/")
    status = page.locator("[data-push-status]")
    status.filter(has_text="Pushberichten staan uit op dit toestel.").wait_for()
    turn_on = page.get_by_role("button", name="Pushberichten aanzetten op dit toestel")
    assert turn_on.is_visible()
    assert not any("/sw.js" in r or "/api/v1/push/" in r for r in requests)  # nothing on load
    assert turn_on.bounding_box()["height"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe_violations(page) == []

    turn_on.click()
    status.filter(has_text="Pushberichten staan aan op dit toestel.").wait_for()
    assert page.evaluate("window.__push.applicationServerKey") == off_loop(push.public_key)
    [row] = off_loop(lambda: list(PushSubscription.objects.select_related("employee")))
    assert (row.employee.username, row.endpoint) == ("alice", browser.endpoint)
    assert (row.p256dh, row.auth) == (browser.p256dh, browser.auth)
    turn_off = page.get_by_role("button", name="Pushberichten uitzetten op dit toestel")
    assert turn_off.is_visible() and turn_on.is_hidden()
    assert axe_violations(page) == []

    # The server sends; the "push service" hands what it got to the worker.
    off_loop(
        actions.notify,
        [row.employee_id],
        NotificationKind.URGENT,
        title="Stormschade Citadelpark",
        url="/",
        urgent=True,
    )
    [received] = push_service.received
    payload = browser.decrypt(received.body).decode()
    assert set(json.loads(payload)) == {"title", "body", "url"}
    cdp = phone.new_cdp_session(page)
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": push_daphne, "registrationId": registration_id(page, cdp), "data": payload},
    )
    [shown] = shown_notifications(page)
    assert shown["title"] == "Dringend: Stormschade Citadelpark"
    assert shown["data"]["url"].startswith(push_daphne + "/meldingen/")

    turn_off.click()
    status.filter(has_text="Pushberichten staan uit op dit toestel.").wait_for()
    assert off_loop(PushSubscription.objects.count) == 0
    assert turn_on.is_visible()
    assert errors == []
