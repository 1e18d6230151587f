"""What state the search index is in, for /healthz and ``manage.py search_check``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from haystack import connections

from search.models import IndexTask
from search.queue import MAX_ATTEMPTS


def index_state() -> dict[str, Any]:
    """Documents in the index, queued and failed updates, and whether it needs a rebuild.

    ``ok`` is False when the index cannot be read, when updates keep failing,
    or when it was written with another schema (``manage.py search_check --fix``).
    """
    options = settings.HAYSTACK_CONNECTIONS["default"]
    state: dict[str, Any] = {"backend": options["ENGINE"].rsplit(".", 1)[-1]}
    if "PATH" in options:
        # Every process writes (through the queue): the directory must be writable.
        path = Path(options["PATH"])
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError:
            return {**state, "ok": False, "writable": False}
        if not os.access(path, os.W_OK):
            return {**state, "ok": False, "writable": False}
    backend = connections["default"].get_backend()
    if hasattr(backend, "index_state"):
        state.update(backend.index_state())
    else:
        state["ok"] = True
    pending = IndexTask.objects.filter(attempts__lt=MAX_ATTEMPTS).count()
    failed = IndexTask.objects.filter(attempts__gte=MAX_ATTEMPTS).count()
    state.update({"pending": pending, "failed": failed})
    state["ok"] = bool(state["ok"]) and not failed
    return state
