"""An announcement notifies everyone it addresses, and nobody else."""

from __future__ import annotations

import pytest

from notifications.models import Notification
from streams import actions

pytestmark = pytest.mark.django_db


def told(kind: str = "announcement") -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_an_announcement_to_all_staff_notifies_everyone_but_its_author(lies, alice, bob, carol):
    actions.create_post(lies, "De stadhuistoren is dicht tot maandag", is_announcement=True)
    assert told() == {"alice", "bob", "carol"}
    line = Notification.objects.get(recipient=alice)
    assert line.title.startswith("De stadhuistoren") and line.actor == lies


def test_a_department_announcement_reaches_that_department_and_those_below_only(
    organisation, lies, alice, bob, carol
):
    actions.create_post(
        lies,
        "Werf Noord: nieuwe werkkledij",
        audience_kind="department",
        department=organisation["civil"],
        is_announcement=True,
    )
    assert told() == {"carol"}


def test_an_ordinary_post_notifies_nobody_and_a_mention_is_told_once(lies, alice, bob):
    actions.create_post(alice, "Taart in de refter")
    assert told() == set()
    actions.create_post(lies, "Vraag voor @alice: de sleutels?", is_announcement=True)
    assert told() == {"bob"} and told("mention") == {"alice"}
