"""Web Push: the VAPID key, the browsers' subscriptions, and the channel's sender.

A browser that accepts push messages hands us a subscription: an endpoint on its
vendor's push service and two keys. We encrypt each message for that browser
(aes128gcm, RFC 8291) and sign the request with our VAPID key (RFC 8292), so the
push service sees neither the text nor a way to impersonate us. The endpoint is
an address we will POST to later: only the browsers' own push services (and the
prefixes in ``WEBPUSH_EXTRA_ENDPOINTS``, for tests) are accepted, or a
subscription would let anyone make the server call an internal address.

See docs/notifications-push.md.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
import re
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from notifications.delivery import Undeliverable
from notifications.models import Channel, Delivery, PushSubscription
from notifications.text import describe
from workplace import terminals
from workplace.api import ApiError, api_view, json_body
from workplace.http import AuthenticatedRequest
from workplace.models import Employee

logger = logging.getLogger(__name__)

# A push service keeps an undelivered message this long (the phone may be off).
TTL_SECONDS = 12 * 60 * 60
TTL_URGENT_SECONDS = 24 * 60 * 60
TIMEOUT_SECONDS = 10
# The browsers' push services (Chrome/Edge on Android and desktop, Firefox, Safari, WNS).
PUSH_HOSTS = frozenset({"fcm.googleapis.com", "updates.push.services.mozilla.com"})
PUSH_HOST_SUFFIXES = (".push.services.mozilla.com", ".push.apple.com", ".notify.windows.com")
MAX_ENDPOINT = 1000  # PushSubscription.endpoint
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+={0,2}")


# --- the VAPID key -------------------------------------------------------------------

_keys: dict[tuple[str, str], Vapid] = {}
_keys_lock = threading.Lock()


def vapid() -> Vapid:
    """Our signing key: WEBPUSH_PRIVATE_KEY, else WEBPUSH_KEY_FILE, made once if missing.

    The key must not change once browsers subscribed with it (they would refuse
    our messages), so a generated key is kept in the data directory.
    """
    source = (settings.WEBPUSH_PRIVATE_KEY.strip(), settings.WEBPUSH_KEY_FILE)
    with _keys_lock:
        if source not in _keys:
            _keys[source] = _load(*source)
        return _keys[source]


def _load(private_key: str, key_file: str) -> Vapid:
    if private_key:
        return _from_text(private_key, "WEBPUSH_PRIVATE_KEY")
    path = Path(key_file)
    if not path.exists():
        _generate(path)
    try:
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as error:
        raise ImproperlyConfigured(f"WEBPUSH_KEY_FILE cannot be read: {error}") from None
    return _from_text(text, f"WEBPUSH_KEY_FILE ({path})")


def _from_text(text: str, source: str) -> Vapid:
    """A P-256 private key in PEM, or base64url (32 raw bytes or DER), as py_vapid reads it."""
    try:
        if "-----BEGIN" in text:
            key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
        else:
            key = Vapid.from_string(text).private_key
    except Exception as error:  # binascii, ValueError, UnicodeError, py_vapid's own
        raise ImproperlyConfigured(f"{source} is not a private key: {error}") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise ImproperlyConfigured(f"{source} must be an EC P-256 (prime256v1) private key")
    return Vapid(key)


def _generate(path: Path) -> None:
    """Write a new key to ``path`` unless another process just did; only the owner may read it."""
    key = Vapid()
    key.generate_keys()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".webpush-key-")  # mode 0600
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(key.private_pem())
            file.flush()
            os.fsync(file.fileno())
        try:
            # link() fails when the file exists: of two processes starting together, the
            # first key wins and both use it.
            os.link(temporary, path)
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links
            if not path.exists():
                os.replace(temporary, path)
        else:
            logger.info("generated a Web Push (VAPID) key in %s", path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def public_key() -> str:
    """The key browsers subscribe with (applicationServerKey): the uncompressed point, base64url."""
    point = vapid().public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return _b64url(point)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(value: Any) -> bytes | None:
    if not isinstance(value, str) or not _BASE64URL.fullmatch(value):
        return None
    value = value.rstrip("=")
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        return None


# --- subscriptions -------------------------------------------------------------------


class InvalidSubscription(ValueError):
    """What the browser sent cannot be used; ``detail`` says why, in Dutch."""

    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code, self.detail = code, detail


def allowed_endpoint(endpoint: Any) -> bool:
    """An https address on a browser's push service, or under a WEBPUSH_EXTRA_ENDPOINTS prefix."""
    if not isinstance(endpoint, str) or not endpoint or len(endpoint) > MAX_ENDPOINT:
        return False
    if any(ord(char) <= 32 or ord(char) == 127 for char in endpoint):
        return False
    for prefix in settings.WEBPUSH_EXTRA_ENDPOINTS:
        # "https://push.test/v1" must not admit "https://push.test/v1.evil": a whole segment.
        if endpoint == prefix or (
            endpoint.startswith(prefix) and (prefix.endswith("/") or endpoint[len(prefix)] in "/?")
        ):
            return True
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        return False
    host = parts.hostname or ""
    if parts.scheme != "https" or parts.username or parts.password or port not in (None, 443):
        return False
    return host in PUSH_HOSTS or (
        host.endswith(PUSH_HOST_SUFFIXES) and all(host.split("."))  # no empty labels
    )


@dataclass(frozen=True)
class Keys:
    endpoint: str
    p256dh: str
    auth: str


def check_subscription(data: Any) -> Keys:
    """The browser's PushSubscription JSON, checked; raises ``InvalidSubscription``."""
    if not isinstance(data, dict):
        raise InvalidSubscription("invalid_subscription", "Stuur het PushSubscription-object.")
    endpoint = data.get("endpoint")
    if not isinstance(endpoint, str) or not endpoint:
        raise InvalidSubscription(
            "invalid_endpoint", 'Geef het adres van de pushdienst in "endpoint".'
        )
    if not allowed_endpoint(endpoint):
        raise InvalidSubscription(
            "endpoint_not_allowed",
            "Dit adres is geen pushdienst van een browser die Werkplek kent.",
        )
    keys = data.get("keys")
    if not isinstance(keys, dict):
        raise InvalidSubscription("invalid_keys", 'Geef "keys" met "p256dh" en "auth".')
    p256dh = _b64url_decode(keys.get("p256dh"))
    if p256dh is None or len(p256dh) != 65 or p256dh[0] != 4:
        raise InvalidSubscription(
            "invalid_p256dh", '"p256dh" moet een P-256-sleutel zijn (65 bytes, base64url).'
        )
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), p256dh)
    except ValueError:
        raise InvalidSubscription(
            "invalid_p256dh", '"p256dh" is geen punt op de P-256-curve.'
        ) from None
    auth = _b64url_decode(keys.get("auth"))
    if auth is None or len(auth) != 16:
        raise InvalidSubscription("invalid_auth", '"auth" moet 16 bytes zijn (base64url).')
    return Keys(endpoint=endpoint, p256dh=_b64url(p256dh), auth=_b64url(auth))


def subscribe(
    employee: Employee, data: Any, *, user_agent: str = ""
) -> tuple[PushSubscription, bool]:
    """Store this browser for ``employee``; returns the row and whether it is new.

    An endpoint is one browser profile: subscribing it again updates its keys and
    gives it to whoever subscribed last (the device changed hands)."""
    keys = check_subscription(data)
    with transaction.atomic():
        row, created = PushSubscription.objects.update_or_create(
            endpoint=keys.endpoint,
            defaults={
                "employee": employee,
                "p256dh": keys.p256dh,
                "auth": keys.auth,
                "user_agent": user_agent[:200],
            },
        )
    return row, created


def unsubscribe(employee: Employee, endpoint: Any) -> bool:
    """Forget one of ``employee``'s browsers; False when they had no such subscription."""
    if not isinstance(endpoint, str) or not endpoint:
        raise InvalidSubscription(
            "invalid_endpoint", 'Geef het adres van de pushdienst in "endpoint".'
        )
    deleted, _rows = PushSubscription.objects.filter(employee=employee, endpoint=endpoint).delete()
    return deleted > 0


# --- the channel ---------------------------------------------------------------------


_local = threading.local()


def _session() -> requests.Session:
    """One HTTP session per worker thread: its connections to the push services are kept
    open from one delivery to the next (a new TLS handshake per message costs more than
    the message)."""
    session = getattr(_local, "session", None)
    if session is None:
        session = _local.session = requests.Session()
        session.max_redirects = 0  # a push service answers; it never sends us elsewhere
    return session


class PushFailed(Exception):
    """No device took the message, for reasons that may pass (5xx, 429, the network): retried."""


class PushSender:
    """``Channel.PUSH``: one encrypted message to each of the recipient's browsers.

    One delivery covers all of the recipient's devices: when some took the
    message and another failed for now, the delivery counts as sent (a retry would
    repeat it on the phones that have it) and the log says how many failed.
    """

    def reachable(self, employee_ids: set[int]) -> set[int]:
        return set(
            PushSubscription.objects.filter(employee_id__in=employee_ids)
            .values_list("employee_id", flat=True)
            .distinct()
        )

    def send(self, delivery: Delivery) -> str:
        line = delivery.notification
        message = describe(line, Channel.PUSH)
        # Only what the phone shows; the push service keeps it, encrypted, until delivery.
        payload = json.dumps(
            {"title": message.title, "body": message.body, "url": message.url},
            ensure_ascii=False,
        )
        headers = {"Urgency": "high" if line.urgent else "normal"}
        ttl = TTL_URGENT_SECONDS if line.urgent else TTL_SECONDS
        delivered: list[int] = []
        gone = 0
        failures: list[str] = []
        session = _session()
        for subscription in PushSubscription.objects.filter(
            employee_id=delivery.recipient_id
        ).order_by("pk"):
            outcome = push_one(subscription, payload, ttl=ttl, headers=headers, session=session)
            if outcome == SENT:
                delivered.append(subscription.pk)
            elif outcome == GONE:
                gone += 1
            else:
                failures.append(outcome)
        if delivered:
            PushSubscription.objects.filter(pk__in=delivered).update(last_used=timezone.now())
            detail = f"{len(delivered)} device{'s' if len(delivered) != 1 else ''}"
            if gone:
                detail += f", {gone} gone"
            if failures:
                detail += f", {len(failures)} failed ({failures[0]})"
            return detail
        if not failures:
            raise Undeliverable(f"no push subscription left ({gone} gone)")
        raise PushFailed("; ".join(failures))


SENT, GONE = "sent", "gone"


def push_one(
    subscription: PushSubscription,
    payload: str,
    *,
    ttl: int,
    headers: dict[str, str],
    session: requests.Session,
) -> str:
    """Send to one browser: SENT, GONE (and the subscription deleted), or why it failed."""
    if not allowed_endpoint(subscription.endpoint):
        # Stored under other settings (an extra prefix since removed): never called now.
        return "endpoint not allowed"
    try:
        webpush(
            {
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            },
            data=payload,
            vapid_private_key=vapid(),
            vapid_claims={"sub": settings.WEBPUSH_SUBJECT},  # webpush() adds aud and exp
            content_encoding="aes128gcm",
            timeout=TIMEOUT_SECONDS,
            ttl=ttl,
            headers=headers,
            requests_session=session,
        )
    except WebPushException as error:
        status = error.response.status_code if error.response is not None else None
        if status in (404, 410):
            # Unsubscribed in the browser, or expired: this endpoint never works again.
            PushSubscription.objects.filter(pk=subscription.pk).delete()
            return GONE
        return f"HTTP {status}" if status else str(error)[:100]
    except requests.RequestException as error:
        return type(error).__name__
    return SENT


# --- the browser's side: the key, subscribing, the service worker ---------------------


def on_shared_terminal(request: HttpRequest) -> bool:
    """A registered terminal (its device cookie) or a PIN session: nothing personal stays."""
    return getattr(request, "terminal", None) is not None or terminals.is_terminal_session(request)


@api_view(["GET"])
def key_view(request: AuthenticatedRequest) -> JsonResponse:
    return JsonResponse({"public_key": public_key()})


@api_view(["POST", "DELETE"])
def subscriptions_view(request: AuthenticatedRequest) -> HttpResponse:
    """POST the browser's PushSubscription JSON (201); DELETE ``{"endpoint"}`` (204).

    DELETE answers 204 whether or not the endpoint was the caller's: it is gone
    either way, and nobody learns whose another endpoint is."""
    if on_shared_terminal(request):
        # A terminal is shared: its messages would reach whoever stands there next.
        raise ApiError(
            "shared_terminal", "Pushberichten kunnen niet aan op een gedeelde terminal.", 403
        )
    body = json_body(request)
    try:
        if request.method == "DELETE":
            unsubscribe(request.user, body.get("endpoint"))
            return HttpResponse(status=204)
        row, _created = subscribe(
            request.user, body, user_agent=request.headers.get("User-Agent", "")
        )
    except InvalidSubscription as problem:
        raise ApiError(problem.code, problem.detail) from None
    # This session's browser: logging out of it stops its messages (``forget_on_logout``).
    request.session[SESSION_ENDPOINT] = row.endpoint
    devices = PushSubscription.objects.filter(employee=request.user).count()
    return JsonResponse({"endpoint": row.endpoint, "devices": devices}, status=201)


SESSION_ENDPOINT = "push_endpoint"


def forget_on_logout(sender, request, user, **kwargs) -> None:
    """Logging out of a browser unsubscribes it: whoever logs in next on it must not
    receive the previous employee's messages (``user_logged_out``, from ``ready()``)."""
    endpoint = request.session.get(SESSION_ENDPOINT) if request is not None else None
    if endpoint and user is not None:
        PushSubscription.objects.filter(employee=user, endpoint=endpoint).delete()


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """/sw.js: at the root, so that its scope is the whole site; never cached stale."""
    response = HttpResponse(
        render_to_string("notifications/sw.js"),
        content_type="application/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response
