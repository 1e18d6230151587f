"""Messages nobody read: after a few minutes with Werkplek closed, they go out by push or e-mail.

A message that its recipient reads within ``MESSAGE_NOTIFY_AFTER_MINUTES``, or
that arrives while they have Werkplek open (their socket keeps ``last_seen``
fresh), stays in the app. Otherwise the recipient gets one notification per
conversation ("Bob stuurde je een bericht"), delivered like every other: on the
channels they chose, within their working hours. Later messages of the same
unread streak join that line instead of starting new ones.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from messaging.models import Membership, Message
from notifications.actions import notify
from notifications.models import NotificationKind
from notifications.queries import told_since

# How far back a run looks: a worker that was down this long still catches up.
LOOK_BACK = timedelta(hours=2)


def group_key(conversation_id: int) -> str:
    return f"message:{conversation_id}"


def snippet(message: Message) -> str:
    text = " ".join(message.body.split())
    if not text and message.attachment_name:
        text = _("Attachment: %(name)s") % {"name": message.attachment_name}
    return text[:120]


def notify_missed(now: datetime | None = None) -> int:
    """Notify the recipients of messages unread for long enough; returns how many were told."""
    now = now or timezone.now()
    quiet_since = now - timedelta(minutes=settings.MESSAGE_NOTIFY_AFTER_MINUTES)
    messages = (
        Message.objects.filter(created__lte=quiet_since, created__gte=now - LOOK_BACK, deleted=None)
        .exclude(sender=None)
        .select_related("sender", "conversation")
        .order_by("conversation_id", "id")
    )
    told = 0
    for message in messages:
        waiting = (
            Membership.objects.filter(
                conversation_id=message.conversation_id,
                muted=False,
                last_read_id__lt=message.pk,
                joined__lte=message.created,
            )
            .exclude(user_id=message.sender_id)
            .filter(user__is_active=True)
            # Werkplek open in the last few minutes (the socket keeps last_seen fresh): seen there.
            .filter(
                Q(user__messaging_preferences__isnull=True)
                | Q(user__messaging_preferences__last_seen=None)
                | Q(user__messaging_preferences__last_seen__lt=quiet_since)
            )
            .values_list("user_id", flat=True)
        )
        key = group_key(message.conversation_id)
        # Once per message: nobody is told again about what a line since this message covers.
        already = told_since(waiting, key, message.created)
        recipients = [pk for pk in waiting if pk not in already]
        if not recipients:
            continue
        with transaction.atomic():
            told += len(
                notify(
                    recipients,
                    NotificationKind.MESSAGE,
                    message.conversation,
                    actor=message.sender,
                    title=snippet(message),
                    url=message.get_absolute_url(),
                    group_key=key,
                    merge=True,
                )
            )
    return told
