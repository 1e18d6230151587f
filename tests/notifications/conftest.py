from __future__ import annotations

# Notifications are about posts, comments and spaces: the streams fixtures make them.
from tests.streams.conftest import (  # noqa: F401
    _fresh_rate_limits,
    client_for,
    closed_space,
    lies,
    open_space,
)
