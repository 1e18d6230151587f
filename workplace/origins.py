"""Which pages may open /ws/: our own origin, compared in full, as Django's CSRF check does.

A WebSocket is authenticated by the session cookie alone, which the browser sends
whatever page opens the socket; only the ``Origin`` header says which page that
is. Channels' ``AllowedHostsOriginValidator`` compares the host name only, so a
plain-http page on the same host (a captive portal, a downgraded link) or
another port of it passed. Here the scheme, the host and the port must all match:

- our own origin: the scheme the browser used (https when the TLS proxy says
  so through ``SECURE_PROXY_SSL_HEADER``, as ``request.is_secure()`` reads it;
  else what daphne saw), and the Host header, which must be in ``ALLOWED_HOSTS``;
- or one of ``CSRF_TRUSTED_ORIGINS`` (``https://*.example.com`` for subdomains).

A handshake without an ``Origin``, with ``null`` or with two of them is refused:
browsers always send one, and the socket has no other clients (scripts use the
API with a token).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import is_same_domain, split_domain_port, validate_host

DEFAULT_PORTS = {"http": 80, "https": 443}

Origin = tuple[str, str, int]  # scheme, host, port


def parse_origin(value: str) -> Origin | None:
    try:
        parts = urlsplit(value.strip().lower())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    if parts.path or parts.query or parts.fragment or parts.username is not None:
        return None  # an Origin is scheme://host[:port], nothing more
    return parts.scheme, parts.hostname, port or DEFAULT_PORTS[parts.scheme]


def _header(scope, name: bytes) -> list[str]:
    return [value.decode("latin1") for key, value in scope.get("headers", []) if key == name]


def _scheme(scope) -> str:
    proxy_header = settings.SECURE_PROXY_SSL_HEADER
    if proxy_header:
        name, secure_value = proxy_header
        # HTTP_X_FORWARDED_PROTO -> x-forwarded-proto
        wanted = name.removeprefix("HTTP_").replace("_", "-").lower().encode()
        values = _header(scope, wanted)
        if values:
            return "https" if values[0].split(",", 1)[0].strip() == secure_value else "http"
    return "https" if scope.get("scheme") in {"wss", "https"} else "http"


def own_origin(scope) -> Origin | None:
    """The origin of the page this server serves the handshake to, or None for a bad Host."""
    hosts = _header(scope, b"host")
    if len(hosts) != 1:
        return None
    domain, port = split_domain_port(hosts[0].lower())
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]  # as Django's get_host() allows
    if not domain or not validate_host(domain, allowed):
        return None
    scheme = _scheme(scope)
    host = domain[1:-1] if domain.startswith("[") else domain  # urlsplit drops the brackets
    return scheme, host, int(port) if port else DEFAULT_PORTS[scheme]


def _trusted(origin: Origin) -> bool:
    scheme, host, port = origin
    for pattern in settings.CSRF_TRUSTED_ORIGINS:
        wildcard = "://*." in pattern
        trusted = parse_origin(pattern.replace("://*.", "://", 1) if wildcard else pattern)
        if trusted is None or trusted[0] != scheme or trusted[2] != port:
            continue
        if host == trusted[1] or (wildcard and is_same_domain(host, "." + trusted[1])):
            return True
    return False


def origin_allowed(scope) -> bool:
    origins = _header(scope, b"origin")
    if len(origins) != 1:
        return False
    origin, own = parse_origin(origins[0]), own_origin(scope)
    if origin is None or own is None:
        return False  # no usable Origin, or a Host that Django would refuse as well
    return origin == own or _trusted(origin)


class SameOriginValidator:
    """ASGI middleware for the websocket router: refuses foreign origins before anything else."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and not origin_allowed(scope):
            return await WebsocketDenier()(scope, receive, send)
        return await self.application(scope, receive, send)
