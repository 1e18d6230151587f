"""The verbs of messaging: each validates, authorizes, writes in a transaction
and sends its events only after the transaction commits.

Pages, the JSON API and the WebSocket frames all call these functions; none of
them writes on its own. Bad input raises ``MessagingError`` with a stable code
and a Dutch sentence for the user.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from messaging import events
from messaging.access import access_conversation, access_message
from messaging.formatting import mentioned_usernames
from messaging.models import (
    EDIT_WINDOW_MINUTES,
    MAX_BODY,
    MAX_GROUP_MEMBERS,
    Conversation,
    ConversationKind,
    MemberRole,
    Membership,
    Message,
    Preferences,
    PresenceSocket,
)
from messaging.queries import ONLINE_WINDOW, member_ids, message_payload, presence_partners
from workplace import files
from workplace.files.images import clean_image
from workplace.models import Employee
from workplace.realtime import (
    Event,
    join_on_commit,
    send_event_on_commit,
    send_group_event_on_commit,
)

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# Twice the 240 CSS pixels a photo takes in a conversation, for sharp phone screens.
THUMBNAIL_SIDE = 480
MAX_CLIENT_ID = 64
# An allow-list (workplace.files): photos are re-encoded, the rest are downloads.
ATTACHMENTS = files.UploadPolicy(
    name="messaging",
    types=(*files.IMAGES, *files.DOCUMENTS),
    max_bytes=MAX_ATTACHMENT_BYTES,
    image_max_side=2560,
    too_large=gettext_lazy("An attachment is at most %(mb)s MB."),
    refused=gettext_lazy("This kind of file cannot be sent. You can send: %(types)s."),
)


class MessagingError(Exception):
    """Input we refuse, with a code for programs and a sentence for people."""

    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code, self.detail = code, detail


# --- conversations ---------------------------------------------------------------


def _check_active(users: Iterable[Employee]) -> None:
    for user in users:
        if not user.is_active:
            raise MessagingError(
                "inactive_member", _("%(name)s no longer works here.") % {"name": user}
            )


def get_or_create_direct(user: Employee, other: Employee) -> tuple[Conversation, bool]:
    """The one direct conversation of this pair, created on first use."""
    if other.pk == user.pk:
        raise MessagingError("self", _("You cannot start a conversation with yourself."))
    _check_active([other])
    low, high = sorted([user.pk, other.pk])
    key = f"{low}:{high}"
    existing = Conversation.objects.filter(direct_key=key).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            conversation = Conversation.objects.create(
                kind=ConversationKind.DIRECT, direct_key=key, created_by=user
            )
            Membership.objects.bulk_create(
                [
                    Membership(conversation=conversation, user=user, role=MemberRole.ADMIN),
                    Membership(conversation=conversation, user=other, role=MemberRole.ADMIN),
                ]
            )
            join_on_commit([user.pk, other.pk], events.conversation_group(conversation.pk))
    except IntegrityError:  # the other person started it at the same moment
        return Conversation.objects.get(direct_key=key), False
    return conversation, True


def spaces_for(user: Employee) -> QuerySet:
    """The spaces a group of mine may be attached to: those I am an active member of."""
    from streams.models import MembershipStatus, Space

    return Space.objects.filter(
        memberships__employee=user, memberships__status=MembershipStatus.ACTIVE
    )


def create_group(
    user: Employee, name: str, members: Sequence[Employee], space=None
) -> Conversation:
    name = name.strip()
    if not name:
        raise MessagingError("name_required", _("Give the group a name."))
    if len(name) > 100:
        raise MessagingError("name_too_long", _("A group name has at most 100 characters."))
    others = {m.pk: m for m in members if m.pk != user.pk}
    if len(others) + 1 > MAX_GROUP_MEMBERS:
        raise MessagingError(
            "too_many_members",
            _("A group has at most %(max)s members.") % {"max": MAX_GROUP_MEMBERS},
        )
    _check_active(others.values())
    if space is not None and not spaces_for(user).filter(pk=space.pk).exists():
        raise MessagingError("space", _("You can only attach a group to a space you are in."))
    with transaction.atomic():
        conversation = Conversation.objects.create(
            kind=ConversationKind.GROUP, name=name, created_by=user, space=space
        )
        Membership.objects.bulk_create(
            [Membership(conversation=conversation, user=user, role=MemberRole.ADMIN)]
            + [Membership(conversation=conversation, user=member) for member in others.values()]
        )
        join_on_commit([user.pk, *others], events.conversation_group(conversation.pk))
        send_event_on_commit([user.pk, *others], events.conversation_update(conversation.pk))
    return conversation


def _require_group_admin(membership: Membership) -> None:
    if membership.conversation.is_direct:
        raise MessagingError("direct", _("A direct conversation has exactly two people."))
    if not membership.is_admin:
        raise MessagingError("not_admin", _("Only the group's admins can change its members."))


def add_members(actor: Employee, conversation_id: int, users: Sequence[Employee]) -> int:
    """Add people to a group (admins only); returns how many were new."""
    membership = access_conversation(actor, conversation_id)
    _require_group_admin(membership)
    _check_active(users)
    conversation = membership.conversation
    with transaction.atomic():
        # Lock the conversation so that two admins adding at once respect the limit.
        Conversation.objects.select_for_update().filter(pk=conversation.pk).first()
        present = set(
            Membership.objects.filter(conversation=conversation).values_list("user_id", flat=True)
        )
        new = [u for u in {u.pk: u for u in users}.values() if u.pk not in present]
        if len(present) + len(new) > MAX_GROUP_MEMBERS:
            raise MessagingError(
                "too_many_members",
                _("A group has at most %(max)s members.") % {"max": MAX_GROUP_MEMBERS},
            )
        # New members read from now on: the history is there, but not as unread.
        Membership.objects.bulk_create(
            [
                Membership(
                    conversation=conversation, user=u, last_read_id=conversation.last_message_id
                )
                for u in new
            ]
        )
        join_on_commit([u.pk for u in new], events.conversation_group(conversation.pk))
        send_event_on_commit(
            present | {u.pk for u in new}, events.conversation_update(conversation.pk)
        )
    return len(new)


def remove_member(actor: Employee, conversation_id: int, user: Employee) -> None:
    """An admin removes someone, or someone leaves (``actor == user``)."""
    membership = access_conversation(actor, conversation_id)
    conversation = membership.conversation
    if actor.pk != user.pk:
        _require_group_admin(membership)
    elif conversation.is_direct:
        raise MessagingError("direct", _("You cannot leave a direct conversation; mute it."))
    with transaction.atomic():
        deleted, _rows = Membership.objects.filter(conversation=conversation, user=user).delete()
        if not deleted:
            raise MessagingError(
                "not_a_member", _("%(name)s is not in this group.") % {"name": user}
            )
        remaining = Membership.objects.filter(conversation=conversation)
        if not remaining.filter(role=MemberRole.ADMIN).exists():
            # A group is never left without someone who can manage it.
            successor = remaining.order_by("joined", "pk").first()
            if successor:
                successor.role = MemberRole.ADMIN
                successor.save(update_fields=["role"])
        send_event_on_commit(
            remaining.values_list("user_id", flat=True),
            events.conversation_update(conversation.pk),
        )
        # conversation.removed goes out from messaging.signals, for every way out.


def rename_group(actor: Employee, conversation_id: int, name: str) -> None:
    membership = access_conversation(actor, conversation_id)
    _require_group_admin(membership)
    name = name.strip()
    if not name or len(name) > 100:
        raise MessagingError("name_required", _("Give the group a name of at most 100 characters."))
    with transaction.atomic():
        Conversation.objects.filter(pk=membership.conversation_id).update(name=name)
        send_event_on_commit(
            member_ids(membership.conversation_id),
            events.conversation_update(membership.conversation_id),
        )


def set_admin(actor: Employee, conversation_id: int, user: Employee, admin: bool) -> None:
    membership = access_conversation(actor, conversation_id)
    _require_group_admin(membership)
    role = MemberRole.ADMIN if admin else MemberRole.MEMBER
    with transaction.atomic():
        Membership.objects.filter(conversation_id=conversation_id, user=user).update(role=role)
        if not Membership.objects.filter(
            conversation_id=conversation_id, role=MemberRole.ADMIN
        ).exists():
            raise MessagingError("last_admin", _("A group needs at least one admin."))


def set_muted(user: Employee, conversation_id: int, muted: bool) -> None:
    membership = access_conversation(user, conversation_id)
    Membership.objects.filter(pk=membership.pk).update(muted=muted)


# --- messages --------------------------------------------------------------------


def clean_client_id(client_id: object) -> str:
    if client_id in (None, ""):
        return uuid.uuid4().hex
    if not isinstance(client_id, str) or len(client_id) > MAX_CLIENT_ID:
        raise MessagingError(
            "invalid_client_id", _("client_id is a text of at most 64 characters, e.g. a UUID.")
        )
    return client_id


def clean_body(body: object, *, allow_empty: bool = False) -> str:
    if not isinstance(body, str):
        raise MessagingError("invalid_body", _("The message must be text."))
    body = body.strip()
    if not body and not allow_empty:
        raise MessagingError("empty_body", _("Type a message first."))
    if len(body) > MAX_BODY:
        raise MessagingError(
            "body_too_long",
            _("A message has at most %(max)s characters; this one has %(length)s.")
            % {"max": f"{MAX_BODY:,}".replace(",", "."), "length": len(body)},
        )
    return body


def clean_attachment(upload: UploadedFile | None) -> files.CheckedFile | None:
    """The upload checked and cleaned, or MessagingError with ``attachment_<reason>``."""
    if upload is None:
        return None
    limit = settings.MESSAGING_MAX_ATTACHMENT_BYTES
    try:
        return files.accept_upload(upload, ATTACHMENTS.with_max_bytes(limit))
    except files.FileRejected as error:
        code = {"too_large": "attachment_too_large", "type": "attachment_type"}.get(
            error.code, f"attachment_{error.code}"
        )
        raise MessagingError(code, error.detail) from None


def thumbnail_of(checked: files.CheckedFile) -> ContentFile:
    """A small copy of a cleaned photo, for the conversation (a phone's data plan
    pays for 30 KB, not for the 2,560 px original, per photo in view)."""
    data, kind = clean_image(checked.content, max_side=THUMBNAIL_SIDE)
    return ContentFile(data, name=f"thumbnail{kind.extension}")


def image_size(checked: files.CheckedFile | None) -> tuple[int, int]:
    """A cleaned photo's width and height, (0, 0) for anything else.

    Reads only the header of bytes that ``clean_image`` wrote a moment ago."""
    if checked is None or not checked.is_image:
        return 0, 0
    from PIL import Image

    with Image.open(io.BytesIO(checked.content)) as image:
        return image.size


def send_message(
    user: Employee,
    conversation_id: int | str,
    body: object,
    client_id: object = None,
    *,
    reply_to: int | str | None = None,
    attachment: UploadedFile | None = None,
) -> tuple[Message, bool]:
    """Store a message and announce it to every member after commit.

    Idempotent per ``(sender, client_id)``: a retry returns the original message
    with ``created=False`` and announces nothing again.
    """
    client_id = clean_client_id(client_id)
    existing = Message.objects.select_related("sender").filter(sender=user, client_id=client_id)
    if (original := existing.first()) is not None:
        return original, False
    membership = access_conversation(user, conversation_id)
    conversation = membership.conversation
    checked = clean_attachment(attachment)
    body = clean_body(body, allow_empty=checked is not None)
    reply = None
    if reply_to not in (None, ""):
        try:
            reply = conversation.messages.filter(pk=int(reply_to)).first()
        except (TypeError, ValueError):
            reply = None
        if reply is None:
            raise MessagingError("invalid_reply", _("The message you reply to is not here."))
    message = Message(
        conversation=conversation, sender=user, client_id=client_id, body=body, reply_to=reply
    )
    if checked is not None:
        message.attachment = checked.as_file()
        message.attachment_name = checked.name[:255]
        message.attachment_size = checked.size
        message.attachment_is_image = checked.is_image
        message.attachment_width, message.attachment_height = image_size(checked)
        if checked.is_image:
            message.attachment_thumbnail = thumbnail_of(checked)
    try:
        with transaction.atomic():
            message.save()
            Conversation.objects.filter(pk=conversation.pk).update(
                last_message_id=message.pk, last_activity=message.created
            )
            # My own message is read by me, on every device.
            Membership.objects.filter(pk=membership.pk).update(last_read_id=message.pk)
            if names := mentioned_usernames(body):
                message.mentions.set(
                    Employee.objects.filter(
                        username__in=names, memberships__conversation=conversation
                    )
                )
            _send_to_conversation_on_commit(
                conversation.pk,
                events.message_new(message_payload(message), direct=conversation.is_direct),
            )
    except IntegrityError:
        # The same client_id raced in from another socket: that one won.
        original = existing.first()
        if original is None:
            raise
        return original, False
    return message, True


def edit_message(user: Employee, message_id: int | str, body: object) -> Message:
    message = access_message(user, message_id)
    if message.sender_id != user.pk:
        raise MessagingError("not_yours", _("You can only change your own messages."))
    if not message.can_edit(user):
        raise MessagingError(
            "edit_window",
            _("A message can be changed up to %(minutes)s minutes after sending.")
            % {"minutes": EDIT_WINDOW_MINUTES},
        )
    message.body = clean_body(body)
    message.edited = message.changed = timezone.now()
    with transaction.atomic():
        message.save(update_fields=["body", "edited", "changed"])
        _announce_update(message)
    return message


def delete_message(user: Employee, message_id: int | str) -> Message:
    """Leave a tombstone: the place in the conversation stays, the content goes."""
    message = access_message(user, message_id)
    if message.sender_id != user.pk:
        raise MessagingError("not_yours", _("You can only delete your own messages."))
    if message.is_deleted:
        return message
    message.deleted = message.changed = timezone.now()
    message.body = ""
    with transaction.atomic():
        if message.attachment:
            message.attachment.delete(save=False)
        if message.attachment_thumbnail:
            message.attachment_thumbnail.delete(save=False)
        message.attachment_name, message.attachment_size = "", 0
        message.save(
            update_fields=[
                "deleted",
                "changed",
                "body",
                "attachment",
                "attachment_thumbnail",
                "attachment_name",
                "attachment_size",
            ]
        )
        message.mentions.clear()
        _announce_update(message)
    return message


def _announce_update(message: Message) -> None:
    message.__dict__.pop("html", None)
    _send_to_conversation_on_commit(
        message.conversation_id, events.message_update(message_payload(message))
    )


# Up to this many members a conversation's events go to each member's own sockets, which
# listen from the moment they open. Beyond it, one event to the conversation's group, for
# the fan-out's sake: a socket joins that group when it opens or, when its user is added,
# a moment after the commit, so the first message of a new direct conversation or small
# group, sent right after it was made, would miss the other's open socket.
PER_MEMBER_DELIVERY_UP_TO = 50
# Members added this recently get a big conversation's events on their own sockets too:
# theirs may not have joined its group yet (the join is a message of its own, which a
# busy socket reads a moment later). A socket reached both ways forwards the event once.
JOINING_GRACE = timedelta(seconds=30)


def _send_to_conversation_on_commit(conversation_id: int, event: Event) -> None:
    """Send ``event`` to the conversation's members' sockets after commit; each socket
    re-checks the membership either way."""
    members = Membership.objects.filter(conversation_id=conversation_id)
    few = list(members.values_list("user_id", flat=True)[: PER_MEMBER_DELIVERY_UP_TO + 1])
    if len(few) <= PER_MEMBER_DELIVERY_UP_TO:
        send_event_on_commit(few, event)
        return
    joining = members.filter(joined__gte=timezone.now() - JOINING_GRACE)
    send_group_event_on_commit(
        events.conversation_group(conversation_id),
        event,
        also_to=joining.values_list("user_id", flat=True),
    )


def mark_read(user: Employee, conversation_id: int | str, message_id: object) -> int:
    """Move my read pointer forward (never back); returns the pointer."""
    membership = access_conversation(user, conversation_id)
    try:
        read_up_to = int(message_id)  # type: ignore[call-overload]  # a form's or a frame's
    except (TypeError, ValueError):
        raise MessagingError("invalid_message", _("Say which message you have read.")) from None
    # Reading past the end is reading to the end.
    read_up_to = min(read_up_to, membership.conversation.last_message_id)
    if read_up_to <= membership.last_read_id:
        return membership.last_read_id
    with transaction.atomic():
        Membership.objects.filter(pk=membership.pk, last_read_id__lt=read_up_to).update(
            last_read_id=read_up_to
        )
        event = events.read(membership.conversation_id, user.pk, read_up_to)
        shares = not Preferences.objects.filter(user=user, read_receipts=False).exists()
        others = Membership.objects.filter(conversation_id=membership.conversation_id).exclude(
            user__messaging_preferences__read_receipts=False
        )
        # Everyone who shares receipts learns of it; my own devices always do (unread counts).
        recipients = set(others.values_list("user_id", flat=True)) if shares else set()
        send_event_on_commit(recipients | {user.pk}, event)
    return read_up_to


def touch_presence(user_id: int, socket: str | None = None) -> bool:
    """A heartbeat: mark someone seen now. Returns whether they came online with it.

    Coming online (not seen in the last ``ONLINE_WINDOW``, or announced away since)
    is told at once, after commit, to the other person of each of their direct
    conversations who shares presence, so that both sides see each other without
    waiting for their own next heartbeat. ``socket`` (its channel name) is recorded
    as open, so that its close can tell whether it was their last
    (``announce_if_away``).
    """
    now = timezone.now()
    with transaction.atomic():
        prefs, _created = Preferences.objects.select_for_update().get_or_create(user_id=user_id)
        came_online = (
            prefs.last_seen is None
            or now - prefs.last_seen >= ONLINE_WINDOW
            or prefs.away_since is not None
        )
        prefs.last_seen, prefs.away_since = now, None
        prefs.save(update_fields=["last_seen", "away_since"])
        if socket is not None:
            PresenceSocket.objects.update_or_create(
                channel=socket, defaults={"user_id": user_id, "seen": now}
            )
            # Sockets of a process that died never closed: they no longer count.
            PresenceSocket.objects.filter(user_id=user_id, seen__lt=now - ONLINE_WINDOW).delete()
        if came_online and prefs.show_presence:
            _tell_partners(user_id, online=True, last_seen=now)
    return came_online


def _tell_partners(user_id: int, *, online: bool, last_seen: datetime) -> None:
    """Push someone's presence to their direct partners, once the change is committed."""
    state: events.PresencePayload = {
        "id": user_id,
        "online": online,
        "last_seen": last_seen.isoformat(),
    }
    send_event_on_commit(presence_partners(user_id), events.presence_state([state]))


def forget_socket(socket: str) -> None:
    """A heartbeating socket closed: it no longer keeps its user online."""
    PresenceSocket.objects.filter(channel=socket).delete()


def announce_if_away(user_id: int, closed_at: datetime) -> bool:
    """If no socket of theirs is open any more, tell their direct partners they went away.

    Called a moment after a socket closed (``closed_at``), once ``forget_socket`` has
    committed, so that a page that reloads, or a move to another page, finds the new
    socket's heartbeat here and nothing is said. Every daphne process records its
    sockets in the database, so another tab or device anywhere keeps them online.
    Returns whether they were announced away.
    """
    now = timezone.now()
    with transaction.atomic():
        prefs = Preferences.objects.select_for_update().filter(user_id=user_id).first()
        if prefs is None or prefs.away_since is not None or prefs.last_seen is None:
            return False
        still_open = PresenceSocket.objects.filter(
            user_id=user_id, seen__gte=now - ONLINE_WINDOW
        ).exists()
        if still_open or prefs.last_seen > closed_at:
            return False
        # They were there until the socket closed: that is when they were last seen.
        prefs.last_seen = prefs.away_since = closed_at
        prefs.save(update_fields=["last_seen", "away_since"])
        if prefs.show_presence:
            _tell_partners(user_id, online=False, last_seen=closed_at)
    return True


def update_preferences(user: Employee, *, read_receipts: bool, show_presence: bool) -> None:
    Preferences.objects.update_or_create(
        user=user, defaults={"read_receipts": read_receipts, "show_presence": show_presence}
    )
