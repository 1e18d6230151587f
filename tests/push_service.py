"""A push service on loopback, and a browser's keys, for the tests and the benchmark.

``PushService`` is a small threaded HTTP server that records every request and
answers what it is told (201 by default; 404, 410, 500 … per endpoint).
``FakeBrowser`` holds what a browser keeps for one subscription — a P-256 key
pair and the 16-byte auth secret — hands out the PushSubscription JSON, and
decrypts what the push service received, as the browser would.

    with PushService() as service:
        browser = FakeBrowser(service.endpoint("phone"))
        ...  # subscribe with browser.subscription(), send
        message = browser.decrypt(service.received[0].body)

Run with ``WEBPUSH_EXTRA_ENDPOINTS=<service.url>/`` so the endpoint guard admits it.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict[str, str]  # names in lower case
    body: bytes


@dataclass
class PushService:
    """Answers ``status`` to every push, or ``answers[path]`` for one endpoint's path."""

    status: int = 201
    answers: dict[str, int] = field(default_factory=dict)
    delay: float = 0.0  # seconds before each answer: a push service far away
    received: list[Received] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "start the service first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def endpoint(self, name: str) -> str:
        return f"{self.url}/push/{name}"

    def answer(self, endpoint: str, status: int) -> None:
        """From now on, answer ``status`` to pushes to ``endpoint`` (a URL or a path)."""
        path = endpoint.removeprefix(self.url)
        with self._lock:
            self.answers[path] = status

    def requests_to(self, endpoint: str) -> list[Received]:
        path = endpoint.removeprefix(self.url)
        with self._lock:
            return [request for request in self.received if request.path == path]

    def start(self) -> PushService:
        service = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                if service.delay:
                    time.sleep(service.delay)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {name.lower(): value for name, value in self.headers.items()}
                with service._lock:
                    service.received.append(Received("POST", self.path, headers, body))
                    status = service.answers.get(self.path, service.status)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                if status == 201:
                    self.send_header("Location", f"{self.path}/messages/{len(service.received)}")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass  # quiet: the test asserts what it needs

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> PushService:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class FakeBrowser:
    """One browser's subscription keys (what ``PushManager.subscribe`` makes)."""

    def __init__(self, endpoint: str):
        self.endpoint = endpoint
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth_secret = os.urandom(16)

    @property
    def p256dh(self) -> str:
        return b64url(
            self.private_key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    @property
    def auth(self) -> str:
        return b64url(self.auth_secret)

    def subscription(self) -> dict[str, Any]:
        """The PushSubscription JSON, as ``subscription.toJSON()`` gives it."""
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": self.p256dh, "auth": self.auth},
        }

    def decrypt(self, body: bytes) -> bytes:
        return http_ece.decrypt(
            body, private_key=self.private_key, auth_secret=self.auth_secret, version="aes128gcm"
        )

    def message(self, body: bytes) -> dict[str, Any]:
        return json.loads(self.decrypt(body))


def vapid_claims(authorization: str, public_key: str) -> dict[str, Any]:
    """The claims of a ``vapid t=<jwt>, k=<key>`` header, after checking its ES256 signature.

    Raises ``ValueError`` when the header is not a VAPID JWT signed by ``public_key``."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    scheme, _space, rest = authorization.partition(" ")
    if scheme.lower() != "vapid":
        raise ValueError(f"not a VAPID authorization: {scheme!r}")
    params = dict(part.strip().split("=", 1) for part in rest.split(","))
    if params.get("k") != public_key:
        raise ValueError("signed with another key")
    header, claims, signature = params["t"].split(".")
    if json.loads(b64url_decode(header)) != {"typ": "JWT", "alg": "ES256"}:
        raise ValueError("not an ES256 JWT")
    raw = b64url_decode(signature)
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(public_key))
    key.verify(der, f"{header}.{claims}".encode("ascii"), ec.ECDSA(hashes.SHA256()))
    return json.loads(b64url_decode(claims))
