"""Signals that other apps hear only once the change is in the database."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.dispatch import Signal


def send_on_commit(signal: Signal, sender: Any, **kwargs: Any) -> None:
    """Send ``signal`` after the current transaction commits (at once outside one).

    A rolled-back change sends nothing, and a receiver always finds the rows it
    is told about. The arguments are taken now: pass objects, not values that
    the rest of the transaction may still change.
    """
    transaction.on_commit(partial(signal.send, sender=sender, **kwargs))
