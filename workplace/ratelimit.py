"""Fixed-window counters in the shared cache, for forms that do not authenticate.

Logins are limited by axes (``lockout``); this is for what axes does not see,
such as the password reset form, which mails a link instead of checking a password.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache

KEY_PREFIX = "werkplek:rate"


def allow(scope: str, subject: str, limit: int, window: int) -> bool:
    """Count one request by ``subject``; False once it is over ``limit`` in this window.

    The subject (an address, an e-mail address) is hashed: the cache holds no
    personal data in its keys."""
    digest = hashlib.sha256(subject.strip().lower().encode()).hexdigest()[:32]
    key = f"{KEY_PREFIX}:{scope}:{digest}:{int(time.time() // window)}"
    if cache.add(key, 1, timeout=window + 5):
        return limit >= 1
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 5)
        return True
