"""Reading messaging: what to show of the conversations the user may see.

Who may see which conversation and message is ``messaging.access``.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from messaging.access import my_conversation_ids
from messaging.events import MessagePayload
from messaging.models import (
    Conversation,
    ConversationKind,
    Membership,
    Message,
    Preferences,
)
from workplace.models import Employee

ONLINE_WINDOW = timedelta(seconds=90)


def conversations_for(user: Employee) -> QuerySet[Conversation]:
    """My conversations, newest activity first, each with ``unread`` and ``muted``."""
    mine = Membership.objects.filter(user=user, conversation=OuterRef("pk"))
    unread = (
        Message.objects.filter(
            conversation=OuterRef("pk"),
            id__gt=Subquery(
                Membership.objects.filter(user=user, conversation=OuterRef("conversation")).values(
                    "last_read_id"
                )[:1]
            ),
            deleted__isnull=True,
        )
        .exclude(sender=user)
        .order_by()
        .values("conversation")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        Conversation.objects.filter(Exists(mine))
        .annotate(
            unread=Coalesce(Subquery(unread[:1]), 0),
            muted=Subquery(mine.values("muted")[:1]),
            preview=Subquery(
                Message.objects.filter(pk=OuterRef("last_message_id")).values("body")[:1]
            ),
        )
        .select_related("space")
        # A join, not ``memberships__user``: that would fetch the users with one IN list
        # of every member's id, which SQLite refuses for a group of 1,000.
        .prefetch_related(Prefetch("memberships", Membership.objects.select_related("user")))
        .order_by("-last_activity", "-pk")
    )


def unread_total(user: Employee) -> int:
    """Unread messages in all my conversations that I have not muted (the nav badge)."""
    return (
        Message.objects.filter(
            Exists(
                Membership.objects.filter(
                    user=user,
                    muted=False,
                    conversation=OuterRef("conversation"),
                    last_read_id__lt=OuterRef("pk"),
                )
            ),
            deleted__isnull=True,
        )
        .exclude(sender=user)
        .count()
    )


def messages_of(conversation: Conversation) -> QuerySet[Message]:
    return conversation.messages.select_related("sender", "reply_to__sender")


def messages_since(user: Employee, since: int, limit: int = 200) -> list[Message]:
    """Messages of all my conversations after id ``since``, oldest first (catch-up)."""
    return list(
        Message.objects.filter(conversation__in=my_conversation_ids(user), pk__gt=since)
        .select_related("sender")
        .order_by("pk")[:limit]
    )


def changed_since(user: Employee, since: int, moment, limit: int = 500) -> list[Message]:
    """Messages up to id ``since`` that were edited or deleted after ``moment``."""
    return list(
        Message.objects.filter(
            conversation__in=my_conversation_ids(user), pk__lte=since, changed__gt=moment
        )
        .select_related("sender")
        .order_by("changed")[:limit]
    )


def search_messages(user: Employee, query: str) -> QuerySet[Message]:
    query = query.strip()[:200]
    messages = Message.objects.filter(
        conversation__in=my_conversation_ids(user), deleted__isnull=True
    ).select_related("sender", "conversation")
    if not query:
        return messages.none()
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        words = SearchQuery(query, config="dutch", search_type="websearch")
        return (
            messages.annotate(document=SearchVector("body", config="dutch"))
            .filter(Q(document=words) | Q(body__icontains=query))
            .order_by("-pk")
        )
    for term in query.split()[:5]:
        messages = messages.filter(body__icontains=term)
    return messages.order_by("-pk")


def preferences(user: Employee) -> Preferences:
    return Preferences.objects.get_or_create(user=user)[0]


def presence_of(user: Employee, viewer: Employee) -> dict:
    """``{"online": bool, "last_seen": datetime|None}`` if both share presence, else {}."""
    return presence_for([user], viewer).get(user.pk, {})


def presence_partners(user_id: int) -> list[int]:
    """The other person of each of my direct conversations, if they share presence.

    (Whether I share mine is the caller's question.)"""
    return list(
        Membership.objects.filter(
            conversation__kind=ConversationKind.DIRECT,
            conversation__memberships__user_id=user_id,
        )
        .exclude(user_id=user_id)
        .exclude(user__messaging_preferences__show_presence=False)
        .values_list("user_id", flat=True)
    )


def presence_for(users: list[Employee], viewer: Employee) -> dict[int, dict]:
    """``presence_of`` for several people in one query: by user id, only those shown."""
    prefs = {
        p.user_id: p
        for p in Preferences.objects.filter(user__in=[viewer.pk, *(u.pk for u in users)])
    }
    own = prefs.get(viewer.pk)
    if own and not own.show_presence:
        return {}
    now, shown = timezone.now(), {}
    for user in users:
        theirs = prefs.get(user.pk)
        if theirs and not theirs.show_presence:
            continue
        last_seen = theirs.last_seen if theirs else None
        away = theirs is not None and theirs.away_since is not None  # their last socket closed
        online = bool(last_seen and now - last_seen < ONLINE_WINDOW and not away)
        shown[user.pk] = {"online": online, "last_seen": last_seen}
    return shown


def readers_of(conversation: Conversation, viewer: Employee) -> dict[int, int]:
    """Read pointers of the others who share receipts, by user id (empty if I do not)."""
    sharing = Preferences.objects.filter(read_receipts=False).values("user_id")
    if Preferences.objects.filter(user=viewer, read_receipts=False).exists():
        return {}
    return dict(
        Membership.objects.filter(conversation=conversation)
        .exclude(user=viewer)
        .exclude(user_id__in=sharing)
        .values_list("user_id", "last_read_id")
    )


def message_payload(message: Message) -> MessagePayload:
    sender = message.sender
    deleted = message.is_deleted
    attachment = None
    if message.attachment and not deleted:
        attachment = {
            "name": message.attachment_name,
            "url": reverse("messaging:attachment", args=[message.pk]),
            "size": message.attachment_size,
            "image": message.attachment_is_image,
            "width": message.attachment_width,
            "height": message.attachment_height,
            "thumbnail": (
                reverse("messaging:thumbnail", args=[message.pk])
                if message.attachment_thumbnail
                else None
            ),
        }
    return {
        "id": message.pk,
        "conversation": message.conversation_id,
        "sender": {
            "id": message.sender_id,
            "username": sender.username if sender else "",
            "name": str(sender) if sender else _("Former colleague"),
        },
        "body": "" if deleted else message.body,
        "html": message.html,
        "created": message.created.isoformat(),
        "client_id": message.client_id,
        "edited": message.edited.isoformat() if message.edited else None,
        "deleted": deleted,
        "reply_to": message.reply_to_id,
        "attachment": attachment,
    }


def conversation_payload(conversation: Conversation, user: Employee) -> dict:
    members = [m.user for m in conversation.memberships.all()]
    return {
        "id": conversation.pk,
        "kind": conversation.kind,
        "name": conversation.title_for(user),
        "members": sorted(m.username for m in members),
        "unread": getattr(conversation, "unread", 0),
        "muted": bool(getattr(conversation, "muted", False)),
        "last_message": conversation.last_message_id or None,
        "preview": (getattr(conversation, "preview", None) or "")[:140],
        "space": conversation.space.slug if conversation.space_id else None,
        "url": conversation.get_absolute_url(),
    }


def member_ids(conversation_id: int) -> list[int]:
    return list(
        Membership.objects.filter(conversation_id=conversation_id).values_list("user_id", flat=True)
    )
