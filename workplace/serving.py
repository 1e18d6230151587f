"""The web process: a gunicorn worker that serves HTTP and the WebSocket with uvicorn.

gunicorn (workplace/gunicorn_conf.py) starts ``WEB_WORKERS`` of these on one port and
restarts any that dies; docs/deployment.md says why this shape and what runs beside it.
"""

from __future__ import annotations

from typing import Any

from uvicorn_worker import UvicornWorker


class WebWorker(UvicornWorker):
    CONFIG_KWARGS: dict[str, Any] = {
        # uvloop and httptools: the parsing and the loop in C, so that the one core a
        # process has goes to Django rather than to the server.
        "loop": "uvloop",
        "http": "httptools",
        "ws": "websockets-sansio",
        # Django's ASGI handler speaks no lifespan protocol.
        "lifespan": "off",
        # The client's address is read by workplace.audit.client_ip behind PROXY_COUNT
        # trusted proxies; uvicorn rewriting it from X-Forwarded-For first would trust
        # whatever a client sent through a proxy on loopback.
        "proxy_headers": False,
        # As daphne did: a frame beyond 1 MB drops the connection before it is buffered;
        # the consumer closes smaller ones over WEBSOCKET_MAX_MESSAGE_BYTES with 4413.
        "ws_max_size": 1024 * 1024,
        # No header names the server and its version to whoever asks.
        "server_header": False,
    }
