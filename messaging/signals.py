"""Membership ends, whatever ended it: an action, the admin, a deleted conversation."""

from __future__ import annotations

from django.db.models.signals import post_delete
from django.dispatch import receiver

from messaging.events import conversation_removed
from messaging.models import Membership
from workplace.realtime import send_event_on_commit


@receiver(post_delete, sender=Membership, dispatch_uid="messaging_membership_removed")
def announce_removal(sender, instance: Membership, **kwargs) -> None:
    # Sent on the user's own channel: their sockets stop trusting the membership
    # before any later event of this conversation reaches them (see consumers.py).
    send_event_on_commit([instance.user_id], conversation_removed(instance.conversation_id))
