"""What a notification says outside the app: a title, one sentence and a link.

Push messages, e-mails and SMS say what the bell says, with the same template
(``notifications/includes/notification_text.html``), in the recipient's language,
and link to the line (opening it marks it read and leads to its target).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from notifications.models import Notification, NotificationKind

# Push services and phones cut longer texts anyway; an SMS is one message.
BODY_LIMIT = 240


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    url: str  # absolute


def absolute(path: str) -> str:
    return path if path.startswith(("http://", "https://")) else f"{settings.SITE_URL}{path}"


def describe(line: Notification) -> Message:
    language = getattr(line.recipient, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        body = " ".join(
            render_to_string(
                "notifications/includes/notification_text.html", {"line": line}
            ).split()
        )
        if line.kind == NotificationKind.URGENT:
            title = _("Urgent: %(title)s") % {"title": line.title}
        elif line.kind == NotificationKind.TEST:
            title = _("Test notification")
        else:
            title = "Werkplek"
    if len(body) > BODY_LIMIT:
        body = body[: BODY_LIMIT - 1].rstrip() + "…"
    return Message(title=title, body=body or line.title, url=absolute(line.get_absolute_url()))
