"""The /ws/ handshake comes only from our own pages: scheme, host and port all count."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connection

from tests.realtime import session_cookie_for
from workplace.asgi import application

pytestmark = [pytest.mark.django_db(transaction=True)]

CITY = "werkplek.stad.gent"


@pytest.fixture(autouse=True)
def _city_hosts(settings):
    settings.ALLOWED_HOSTS = [CITY, "localhost", "127.0.0.1"]
    settings.CSRF_TRUSTED_ORIGINS = []


def handshake(session_key, *, origin, host=CITY, scheme="ws", proto=None, extra_origin=None):
    headers = [(b"host", host.encode()), (b"cookie", f"sessionid={session_key}".encode())]
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    if extra_origin is not None:
        headers.append((b"origin", extra_origin.encode()))
    if proto is not None:
        headers.append((b"x-forwarded-proto", proto.encode()))
    socket = WebsocketCommunicator(application, "/ws/", headers=headers)
    socket.scope["scheme"] = scheme
    return socket


def cookie_for(user) -> str:
    try:
        return session_cookie_for(user)
    finally:
        # A refused socket never reaches the database; nothing else closes this one.
        connection.close()


async def connects(alice, **kwargs) -> bool:
    socket = handshake(await sync_to_async(cookie_for)(alice), **kwargs)
    connected, _code = await socket.connect()
    if connected:
        await socket.disconnect()
    return connected


async def test_the_page_behind_the_tls_proxy_connects(alice):
    assert await connects(alice, origin=f"https://{CITY}", proto="https")


async def test_the_page_on_a_tls_daphne_connects(alice):
    assert await connects(alice, origin=f"https://{CITY}", scheme="wss")


async def test_a_plain_http_page_of_the_same_host_is_refused_behind_the_tls_proxy(alice):
    assert not await connects(alice, origin=f"http://{CITY}", proto="https")


async def test_an_https_origin_is_refused_when_the_socket_itself_is_plain(alice):
    assert not await connects(alice, origin=f"https://{CITY}")


async def test_another_port_on_the_same_host_is_refused(alice):
    assert not await connects(alice, origin=f"https://{CITY}:8443", proto="https")
    assert await connects(alice, origin=f"https://{CITY}:443", proto="https")


async def test_a_lookalike_host_is_refused(alice):
    for origin in (f"https://{CITY}.evil.com", f"https://evil-{CITY}", "https://gent"):
        assert not await connects(alice, origin=origin, proto="https")


async def test_a_missing_null_or_doubled_origin_is_refused(alice):
    assert not await connects(alice, origin=None, proto="https")
    assert not await connects(alice, origin="null", proto="https")
    assert not await connects(
        alice, origin=f"https://{CITY}", extra_origin="https://evil.example", proto="https"
    )


async def test_a_host_outside_allowed_hosts_is_refused_even_with_a_matching_origin(alice):
    assert not await connects(alice, origin="https://evil.example", host="evil.example")


async def test_a_trusted_origin_connects_with_its_exact_scheme_and_port(alice, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://intranet.stad.gent", "https://*.gent.be:8443"]
    assert await connects(alice, origin="https://intranet.stad.gent", proto="https")
    assert await connects(alice, origin="https://werkplek.gent.be:8443", proto="https")
    assert not await connects(alice, origin="http://intranet.stad.gent", proto="https")
    assert not await connects(alice, origin="https://intranet.stad.gent:444", proto="https")
    assert not await connects(alice, origin="https://werkplek.gent.be", proto="https")
    assert not await connects(alice, origin="https://gent.be.evil.com:8443", proto="https")


async def test_the_forwarded_scheme_counts_only_with_the_proxy_header_setting(alice, settings):
    settings.SECURE_PROXY_SSL_HEADER = None
    assert not await connects(alice, origin=f"https://{CITY}", proto="https")
    assert await connects(alice, origin=f"http://{CITY}", proto="https")


async def test_the_local_demo_connects_from_its_own_port_only(alice):
    assert await connects(alice, origin="http://127.0.0.1:8000", host="127.0.0.1:8000")
    assert not await connects(alice, origin="http://127.0.0.1:9000", host="127.0.0.1:8000")
    assert not await connects(alice, origin="http://127.0.0.1", host="127.0.0.1:8000")
