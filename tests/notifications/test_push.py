"""Web Push: the key, the endpoint guard, the subscriptions API and the sender.

The push service is a real HTTP server on loopback (``tests/push_service.py``);
what it receives is decrypted with the subscription's own private key, as the
browser would.
"""

from __future__ import annotations

import json
import stat
import time
from pathlib import Path

import pytest
from django.core import signing
from django.urls import reverse

from notifications import actions, delivery, push
from notifications.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Notification,
    NotificationKind,
    PushSubscription,
)
from tests.push_service import FakeBrowser, PushService, b64url_decode, vapid_claims
from workplace.models import Terminal
from workplace.terminals import COOKIE_NAME, COOKIE_SALT

KEY_URL = "/api/v1/push/key"
SUBSCRIPTIONS_URL = "/api/v1/push/subscriptions/"
FCM = "https://fcm.googleapis.com/fcm/send/dE7k2"


@pytest.fixture(autouse=True)
def _own_key_file(settings, tmp_path):
    settings.WEBPUSH_PRIVATE_KEY = ""
    settings.WEBPUSH_KEY_FILE = str(tmp_path / "keys" / "webpush-key.pem")


@pytest.fixture
def service(settings):
    with PushService() as running:
        settings.WEBPUSH_EXTRA_ENDPOINTS = [f"{running.url}/push/"]
        yield running


def post_json(client, url, data, method="post"):
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


def subscribe(employee, browser: FakeBrowser) -> PushSubscription:
    row, _created = push.subscribe(employee, browser.subscription(), user_agent="Test")
    return row


def a_line(recipient, *, urgent=False, kind=NotificationKind.URGENT) -> Notification:
    return Notification.objects.create(
        recipient=recipient, kind=kind, title="Gaslek Sint-Pietersplein", url="/", urgent=urgent
    )


def push_delivery(line: Notification) -> Delivery:
    return Delivery.objects.create(
        notification=line,
        recipient=line.recipient,
        channel=Channel.PUSH,
        key=f"{line.pk}:push:0",
    )


# --- the key -------------------------------------------------------------------------


def test_it_generates_the_key_once_into_a_private_file_and_keeps_it(settings):
    first = push.public_key()
    path = Path(settings.WEBPUSH_KEY_FILE)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    pem = path.read_text(encoding="ascii")
    push._keys.clear()  # another process, or the next start
    assert push.public_key() == first
    assert path.read_text(encoding="ascii") == pem
    point = b64url_decode(first)
    assert len(point) == 65 and point[0] == 4
    assert "=" not in first


def test_it_takes_the_key_from_the_environment_without_writing_a_file(settings, tmp_path):
    from py_vapid import Vapid

    key = Vapid()
    key.generate_keys()
    settings.WEBPUSH_PRIVATE_KEY = key.private_pem().decode("ascii")
    expected = push._b64url(
        key.public_key.public_bytes(
            push.serialization.Encoding.X962, push.serialization.PublicFormat.UncompressedPoint
        )
    )
    assert push.public_key() == expected
    assert not (tmp_path / "keys" / "webpush-key.pem").exists()


def test_a_second_process_generating_at_the_same_time_keeps_the_first_key(settings):
    path = Path(settings.WEBPUSH_KEY_FILE)
    push._generate(path)
    first = path.read_bytes()
    push._generate(path)  # lost the race: its own key is thrown away
    assert path.read_bytes() == first
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_it_takes_a_raw_base64url_key_too(settings):
    from py_vapid import Vapid

    key = Vapid()
    key.generate_keys()
    raw = key.private_key.private_numbers().private_value.to_bytes(32, "big")
    settings.WEBPUSH_PRIVATE_KEY = push._b64url(raw)
    point = key.public_key.public_bytes(
        push.serialization.Encoding.X962, push.serialization.PublicFormat.UncompressedPoint
    )
    assert push.public_key() == push._b64url(point)


@pytest.mark.parametrize("value", ["not a key", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END"])
def test_a_key_that_is_no_key_says_so(settings, value):
    from django.core.exceptions import ImproperlyConfigured

    settings.WEBPUSH_PRIVATE_KEY = value
    with pytest.raises(ImproperlyConfigured, match="WEBPUSH_PRIVATE_KEY"):
        push.public_key()


def test_the_key_endpoint_gives_the_public_key(client, alice):
    client.force_login(alice)
    response = client.get(KEY_URL)
    assert response.status_code == 200
    assert response.json() == {"public_key": push.public_key()}


# --- the endpoint guard --------------------------------------------------------------


@pytest.mark.parametrize(
    "endpoint",
    [
        FCM,
        "https://updates.push.services.mozilla.com/wpush/v2/gAAAAA",
        "https://web.push.apple.com/QGuQyavXutnMH",
        "https://wns2-par02p.notify.windows.com/w/?token=BQYAAA",
    ],
)
def test_the_guard_admits_the_browsers_push_services(endpoint):
    assert push.allowed_endpoint(endpoint)


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://10.0.0.1/",
        "https://10.0.0.1/push",
        "https://127.0.0.1:8000/api/v1/",
        "https://localhost/push",
        "https://169.254.169.254/latest/meta-data/",
        "https://metadata.google.internal/computeMetadata/v1/",
        "https://werkplek.intern.gent/admin/",
        "http://fcm.googleapis.com/fcm/send/x",
        "https://fcm.googleapis.com.evil.example/fcm/send/x",
        "https://evil.example/fcm.googleapis.com/",
        "https://fcm.googleapis.com@10.0.0.1/x",
        "https://user:pw@fcm.googleapis.com/x",
        "https://fcm.googleapis.com:8443/x",
        "https://push.apple.com.attacker.net/x",
        "https://apple.com/push.apple.com",
        "https://..push.apple.com/x",
        "https://fcm.googleapis.com/fcm/send/a b",
        "ftp://fcm.googleapis.com/x",
        "https://fcm.googleapis.com/" + "x" * 1000,
        "",
    ],
)
def test_the_guard_refuses_other_addresses(endpoint):
    assert not push.allowed_endpoint(endpoint)


def test_an_extra_prefix_admits_only_what_is_below_it(settings):
    settings.WEBPUSH_EXTRA_ENDPOINTS = ["http://127.0.0.1:9999/push"]
    assert push.allowed_endpoint("http://127.0.0.1:9999/push/abc")
    assert not push.allowed_endpoint("http://127.0.0.1:9999/pushy")
    assert not push.allowed_endpoint("http://127.0.0.1:99990/push/abc")
    assert not push.allowed_endpoint("http://127.0.0.1:9998/push/abc")


# --- the subscriptions API -----------------------------------------------------------


def test_it_stores_the_browsers_subscription(client, alice):
    client.force_login(alice)
    browser = FakeBrowser(FCM)
    response = client.post(
        SUBSCRIPTIONS_URL,
        json.dumps(browser.subscription()),
        content_type="application/json",
        HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14) Chrome/131",
    )
    assert response.status_code == 201
    assert response.json() == {"endpoint": FCM, "devices": 1}
    row = PushSubscription.objects.get()
    assert (row.employee, row.endpoint) == (alice, FCM)
    assert (row.p256dh, row.auth) == (browser.p256dh, browser.auth)
    assert row.user_agent.startswith("Mozilla/5.0 (Linux; Android 14)")


def test_logging_out_of_a_browser_unsubscribes_it_and_only_it(client, alice):
    client.force_login(alice)
    phone, laptop = FakeBrowser(FCM), FakeBrowser(FCM + "-laptop")
    subscribe(alice, laptop)  # another of Alice's browsers, in another session
    client.post(
        SUBSCRIPTIONS_URL, json.dumps(phone.subscription()), content_type="application/json"
    )
    assert PushSubscription.objects.count() == 2
    client.post("/accounts/logout/")
    # The next person on this phone gets none of Alice's messages; her laptop still does.
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [FCM + "-laptop"]


def test_subscribing_again_updates_the_keys_and_moves_the_device_to_the_new_user(
    client, alice, bob
):
    subscribe(alice, FakeBrowser(FCM))
    renewed = FakeBrowser(FCM)
    client.force_login(bob)
    assert post_json(client, SUBSCRIPTIONS_URL, renewed.subscription()).status_code == 201
    row = PushSubscription.objects.get()
    assert (row.employee, row.p256dh, row.auth) == (bob, renewed.p256dh, renewed.auth)


def test_unsubscribing_deletes_only_my_own_device(client, alice, bob):
    mine = subscribe(alice, FakeBrowser(FCM))
    theirs = subscribe(bob, FakeBrowser(FCM + "-bob"))
    client.force_login(alice)
    response = post_json(client, SUBSCRIPTIONS_URL, {"endpoint": theirs.endpoint}, "delete")
    assert response.status_code == 204
    assert PushSubscription.objects.filter(pk=theirs.pk).exists()
    response = post_json(client, SUBSCRIPTIONS_URL, {"endpoint": mine.endpoint}, "delete")
    assert response.status_code == 204
    assert list(PushSubscription.objects.all()) == [theirs]


@pytest.mark.parametrize(
    "endpoint",
    ["http://10.0.0.1/", "https://192.168.1.20/push", "https://werkplek.intern.gent/"],
)
def test_it_refuses_an_endpoint_that_is_no_push_service(client, alice, endpoint):
    client.force_login(alice)
    response = post_json(client, SUBSCRIPTIONS_URL, FakeBrowser(endpoint).subscription())
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "endpoint_not_allowed"
    assert "pushdienst" in response.json()["error"]["detail"]
    assert not PushSubscription.objects.exists()
    # The control: a real push service is taken.
    assert post_json(client, SUBSCRIPTIONS_URL, FakeBrowser(FCM).subscription()).status_code == 201
    assert PushSubscription.objects.exists()


def broken_keys(browser: FakeBrowser):
    good = browser.subscription()["keys"]
    point = b64url_decode(good["p256dh"])
    off_curve = push._b64url(point[:-1] + bytes([point[-1] ^ 1]))
    return [
        ("invalid_keys", {"endpoint": FCM}),
        ("invalid_keys", {"endpoint": FCM, "keys": "p256dh"}),
        ("invalid_p256dh", {"endpoint": FCM, "keys": {**good, "p256dh": good["p256dh"][:-4]}}),
        ("invalid_p256dh", {"endpoint": FCM, "keys": {**good, "p256dh": off_curve}}),
        ("invalid_p256dh", {"endpoint": FCM, "keys": {**good, "p256dh": "not base64!"}}),
        ("invalid_p256dh", {"endpoint": FCM, "keys": {**good, "p256dh": 42}}),
        ("invalid_auth", {"endpoint": FCM, "keys": {**good, "auth": push._b64url(b"x" * 15)}}),
        ("invalid_auth", {"endpoint": FCM, "keys": {"p256dh": good["p256dh"]}}),
        ("invalid_endpoint", {"keys": good}),
        ("invalid_endpoint", {"endpoint": ["https://fcm.googleapis.com/"], "keys": good}),
    ]


def test_it_refuses_keys_that_are_no_p256_point_or_auth_secret(client, alice):
    client.force_login(alice)
    for code, body in broken_keys(FakeBrowser(FCM)):
        response = post_json(client, SUBSCRIPTIONS_URL, body)
        assert response.status_code == 400, body
        assert response["Content-Type"] == "application/json"
        assert response.json()["error"]["code"] == code, body
    assert not PushSubscription.objects.exists()
    # The control: the browser's own keys are taken.
    assert post_json(client, SUBSCRIPTIONS_URL, FakeBrowser(FCM).subscription()).status_code == 201


def test_its_errors_are_json(client, alice):
    response = post_json(client, SUBSCRIPTIONS_URL, FakeBrowser(FCM).subscription())
    assert (response.status_code, response.json()["error"]["code"]) == (401, "not_authenticated")
    client.force_login(alice)
    response = client.get(SUBSCRIPTIONS_URL)
    assert (response.status_code, response.json()["error"]["code"]) == (405, "method_not_allowed")
    response = client.post(SUBSCRIPTIONS_URL, "{not json", content_type="application/json")
    assert (response.status_code, response.json()["error"]["code"]) == (400, "invalid_json")
    response = post_json(client, SUBSCRIPTIONS_URL, {}, "delete")
    assert (response.status_code, response.json()["error"]["code"]) == (400, "invalid_endpoint")


def test_writes_need_the_csrf_token(alice):
    from django.test import Client

    browser_client = Client(enforce_csrf_checks=True)
    browser_client.force_login(alice)
    response = post_json(browser_client, SUBSCRIPTIONS_URL, FakeBrowser(FCM).subscription())
    assert (response.status_code, response.json()["error"]["code"]) == (403, "csrf_failed")
    assert not PushSubscription.objects.exists()
    # The control: with the page's token it subscribes.
    browser_client.get(reverse("preferences"))
    response = browser_client.post(
        SUBSCRIPTIONS_URL,
        json.dumps(FakeBrowser(FCM).subscription()),
        content_type="application/json",
        headers={"X-CSRFToken": browser_client.cookies["csrftoken"].value},
    )
    assert response.status_code == 201


def test_a_shared_terminal_cannot_subscribe(client, alice):
    terminal = Terminal.objects.create(name="Werkplaats Driepikkel 1")
    client.cookies[COOKIE_NAME] = signing.get_cookie_signer(salt=COOKIE_NAME + COOKIE_SALT).sign(
        str(terminal.token)
    )
    client.force_login(alice)
    response = post_json(client, SUBSCRIPTIONS_URL, FakeBrowser(FCM).subscription())
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "shared_terminal"
    assert "gedeelde terminal" in response.json()["error"]["detail"]
    assert not PushSubscription.objects.exists()
    # The control: the same person on her own phone subscribes.
    del client.cookies[COOKIE_NAME]
    assert post_json(client, SUBSCRIPTIONS_URL, FakeBrowser(FCM).subscription()).status_code == 201


# --- the service worker ----------------------------------------------------------------


def test_the_service_worker_is_served_from_the_root_and_never_stale(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    source = response.content.decode()
    assert "showNotification" in source and "notificationclick" in source
    # It keeps nothing: no page caching, no fetch handler.
    assert "caches." not in source and '"fetch"' not in source


def test_the_preferences_page_offers_push_on_a_phone_but_not_on_a_terminal(client, alice):
    client.force_login(alice)
    page = client.get(reverse("preferences")).content.decode()
    assert "data-push-device" in page and "notifications/push.js" in page
    terminal = Terminal.objects.create(name="Depot Proeftuin")
    client.cookies[COOKIE_NAME] = signing.get_cookie_signer(salt=COOKIE_NAME + COOKIE_SALT).sign(
        str(terminal.token)
    )
    page = client.get(reverse("preferences")).content.decode()
    assert "data-push-device" not in page and "notifications/push.js" not in page


# --- sending -------------------------------------------------------------------------


def test_an_urgent_notification_reaches_the_phone_encrypted_signed_and_with_only_its_text(
    service, alice, django_capture_on_commit_callbacks
):
    browser = FakeBrowser(service.endpoint("alice-phone"))
    subscribe(alice, browser)
    with django_capture_on_commit_callbacks(execute=True):
        actions.notify([alice.pk], NotificationKind.URGENT, title="Gaslek", url="/", urgent=True)
    [received] = service.received
    message = browser.message(received.body)
    assert set(message) == {"title", "body", "url"}
    assert message["title"] == "Dringend: Gaslek"
    line = Notification.objects.get()
    assert message["url"].endswith(line.get_absolute_url() + "?via=push")  # the reach figures
    assert received.headers["content-encoding"] == "aes128gcm"
    assert received.headers["urgency"] == "high"
    assert received.headers["ttl"] == str(push.TTL_URGENT_SECONDS)
    claims = vapid_claims(received.headers["authorization"], push.public_key())
    assert claims["aud"] == service.url
    assert claims["sub"] == "mailto:werkplek@stad.gent"
    assert claims["exp"] > time.time()
    sent = Delivery.objects.get(channel=Channel.PUSH)
    assert (sent.status, sent.detail) == (DeliveryStatus.SENT, "1 device")
    assert PushSubscription.objects.get().last_used is not None


def test_an_ordinary_line_is_not_urgent_and_lives_twelve_hours(service, alice):
    browser = FakeBrowser(service.endpoint("alice-phone"))
    subscribe(alice, browser)
    line = a_line(alice, kind=NotificationKind.DIRECTIVE)
    assert push.PushSender().send(push_delivery(line)) == "1 device"
    [received] = service.received
    assert received.headers["urgency"] == "normal"
    assert received.headers["ttl"] == str(push.TTL_SECONDS)
    assert browser.message(received.body)["title"] == "Werkplek"


def test_every_device_gets_it_and_only_the_recipients(service, alice, bob):
    phone, tablet = (FakeBrowser(service.endpoint(name)) for name in ("phone", "tablet"))
    subscribe(alice, phone)
    subscribe(alice, tablet)
    subscribe(bob, FakeBrowser(service.endpoint("bob")))
    assert push.PushSender().reachable({alice.pk, bob.pk, 999999}) == {alice.pk, bob.pk}
    assert push.PushSender().send(push_delivery(a_line(alice, urgent=True))) == "2 devices"
    assert sorted(r.path for r in service.received) == ["/push/phone", "/push/tablet"]
    assert phone.message(service.requests_to(phone.endpoint)[0].body)["title"]


@pytest.mark.parametrize("status", [404, 410])
def test_a_gone_subscription_is_removed_and_without_any_left_it_is_undeliverable(
    service, alice, status
):
    browser = FakeBrowser(service.endpoint("old-phone"))
    subscribe(alice, browser)
    assert PushSubscription.objects.exists()  # the control: there was one to remove
    service.answer(browser.endpoint, status)
    line = push_delivery(a_line(alice, urgent=True))
    assert delivery.send(line.pk) == DeliveryStatus.FAILED
    assert not PushSubscription.objects.exists()
    line.refresh_from_db()
    assert "no push subscription left" in line.detail


def test_one_device_gone_and_one_reached_is_sent(service, alice):
    old, new = FakeBrowser(service.endpoint("old")), FakeBrowser(service.endpoint("new"))
    subscribe(alice, old)
    subscribe(alice, new)
    service.answer(old.endpoint, 410)
    assert push.PushSender().send(push_delivery(a_line(alice))) == "1 device, 1 gone"
    assert [s.endpoint for s in PushSubscription.objects.all()] == [new.endpoint]


def test_a_failing_push_service_leaves_the_delivery_retrying(service, alice):
    subscribe(alice, FakeBrowser(service.endpoint("phone")))
    service.status = 500
    line = push_delivery(a_line(alice, urgent=True))
    assert delivery.send(line.pk) == DeliveryStatus.RETRYING
    line.refresh_from_db()
    assert line.status == DeliveryStatus.RETRYING
    assert "HTTP 500" in line.detail
    assert PushSubscription.objects.exists()


def test_an_unreachable_push_service_leaves_the_delivery_retrying(settings, alice):
    with PushService() as gone:
        endpoint = gone.endpoint("phone")
    settings.WEBPUSH_EXTRA_ENDPOINTS = [endpoint]
    subscribe(alice, FakeBrowser(endpoint))
    line = push_delivery(a_line(alice, urgent=True))
    assert delivery.send(line.pk) == DeliveryStatus.RETRYING
    assert PushSubscription.objects.exists()


def test_push_is_a_channel_of_the_delivery_core():
    assert Channel.PUSH in delivery.OUTSIDE_CHANNELS
    assert isinstance(delivery.sender(Channel.PUSH), push.PushSender)
