"""Background and scheduled jobs on Huey, the way every app declares them.

An app puts its tasks in ``<app>/tasks.py`` (Huey's Django integration imports
them) and declares them with these decorators instead of Huey's own:

* ``job(retries=…)`` — a task that touches the database. Every failure is
  recorded for administrators (``JobFailure``, in the admin and in /healthz) and
  retried with exponential back-off (1, 2, 4 … minutes) until the retries are
  spent. Tasks must be idempotent: a retry, or a second worker picking up the
  same work, must not do anything twice.
* ``periodic(crontab)`` — a scheduled job. Every consumer's scheduler enqueues
  periodic tasks, so with workers on several machines each slot would run once
  per machine: the first worker to claim the slot in the shared cache runs it,
  the others skip it.

Who runs them: with Redis, ``manage.py run_huey`` processes, anywhere. Without it,
the one web process (``start_in_web_process``, from gunicorn's worker hook), in
threads beside the requests: an event a job sends must reach the sockets of that
process, which the in-memory channel layer cannot do from another one.

Tests run tasks at once (``HUEY["immediate"]``); the integration tier starts
real ``run_huey`` consumers against SQLite and Redis.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from huey import crontab
from huey.api import Task
from huey.consumer import Consumer
from huey.consumer_options import ConsumerConfig
from huey.contrib.djhuey import HUEY, close_db
from huey.exceptions import RetryTask
from huey.signals import SIGNAL_ERROR

from workplace.models import JobFailure

logger = logging.getLogger(__name__)

__all__ = ["HUEY", "backoff", "crontab", "job", "periodic"]

# Kept in Huey's own storage, which the workers and the web processes share.
HEARTBEAT_KEY = "werkplek:heartbeat"
MAX_BACKOFF = timedelta(hours=1)


def backoff(attempt: int) -> timedelta:
    """The wait before retry number ``attempt`` (1, 2, 3 …): 1, 2, 4 … minutes, at most an hour."""
    return min(timedelta(minutes=2 ** max(attempt - 1, 0)), MAX_BACKOFF)


def job(*, retries: int = 5, priority: int = 0, name: str | None = None) -> Callable:
    """A background task that retries with back-off and leaves a record of each failure."""

    def decorator(fn: Callable) -> Any:
        @functools.wraps(fn)
        def run(*args, task: Task | None = None, **kwargs):
            try:
                return fn(*args, **kwargs)
            except RetryTask:
                raise
            except Exception:
                if task is not None and task.retries > 0:
                    task.retry_delay = int(backoff(retries - task.retries + 1).total_seconds())
                raise

        wrapped = HUEY.task(
            retries=retries, retry_delay=60, priority=priority, context=True, name=name
        )(close_db(run))
        wrapped.call_local = fn
        return wrapped

    return decorator


def periodic(schedule: Callable, *, name: str | None = None, retries: int = 2) -> Callable:
    """A scheduled job (``schedule`` is a ``crontab``): once per slot, whichever worker wins."""

    def decorator(fn: Callable) -> Any:
        task_name = name or fn.__name__

        @functools.wraps(fn)
        def run(*args, once_per_slot: bool = True, **kwargs):
            # A run enqueued by hand (``task.s(once_per_slot=False)``) is not the
            # scheduler's: it runs even where this minute's scheduled run already did.
            if once_per_slot and not HUEY.immediate:
                slot = timezone.now().replace(second=0, microsecond=0)
                if not cache.add(f"jobs:slot:{task_name}:{slot:%Y%m%d%H%M}", 1, 3600):
                    return None  # another consumer runs this slot
            return fn(*args, **kwargs)

        wrapped = HUEY.periodic_task(schedule, retries=retries, retry_delay=60, name=task_name)(
            close_db(run)
        )
        wrapped.call_local = fn
        return wrapped

    return decorator


@HUEY.signal(SIGNAL_ERROR)
def record_failure(signal: str, task: Task, exc: BaseException | None = None) -> None:
    """Every failed run, for administrators: which task, with what, why, and whether it retries."""
    try:
        JobFailure.objects.create(
            task=task.name[:150],
            task_id=str(task.id)[:64],
            arguments=repr((task.args, task.kwargs))[:500],
            error=f"{type(exc).__name__}: {exc}"[:4000] if exc else "",
            retries_left=max(task.retries, 0),
        )
    except Exception:  # the record must never hide the failure itself
        logger.exception("could not record the failure of %s", task.name)
    logger.error("job %s failed (%s retries left): %s", task.name, task.retries, exc)


class WebProcessConsumer(Consumer):
    """Huey's consumer as threads of a web process, which keeps its own signal handlers:
    the server stops the consumer (``stop_in_web_process``) when it stops."""

    def _set_signal_handlers(self) -> None:
        """Installs none: SIGTERM and SIGINT stay gunicorn's, whose worker hook stops us."""


_web_process_consumer: Consumer | None = None


def start_in_web_process() -> None:
    """Start the workers and the scheduler in this process, where the settings say so."""
    global _web_process_consumer
    if not settings.JOBS_IN_WEB_PROCESS or HUEY.immediate or _web_process_consumer:
        return
    autodiscover_modules("tasks")  # as run_huey does
    config = ConsumerConfig(**settings.HUEY.get("consumer", {}))
    config.validate()
    _web_process_consumer = WebProcessConsumer(HUEY, **config.values)
    _web_process_consumer.start()


def stop_in_web_process() -> None:
    """Let the jobs in progress finish, and start no new one."""
    global _web_process_consumer
    if _web_process_consumer is not None:
        _web_process_consumer.stop(graceful=True)
        _web_process_consumer = None


def beat() -> None:
    """Called by the heartbeat job: the health check knows the workers run."""
    HUEY.put(HEARTBEAT_KEY, timezone.now().isoformat())


def health() -> dict[str, Any]:
    """For /healthz: the queue's length, recent failures, and the workers' last heartbeat."""
    since = timezone.now() - timedelta(hours=24)
    failures = JobFailure.objects.filter(failed__gte=since, retries_left=0).count()
    result: dict[str, Any] = {"pending": HUEY.pending_count(), "gave_up_24h": failures}
    if HUEY.immediate:
        result.update(ok=True, mode="immediate")
        return result
    last = HUEY.get(HEARTBEAT_KEY, peek=True)
    result["last_heartbeat"] = last
    if last is None:
        where = "the web process" if settings.JOBS_IN_WEB_PROCESS else "manage.py run_huey"
        result.update(ok=False, error=f"no worker has run yet ({where})")
        return result
    age = timezone.now() - datetime.fromisoformat(last)
    result["ok"] = age < timedelta(minutes=3)
    if not result["ok"]:
        result["error"] = f"no heartbeat for {int(age.total_seconds())} s"
    return result
