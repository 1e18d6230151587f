"""The state of the services Werkplek depends on, for /healthz and monitoring.

The core checks what it owns (the database, the channel layer, the job workers); an app adds the
services it owns from its ``AppConfig.ready()`` with ``register_check`` (the
search its index).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare

Check = Callable[[], dict[str, Any]]


def check_database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True, "vendor": connection.vendor}


def check_channel_layer() -> dict[str, Any]:
    """Send a message to a fresh channel and read it back."""
    layer = get_channel_layer()
    if layer is None:
        return {"ok": False, "error": "no channel layer configured"}

    async def round_trip() -> bool:
        channel = await layer.new_channel()
        token = uuid.uuid4().hex
        await layer.send(channel, {"type": "health.check", "token": token})
        message = await asyncio.wait_for(layer.receive(channel), timeout=2)
        return message.get("token") == token

    ok = async_to_sync(round_trip)()
    return {"ok": ok, "backend": type(layer).__name__}


def check_jobs() -> dict[str, Any]:
    from workplace.jobs import health

    return health()


checks: dict[str, Check] = {
    "database": check_database,
    "channel_layer": check_channel_layer,
    "jobs": check_jobs,
}


def register_check(name: str, check: Check) -> None:
    """Report ``check()`` under ``name`` in /healthz; it returns a dict with ``ok``."""
    checks[name] = check


def run_checks() -> tuple[bool, dict[str, dict[str, Any]]]:
    results: dict[str, dict[str, Any]] = {}
    for name, check in checks.items():
        try:
            results[name] = check()
        except Exception as error:  # a health check reports failures, it never raises
            results[name] = {"ok": False, "error": f"{type(error).__name__}: {error}"[:300]}
    return all(result["ok"] for result in results.values()), results


def may_see_details(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_active and user.is_superuser:
        return True
    token = settings.HEALTHZ_TOKEN
    presented = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    return bool(token) and constant_time_compare(presented, token)
