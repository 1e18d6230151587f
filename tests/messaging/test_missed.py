"""A direct message unread for a few minutes, with Werkplek closed, becomes a notification."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from messaging import actions
from messaging.missed import notify_missed
from messaging.models import Preferences
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def lines_for(user):
    return list(Notification.objects.filter(recipient=user, kind="message"))


def test_an_unread_message_is_notified_once_after_the_delay(alice, bob, direct, settings):
    settings.MESSAGE_NOTIFY_AFTER_MINUTES = 5
    sent_at = timezone.now()
    with time_machine.travel(sent_at, tick=False):
        actions.send_message(alice, direct.pk, "Kan je morgen de sleutel brengen?")
    with time_machine.travel(sent_at + timedelta(minutes=2), tick=False):
        assert notify_missed() == 0  # too early: bob may still read it in the app
    with time_machine.travel(sent_at + timedelta(minutes=6), tick=False):
        assert notify_missed() == 1
        assert notify_missed() == 0  # the next run tells nobody again
    [line] = lines_for(bob)
    assert line.actor == alice and "sleutel" in line.title
    assert line.url.startswith(direct.get_absolute_url())
    assert lines_for(alice) == []  # never the sender


def test_a_message_read_in_time_stays_in_the_app(alice, bob, direct):
    sent_at = timezone.now()
    with time_machine.travel(sent_at, tick=False):
        message, _created = actions.send_message(alice, direct.pk, "Gelezen?")
        actions.mark_read(bob, direct.pk, message.pk)
    with time_machine.travel(sent_at + timedelta(minutes=10), tick=False):
        assert notify_missed() == 0
    assert lines_for(bob) == []


def test_nobody_is_notified_while_werkplek_is_open(alice, bob, direct):
    sent_at = timezone.now()
    with time_machine.travel(sent_at, tick=False):
        actions.send_message(alice, direct.pk, "Ben je daar?")
    # Bob's open socket kept his presence fresh until a minute ago.
    Preferences.objects.create(user=bob, last_seen=sent_at + timedelta(minutes=9))
    with time_machine.travel(sent_at + timedelta(minutes=10), tick=False):
        assert notify_missed() == 0


def test_a_muted_conversation_and_later_messages_of_the_streak_do_not_add_lines(
    alice, bob, dave, direct, group
):
    sent_at = timezone.now()
    group.memberships.filter(user=dave).update(muted=True)
    with time_machine.travel(sent_at, tick=False):
        actions.send_message(alice, direct.pk, "Eén")
        actions.send_message(alice, group.pk, "Voor de ploeg")
    with time_machine.travel(sent_at + timedelta(minutes=1), tick=False):
        actions.send_message(alice, direct.pk, "Twee")
    with time_machine.travel(sent_at + timedelta(minutes=10), tick=False):
        notify_missed()
    assert len(lines_for(bob)) == 2  # one per conversation, not per message
    assert lines_for(dave) == []
