"""The index update queue: saves enqueue, one writer drains.

Why a queue: a save must never fail or wait because the index is busy, and
Whoosh allows one writer at a time. So a save only inserts an ``IndexTask``
row, in the same transaction as the change (a rolled-back save leaves no
task, a committed one cannot lose it). After the commit, the process nudges
its writer thread, which takes the index writer lock (``search.locks``) and
drains the queue: it reads each object's *current* state and indexes or
removes it. Tasks are idempotent, so a task applied twice, or a crash between
writing the index and deleting the task, does no harm.

Several processes: whoever holds the lock drains; the others' nudges give up
at once. The holder looks at the queue again after releasing the lock, so a
task committed while it was finishing is never stranded.

``settings.SEARCH_INDEX_UPDATES`` chooses who drains after a commit:
``background`` (a writer thread per process, the default), ``inline`` (the
committing thread itself; tests use it) or ``manual`` (only
``manage.py search_check --fix``, or a cron job).
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Iterable

from django.apps import apps
from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import F, Model, QuerySet
from haystack import connections
from haystack.exceptions import NotHandled
from haystack.utils import get_model_ct

from search.locks import writer_lock
from search.models import IndexTask

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
MAX_ATTEMPTS = 5


def enqueue(objects: Model | QuerySet | Iterable[Model]) -> None:
    """Queue index updates for one object, a list or a queryset; then nudge the writer.

    Call it inside the transaction that changes the objects.
    """
    if isinstance(objects, Model):
        rows = [(get_model_ct(objects), objects.pk)]
    elif isinstance(objects, QuerySet):
        label = get_model_ct(objects.model)
        rows = [(label, pk) for pk in objects.values_list("pk", flat=True).iterator()]
    else:
        rows = [(get_model_ct(obj), obj.pk) for obj in objects]
    if not rows:
        return
    IndexTask.objects.bulk_create(
        [IndexTask(model=label, object_id=str(pk)) for label, pk in rows], batch_size=500
    )
    transaction.on_commit(nudge)


def nudge() -> None:
    mode = settings.SEARCH_INDEX_UPDATES
    if mode == "inline":
        drain()
    elif mode == "background":
        _writer.wake()


def pending() -> int:
    return IndexTask.objects.filter(attempts__lt=MAX_ATTEMPTS).count()


def drain(blocking: bool = False) -> int:
    """Apply queued updates until the queue is empty; the number of documents written.

    Returns at once (0) when another thread or process holds the writer lock:
    that one drains what we would have.
    """
    written = 0
    while True:
        with writer_lock(blocking=blocking) as acquired:
            if not acquired:
                return written
            done, failures = _drain_locked()
            written += done
        if failures or not IndexTask.objects.filter(attempts__lt=MAX_ATTEMPTS).exists():
            return written


def _drain_locked() -> tuple[int, bool]:
    written = 0
    unified = connections["default"].get_unified_index()
    backend = connections["default"].get_backend()
    failed: list[int] = []  # tried once in this round: the next round retries them
    while True:
        tasks = list(
            IndexTask.objects.filter(attempts__lt=MAX_ATTEMPTS).exclude(pk__in=failed)[:BATCH_SIZE]
        )
        if not tasks:
            return written, bool(failed)
        by_model: dict[str, list[IndexTask]] = defaultdict(list)
        for task in tasks:
            by_model[task.model].append(task)
        for label, model_tasks in by_model.items():
            ids = [task.pk for task in model_tasks]
            try:
                written += _apply(unified, backend, label, {t.object_id for t in model_tasks})
            except Exception:
                logger.exception("Search index update for %s failed; will retry", label)
                IndexTask.objects.filter(pk__in=ids).update(attempts=F("attempts") + 1)
                failed += ids
                continue
            IndexTask.objects.filter(pk__in=ids).delete()


def _apply(unified, backend, label: str, object_ids: set[str]) -> int:
    try:
        model = apps.get_model(label)
        index = unified.get_index(model)
    except (LookupError, NotHandled):
        return 0  # a model that is no longer indexed: nothing to do
    objects = list(index.index_queryset().filter(pk__in=object_ids))
    found = {str(obj.pk) for obj in objects}
    removed = [f"{label}.{object_id}" for object_id in sorted(object_ids - found)]
    return backend.apply(index, objects, removed)


class _Writer:
    """One thread per process that drains the queue when nudged (and now and then)."""

    IDLE_SECONDS = 60

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stopping = False

    def wake(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._stopping = False
                self._thread = threading.Thread(
                    target=self._run, name="search-index-writer", daemon=True
                )
                self._thread.start()
        self._event.set()

    def stop(self, timeout: float = 10) -> None:
        """Finish the current round and end the thread (tests; a clean shutdown)."""
        with self._lock:
            thread, self._stopping = self._thread, True
            self._event.set()
        if thread is not None:
            thread.join(timeout)

    def _run(self) -> None:
        while not self._stopping:
            # A missed nudge (another process held the lock and then died) is picked
            # up on the next idle round.
            self._event.wait(timeout=self.IDLE_SECONDS)
            self._event.clear()
            if self._stopping:
                break
            try:
                close_old_connections()
                drain()
            except Exception:
                logger.exception("Draining the search index queue failed")
            finally:
                connection.close()


_writer = _Writer()
stop_writer = _writer.stop
