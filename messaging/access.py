"""Who may see which conversation and message: fetch and authorize in one call.

Every page, API view and WebSocket frame fetches through these helpers; they
raise Http404 for what the user may not know exists.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from messaging.models import Membership, Message
from workplace.models import Employee


def my_conversation_ids(user: Employee) -> QuerySet:
    return Membership.objects.filter(user=user).values("conversation_id")


def access_conversation(user: Employee, conversation_id: int | str) -> Membership:
    """The user's membership of the conversation, or 404 for anyone who is not a member."""
    try:
        conversation_id = int(conversation_id)
    except (TypeError, ValueError):
        raise Http404 from None
    membership = (
        Membership.objects.select_related("conversation")
        .filter(user=user, conversation_id=conversation_id, user__is_active=True)
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def access_message(user: Employee, message_id: int | str) -> Message:
    try:
        message_id = int(message_id)
    except (TypeError, ValueError):
        raise Http404 from None
    message = (
        Message.objects.select_related("conversation", "sender")
        .filter(pk=message_id, conversation__in=my_conversation_ids(user))
        .first()
    )
    if message is None:
        raise Http404
    return message
