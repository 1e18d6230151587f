"""The one index writer: a file lock that every writing process and thread takes.

Whoosh allows one writer at a time and answers a second one with ``LockError``.
All writes to the index go through ``writer_lock()`` (the backend takes it in
``update``, ``remove`` and ``clear``), so several daphne processes, the queue's
background thread and ``manage.py update_index`` take turns instead of failing.

``flock`` locks belong to an open file description, so two threads of one
process exclude each other as well as two processes do. The lock is re-entrant
within a thread: the queue holds it while the backend takes it again.
"""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

_held = threading.local()


def lock_path() -> Path:
    from haystack import connections

    options = connections.connections_info["default"]
    base = Path(options.get("PATH") or settings.DATA_DIR / "index")
    # Beside the index, not in it: rebuild_index deletes the index directory.
    return base.with_name(base.name + ".writer.lock")


@contextmanager
def writer_lock(blocking: bool = True) -> Iterator[bool]:
    """Hold the index writer lock; yields False when ``blocking=False`` and it is taken."""
    depth = getattr(_held, "depth", 0)
    if depth:
        _held.depth = depth + 1
        try:
            yield True
        finally:
            _held.depth -= 1
        return
    path = lock_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as handle:
        flags = fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB)
        try:
            fcntl.flock(handle.fileno(), flags)
        except BlockingIOError:
            yield False
            return
        _held.depth = 1
        try:
            yield True
        finally:
            _held.depth = 0
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
