"""SMS: the channel for what is urgent, its gateways, and proving a number is yours.

An SMS costs money per message, so the channel carries only ``URGENT`` lines
(``models.CHANNEL_KINDS``), one message per delivery and never a digest: the
title and a link to the line, within 160 characters.

The gateway is chosen by ``SMS_BACKEND``: ``console`` (the default) writes the
message to the log, ``http`` posts it to ``SMS_GATEWAY_URL`` (the JSON contract
is in docs/alerts.md). A gateway that fails raises: the delivery core retries
with back-off; only a recipient without a confirmed number is ``Undeliverable``.

A number counts once its owner typed the 6-digit code it received: the code is
stored hashed, is valid ``CODE_VALID`` and allows ``MAX_TRIES`` attempts.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import urllib.error
import urllib.request
from datetime import timedelta
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from notifications.delivery import Undeliverable
from notifications.models import Delivery, DeliveryProfile
from notifications.text import describe
from workplace.models import Employee

logger = logging.getLogger(__name__)

SMS_LIMIT = 160
GATEWAY_TIMEOUT = 10  # seconds
CODE_VALID = timedelta(minutes=15)
MAX_TRIES = 5
# A new code at most once a minute: each one is a paid message.
CODE_INTERVAL = timedelta(minutes=1)


class SmsGatewayError(Exception):
    """The gateway did not accept the message (the delivery core tries again later)."""


# --- the gateways ------------------------------------------------------------------


class SmsBackend(Protocol):
    def send_sms(self, number: str, text: str) -> str:
        """Send ``text`` to ``number`` (E.164); return a short detail for the log, or raise."""


class ConsoleBackend:
    """Writes each message to the log: development, tests and a demo without a gateway."""

    def send_sms(self, number: str, text: str) -> str:
        logger.info("SMS to %s: %s", number, text)
        return "console"


class HttpGatewayBackend:
    """POSTs ``{"to", "from", "text"}`` as JSON with a bearer token; anything but 2xx raises."""

    def __init__(self, url: str, token: str, sender: str) -> None:
        if not url:
            raise ImproperlyConfigured("SMS_BACKEND=http needs SMS_GATEWAY_URL")
        self.url, self.token, self.sender = url, token, sender

    def send_sms(self, number: str, text: str) -> str:
        body = json.dumps({"to": number, "from": self.sender, "text": text}).encode()
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                "Authorization": f"Bearer {self.token}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=GATEWAY_TIMEOUT) as response:
                status = response.status
                answer = response.read(2000)
        except urllib.error.HTTPError as error:  # 4xx and 5xx
            raise SmsGatewayError(f"gateway answered {error.code}") from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise SmsGatewayError(f"gateway unreachable: {error}") from error
        if not 200 <= status < 300:
            raise SmsGatewayError(f"gateway answered {status}")
        return f"gateway {status}{_message_id(answer)}"


def _message_id(answer: bytes) -> str:
    """The gateway's id for the message, when it gives one (for the delivery log)."""
    try:
        data = json.loads(answer or b"{}")
    except ValueError:
        return ""
    found = data.get("id") if isinstance(data, dict) else None
    return f" id {str(found)[:60]}" if found else ""


def backend() -> SmsBackend:
    choice = settings.SMS_BACKEND
    if choice == "console":
        return ConsoleBackend()
    if choice == "http":
        return HttpGatewayBackend(
            settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_TOKEN, settings.SMS_SENDER
        )
    raise ImproperlyConfigured(f"SMS_BACKEND must be 'console' or 'http', not {choice!r}")


# --- the channel -------------------------------------------------------------------


def sms_text(delivery: Delivery) -> str:
    """The title and the link, cut to fit one SMS (the link is never cut)."""
    message = describe(delivery.notification)
    room = SMS_LIMIT - len(message.url) - 1
    title = message.title
    if len(title) > room:
        title = title[: max(room - 1, 0)].rstrip() + "…"
    return f"{title} {message.url}"[:SMS_LIMIT]


class SmsSender:
    """The delivery core's SMS channel: employees with a confirmed number."""

    def reachable(self, employee_ids: set[int]) -> set[int]:
        return set(
            DeliveryProfile.objects.filter(
                employee_id__in=employee_ids, sms_confirmed__isnull=False
            )
            .exclude(sms_number="")
            .values_list("employee_id", flat=True)
        )

    def send(self, delivery: Delivery) -> str:
        profile = DeliveryProfile.objects.filter(
            employee_id=delivery.recipient_id, sms_confirmed__isnull=False
        ).first()
        if profile is None or not profile.sms_number:
            raise Undeliverable("no confirmed SMS number")
        return backend().send_sms(profile.sms_number, sms_text(delivery))


# --- a number, proven ----------------------------------------------------------------

_SEPARATORS = re.compile(r"[\s./()\-]")
# Belgian mobile numbers: 04xx xx xx xx, the 4 followed by 5 to 9 (0455 … 0499).
_BELGIAN_MOBILE = re.compile(r"^4[5-9]\d{7}$")


def normalize_number(text: str) -> str:
    """A Belgian mobile number in E.164 (``+32475123456``), or a ``ValidationError``."""
    digits = _SEPARATORS.sub("", text or "")
    if not digits:
        raise ValidationError(_("Enter your mobile number."))
    if digits.startswith("+"):
        digits = "00" + digits[1:]
    if not digits.isdigit():
        raise ValidationError(_("A phone number contains only digits, like 0475 12 34 56."))
    if digits.startswith("0032"):
        national = digits[4:]
    elif digits.startswith("00"):
        raise ValidationError(_("Only Belgian mobile numbers (+32) can receive our SMS."))
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        national = digits
    if national.startswith("0"):  # +32 0475 …: the zero is not dialled after +32
        national = national[1:]
    if not _BELGIAN_MOBILE.match(national):
        raise ValidationError(
            _(
                "This is not a Belgian mobile number: write 10 digits starting with 04, "
                "like 0475 12 34 56."
            )
        )
    return f"+32{national}"


def _code_hash(employee_id: int, number: str, code: str) -> str:
    return salted_hmac("werkplek.sms-code", f"{employee_id}:{number}:{code}").hexdigest()


def profile_for(user: Employee) -> DeliveryProfile:
    profile, _created = DeliveryProfile.objects.get_or_create(employee=user)
    return profile


def start_confirmation(user: Employee, text: str) -> str:
    """Store the number (unconfirmed) and text it a fresh code; returns the number.

    Raises ``ValidationError`` for a number that is no Belgian mobile, or when a
    code went out less than ``CODE_INTERVAL`` ago. A gateway failure propagates
    after the code is withdrawn (no code stands without its message).
    """
    number = normalize_number(text)
    now = timezone.now()
    code = f"{secrets.randbelow(10**6):06d}"
    fields = ["sms_number", "sms_confirmed", "sms_code", "sms_code_sent", "sms_code_tries"]
    with transaction.atomic():
        profile_for(user)
        profile = DeliveryProfile.objects.select_for_update().get(employee=user)
        if profile.sms_code_sent and now - profile.sms_code_sent < CODE_INTERVAL:
            raise ValidationError(_("A code was just sent. Wait a minute before asking again."))
        profile.sms_number = number
        profile.sms_confirmed = None
        profile.sms_code = _code_hash(user.pk, number, code)
        profile.sms_code_sent = now
        profile.sms_code_tries = 0
        profile.save(update_fields=fields)
    # Outside the transaction: a slow gateway must not hold the database (SQLite has one writer).
    text = _("Your Werkplek code is %(code)s. It is valid for 15 minutes.") % {"code": code}
    try:
        backend().send_sms(number, text)
    except Exception:
        DeliveryProfile.objects.filter(pk=profile.pk, sms_code=profile.sms_code).update(
            sms_code="", sms_code_sent=None
        )
        raise
    return number


def confirm(user: Employee, code: str) -> None:
    """Confirm the pending number with its code, or raise ``ValidationError``.

    A wrong code counts as a try even though it raises: the count is saved first.
    """
    code = (code or "").replace(" ", "").strip()
    now = timezone.now()
    with transaction.atomic():
        profile = DeliveryProfile.objects.select_for_update().filter(employee=user).first()
        error = _check_code(user, profile, code, now)
        if error is None and profile is not None:
            profile.sms_confirmed = now
            profile.sms_code = ""
            profile.sms_code_tries = 0
            profile.save(update_fields=["sms_confirmed", "sms_code", "sms_code_tries"])
    if error is not None:
        raise ValidationError(error)


def _check_code(user: Employee, profile: DeliveryProfile | None, code: str, now) -> str | None:
    """What is wrong with this try (counting it when the code is wrong), or None."""
    if profile is None or not profile.sms_code or profile.sms_confirmed:
        return _("There is no code to confirm. Enter your number first.")
    if profile.sms_code_tries >= MAX_TRIES:
        return _("Too many wrong codes. Ask for a new code.")
    if profile.sms_code_sent is None or now - profile.sms_code_sent > CODE_VALID:
        return _("This code has expired. Ask for a new code.")
    expected = _code_hash(user.pk, profile.sms_number, code)
    if code.isdigit() and len(code) == 6 and constant_time_compare(profile.sms_code, expected):
        return None
    profile.sms_code_tries += 1
    profile.save(update_fields=["sms_code_tries"])
    left = MAX_TRIES - profile.sms_code_tries
    if left <= 0:
        return _("Too many wrong codes. Ask for a new code.")
    return _("That code is not right. You have %(left)s tries left.") % {"left": left}


def remove(user: Employee) -> None:
    DeliveryProfile.objects.filter(employee=user).update(
        sms_number="", sms_confirmed=None, sms_code="", sms_code_sent=None, sms_code_tries=0
    )
