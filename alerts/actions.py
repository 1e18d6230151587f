"""The verbs of urgent messages: write, test on myself, send, acknowledge, send again.

Each ``check_*`` authorizes (404 for who may not know); each ``do_*`` writes in
one transaction and sends its events after commit. The periodic job calls
``do_resend`` directly.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.access import access_received, access_sendable, may_send
from alerts.events import send_progress_on_commit
from alerts.forms import MessageForm
from alerts.models import Acknowledgement, UrgentMessage
from alerts.progress import lines, unacknowledged_lines
from notifications.actions import mark_read, notify
from notifications.models import NotificationKind
from notifications.tasks import deliver_on_commit
from workplace.audiences import members
from workplace.forms import AudienceForm
from workplace.models import Employee

# The banner shows a message this long after it was sent, until acknowledged.
BANNER_DAYS = 7
LAST_SENT_KEY = "alerts:last-sent"
_last_sent: float | None = None  # this process's copy of the cache's value


class AlreadySent(Exception):
    """The message went out already (a second click, another sender)."""


# --- writing --------------------------------------------------------------------------


def check_may_send(user: Employee) -> None:
    if not may_send(user):
        raise Http404


def create_message(
    sender: Employee, form: MessageForm, audience_form: AudienceForm
) -> UrgentMessage:
    check_may_send(sender)
    with transaction.atomic():
        message = form.save(commit=False)
        message.sender = sender
        message.audience = audience_form.save()
        message.save()
    return message


# --- a test on the sender alone ----------------------------------------------------------


def check_send_test(user: Employee, pk: int) -> UrgentMessage:
    message = access_sendable(user, pk)
    if message.sent is not None:
        raise AlreadySent
    return message


def do_send_test(user: Employee, message: UrgentMessage) -> None:
    """Exactly what the audience will get (in the app, push, e-mail, SMS), to the sender only.

    The line has no target: it is not one of the send's lines, so the progress and
    the re-send never count it.
    """
    with transaction.atomic():
        notify(
            [user.pk],
            NotificationKind.URGENT,
            actor=None,
            title=_("TEST %(title)s") % {"title": message.title},
            url=message.get_absolute_url(),
            urgent=True,
        )
        UrgentMessage.objects.filter(pk=message.pk).update(test_sent=timezone.now())


# --- sending ---------------------------------------------------------------------------


def check_send(user: Employee, pk: int) -> UrgentMessage:
    message = access_sendable(user, pk)
    if message.sent is not None:
        raise AlreadySent
    return message


def do_send(message: UrgentMessage, *, now: datetime | None = None) -> list[int]:
    """Send to everyone the audience reaches, once; returns who was told.

    ``urgent=True``: it passes the recipients' quiet hours, and goes by SMS to those
    with a confirmed number. A second call (a double click) sends nothing.
    """
    now = now or timezone.now()
    with transaction.atomic():
        if not UrgentMessage.objects.filter(pk=message.pk, sent=None).update(sent=now):
            raise AlreadySent
        message.sent = now
        recipients = list(members(message.audience).values_list("pk", flat=True))
        # No actor: a sender in the audience is addressed like everyone else.
        told = notify(
            recipients,
            NotificationKind.URGENT,
            message,
            actor=None,
            title=message.title,
            urgent=True,
        )
        send_progress_on_commit(message)
    # Before the commit: a page rendered meanwhile asks the database (one query) rather
    # than miss the banner; a rolled-back send costs that query until the next minute.
    remember_last_sent(now.timestamp())
    return told


# --- acknowledging ---------------------------------------------------------------------


def check_acknowledge(user: Employee, pk: int) -> UrgentMessage:
    return access_received(user, pk)


def do_acknowledge(user: Employee, message: UrgentMessage) -> bool:
    """Note that the user read it; True the first time, False after (nothing changes)."""
    with transaction.atomic():
        _ack, created = Acknowledgement.objects.get_or_create(message=message, employee=user)
        if created:
            mark_read(user, lines(message).filter(recipient=user).values_list("pk", flat=True))
            send_progress_on_commit(message)
    return created


# --- sending again -------------------------------------------------------------------


def do_resend(message: UrgentMessage, *, now: datetime | None = None) -> int:
    """Once: a new delivery round (push, e-mail, SMS) for whoever has not acknowledged.

    Returns how many lines go out again; 0 when it was resent already.
    """
    now = now or timezone.now()
    with transaction.atomic():
        if not UrgentMessage.objects.filter(pk=message.pk, resent=None).update(resent=now):
            return 0
        ids = list(unacknowledged_lines(message).values_list("pk", flat=True))
        deliver_on_commit(ids, round=1)
    return len(ids)


def resend_due(now: datetime | None = None) -> int:
    """Every message whose re-send time has come; returns how many lines went out again."""
    now = now or timezone.now()
    waiting = UrgentMessage.objects.filter(
        sent__isnull=False,
        resend_after__isnull=False,
        resent=None,
        sent__gte=now - timedelta(days=2),
    )
    # A handful of messages at most: their due times are compared here, not in SQL.
    return sum(do_resend(m, now=now) for m in waiting if m.resend_due and m.resend_due <= now)


# --- the banner ------------------------------------------------------------------------


def recently_sent(now: datetime | None = None) -> bool:
    """Was anything sent in the last ``BANNER_DAYS``? Asked on every page, mostly for free.

    The time of the last send is kept in the shared cache (set by ``do_send``, put
    back from the database every minute by the periodic job, so a flushed cache
    heals) and in this process (``_last_sent``), so that a page costs no query
    unless the process has never looked: once, at its first page.
    """
    global _last_sent
    now = now or timezone.now()
    shared = cache.get(LAST_SENT_KEY)
    if shared is not None:
        _last_sent = shared
    elif _last_sent is None:
        _last_sent = last_sent_in_database()
        cache.add(LAST_SENT_KEY, _last_sent, None)
    return _last_sent >= (now - timedelta(days=BANNER_DAYS)).timestamp()


def last_sent_in_database() -> float:
    newest = (
        UrgentMessage.objects.filter(sent__isnull=False)
        .order_by("-sent")
        .values_list("sent", flat=True)
        .first()
    )
    return newest.timestamp() if newest else 0.0


def remember_last_sent(when: float | None = None) -> None:
    """Put the time of the last send in the shared cache and in this process."""
    global _last_sent
    _last_sent = last_sent_in_database() if when is None else when
    cache.set(LAST_SENT_KEY, _last_sent, None)
