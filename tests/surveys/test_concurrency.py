"""Double taps and simultaneous submits on PostgreSQL: still one answer per person."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from surveys import actions
from surveys.models import Participation, Response
from tests.surveys.conftest import question

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def at_once(count: int, work) -> list:
    """Run ``work`` in ``count`` threads released together; their results or exceptions."""
    barrier = threading.Barrier(count)
    outcomes: list = []

    def run():
        barrier.wait()
        try:
            outcomes.append(work())
        except Exception as error:
            outcomes.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_taps_on_start_make_one_participation(bob, gentco):
    outcomes = at_once(2, lambda: actions.start(gentco, bob))
    assert not [o for o in outcomes if isinstance(o, Exception)]
    assert Participation.objects.filter(survey=gentco, employee=bob).count() == 1


def test_simultaneous_submits_store_one_response(bob, gentco):
    key = question(gentco, "leesfrequentie")
    participation = actions.start(gentco, bob)
    participation.draft = {
        key.key: {"choice": "Nooit"},
        question(gentco, "waarom-niet").key: {"choices": ["Ik heb er geen tijd voor"]},
        question(gentco, "aanbevelen").key: 5,
    }
    participation.save(update_fields=["draft"])
    outcomes = at_once(3, lambda: actions.submit(gentco, bob))
    refused = [o for o in outcomes if isinstance(o, actions.SurveyError)]
    assert len(refused) == 2
    assert Response.objects.filter(survey=gentco).count() == 1
