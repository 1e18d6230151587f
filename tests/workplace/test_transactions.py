"""send_on_commit: other apps hear of a change only once it is in the database."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.dispatch import Signal

from workplace.transactions import send_on_commit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def heard():
    signal = Signal()
    calls: list[dict] = []

    def receiver(sender, **kwargs) -> None:
        calls.append({"sender": sender, **{k: v for k, v in kwargs.items() if k != "signal"}})

    signal.connect(receiver, weak=False)
    return signal, calls


def test_it_sends_after_the_transaction_commits(heard):
    signal, calls = heard
    with transaction.atomic():
        send_on_commit(signal, "kus", directive=1)
        assert calls == []
    assert calls == [{"sender": "kus", "directive": 1}]


def test_it_sends_nothing_when_the_transaction_rolls_back(heard):
    signal, calls = heard
    with pytest.raises(RuntimeError), transaction.atomic():
        send_on_commit(signal, "kus", directive=1)
        raise RuntimeError
    assert calls == []


def test_it_sends_at_once_outside_a_transaction(heard):
    signal, calls = heard
    send_on_commit(signal, "surveys", survey=2)
    assert calls == [{"sender": "surveys", "survey": 2}]
