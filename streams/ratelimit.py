"""Per-employee rate limits for posting and commenting, in the shared cache."""

from __future__ import annotations

import time

from django.core.cache import cache

# (how many, per how many seconds): generous for people, tight for a runaway script.
LIMITS = {"post": (10, 600), "comment": (30, 600)}
KEY_PREFIX = "streams:rate"


def allow(user_id: int, action: str) -> bool:
    """Count one attempt; False once the user is over the limit for this window."""
    limit, window = LIMITS[action]
    key = f"{KEY_PREFIX}:{action}:{user_id}:{int(time.time() // window)}"
    if cache.add(key, 1, timeout=window + 5):
        return True
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 5)
        return True
