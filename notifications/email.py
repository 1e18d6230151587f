"""The e-mail channel: where an employee's mail goes, the mails themselves, and the links in them.

Mail goes to the work address (``Employee.email``), or to the personal address when
the employee asked for it *and* confirmed that address by clicking the link sent to
it (double opt-in): nothing goes to an address its owner did not prove is theirs.

Every mail carries ``List-Unsubscribe`` with an https link holding a signed token
(``unsubscribe_token``): one POST to it, without login, switches e-mail off for that
kind (or the digest off) for that employee. Links in mails are absolute
(``settings.SITE_URL``); the mail is in the recipient's language.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications import actions
from notifications.delivery import Undeliverable, profiles
from notifications.models import (
    Channel,
    Delivery,
    DeliveryProfile,
    Digest,
    Notification,
    NotificationKind,
)
from notifications.text import absolute, describe
from workplace.models import Employee

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "notifications.email.unsubscribe"
CONFIRM_SALT = "notifications.email.confirm"
# A confirmation link works this long; after it the employee asks for a new one.
CONFIRM_MAX_AGE = 2 * 24 * 3600
# What an unsubscribe token holds instead of a kind: "no more digests".
DIGEST = "digest"


def address_of(employee: Employee, profile: DeliveryProfile) -> str:
    """Where this employee's mail goes now, or "" (no work address, no confirmed personal one)."""
    if (
        profile.use_personal_email
        and profile.personal_email
        and profile.personal_email_confirmed is not None
    ):
        return profile.personal_email
    return employee.email


def language_of(employee: Employee) -> str:
    return getattr(employee, "language", "") or settings.LANGUAGE_CODE


# --- tokens -----------------------------------------------------------------------


def unsubscribe_token(employee_id: int, kind: str) -> str:
    """A token for one employee and one kind (or ``DIGEST``); it does not expire."""
    return signing.dumps({"e": employee_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


@dataclass(frozen=True)
class Unsubscribe:
    employee: Employee
    kind: str

    @property
    def label(self) -> str:
        if self.kind == DIGEST:
            return _("the e-mail digest")
        return str(NotificationKind(self.kind).label)


def read_unsubscribe_token(token: str) -> Unsubscribe | None:
    """The employee and kind of a token, or None for a forged, broken or stale one."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        employee = Employee.objects.get(pk=int(data["e"]), is_active=True)
        kind = str(data["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError, Employee.DoesNotExist):
        return None
    if kind != DIGEST and kind not in NotificationKind.values:
        return None
    return Unsubscribe(employee, kind)


def unsubscribe_url(employee_id: int, kind: str) -> str:
    return absolute(reverse("email_unsubscribe", args=[unsubscribe_token(employee_id, kind)]))


def do_unsubscribe(request: Unsubscribe) -> None:
    """Switch e-mail off for the token's kind, or the digest off."""
    if request.kind == DIGEST:
        set_digest(request.employee, Digest.NEVER)
    else:
        actions.save_preferences(request.employee, {(request.kind, Channel.EMAIL): False})


def confirm_token(employee_id: int, address: str) -> str:
    return signing.dumps({"e": employee_id, "a": address}, salt=CONFIRM_SALT)


def read_confirm_token(token: str) -> tuple[int, str] | None:
    """(employee id, address) of a link younger than two days, or None."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
        return int(data["e"]), str(data["a"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None  # SignatureExpired is a BadSignature


# --- who can be reached ------------------------------------------------------------


def reachable_q() -> Q:
    """Employees with a work address, or a confirmed personal one they chose to use."""
    personal = (
        Q(delivery_profile__use_personal_email=True)
        & Q(delivery_profile__personal_email_confirmed__isnull=False)
        & ~Q(delivery_profile__personal_email="")
    )
    return ~Q(email="") | personal


class EmailSender:
    """The e-mail channel for ``notifications.delivery``: immediate lines, one mail each."""

    def reachable(self, employee_ids: set[int]) -> set[int]:
        if not employee_ids:
            return set()
        return set(
            Employee.objects.filter(pk__in=employee_ids, is_active=True)
            .filter(reachable_q())
            .values_list("pk", flat=True)
        )

    def send(self, delivery: Delivery) -> str:
        employee = delivery.recipient
        address = address_of(employee, profiles([employee.pk])[employee.pk])
        if not address or not employee.is_active:
            raise Undeliverable("no e-mail address any more")
        immediate_message(delivery.notification, employee, address).send()
        return f"e-mail to {mask(address)}"


def mask(address: str) -> str:
    """An address for the log, not in full: ``a…@stad.gent``."""
    name, _sep, domain = address.partition("@")
    return f"{name[:1]}…@{domain}"


# --- the mails ---------------------------------------------------------------------


def _message(
    employee: Employee, address: str, template: str, context: dict, unsubscribe_kind: str | None
) -> EmailMultiAlternatives:
    """Render ``<template>.txt`` and ``.html`` in the recipient's language into one mail."""
    with translation.override(language_of(employee)):
        context = {
            "employee": employee,
            "site_url": settings.SITE_URL,
            "preferences_url": absolute(reverse("preferences")),
            **context,
        }
        headers = {}
        if unsubscribe_kind:
            link = unsubscribe_url(employee.pk, unsubscribe_kind)
            context["unsubscribe_url"] = link
            headers = {"List-Unsubscribe": f"<{link}>"}
            # One click (RFC 8058) is for https links only; a development SITE_URL is http.
            if link.startswith("https://"):
                headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        subject = " ".join(str(context["subject"]).split())
        text = render_to_string(f"notifications/email/{template}.txt", context)
        html = render_to_string(f"notifications/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message


def subject_of(line: Notification, title: str, body: str) -> str:
    """The line's title for an urgent message or a test, otherwise its sentence."""
    if line.kind in (NotificationKind.URGENT, NotificationKind.TEST):
        return title
    return body if len(body) <= 120 else body[:119].rstrip() + "…"


def immediate_message(
    line: Notification, employee: Employee, address: str
) -> EmailMultiAlternatives:
    message = describe(line, Channel.EMAIL)
    with translation.override(language_of(employee)):
        kind_label = str(NotificationKind(line.kind).label)
    return _message(
        employee,
        address,
        "immediate",
        {
            "subject": subject_of(line, message.title, message.body),
            "message": message,
            "kind_label": kind_label,
            "urgent": line.kind == NotificationKind.URGENT,
        },
        unsubscribe_kind=None if line.kind == NotificationKind.URGENT else line.kind,
    )


def confirmation_message(employee: Employee, address: str) -> EmailMultiAlternatives:
    link = absolute(reverse("email_confirm", args=[confirm_token(employee.pk, address)]))
    with translation.override(language_of(employee)):
        subject = _("Confirm your e-mail address for Werkplek")
    return _message(
        employee,
        address,
        "confirm",
        {"subject": subject, "confirm_url": link, "address": address},
        unsubscribe_kind=None,
    )


# --- the personal address: double opt-in --------------------------------------------


def _profile(employee: Employee) -> DeliveryProfile:
    profile, _created = DeliveryProfile.objects.get_or_create(employee=employee)
    return profile


def do_add_personal_email(employee: Employee, address: str) -> None:
    """Keep ``address`` as pending (not used) and send the confirmation link to it."""
    with transaction.atomic():
        profile = _profile(employee)
        profile.personal_email = address
        profile.personal_email_confirmed = None
        profile.use_personal_email = False
        profile.save(
            update_fields=["personal_email", "personal_email_confirmed", "use_personal_email"]
        )
        transaction.on_commit(lambda: _send_confirmation(employee, address))


def _send_confirmation(employee: Employee, address: str) -> None:
    # A mail server that fails must not fail the page: the address stays pending and
    # the employee can ask for the link again.
    try:
        confirmation_message(employee, address).send()
    except Exception:
        logger.exception("could not send the confirmation link to employee %s", employee.pk)


def do_confirm_personal_email(employee: Employee, token: str) -> bool:
    """Confirm the pending address the link was sent to; False for a bad, old or other link."""
    found = read_confirm_token(token)
    if found is None or found[0] != employee.pk:
        return False
    changed = (
        DeliveryProfile.objects.filter(employee=employee, personal_email=found[1])
        .exclude(personal_email="")
        .update(personal_email_confirmed=timezone.now())
    )
    return changed == 1


def do_remove_personal_email(employee: Employee) -> None:
    DeliveryProfile.objects.filter(employee=employee).update(
        personal_email="", personal_email_confirmed=None, use_personal_email=False
    )


def do_use_personal_email(employee: Employee, use: bool) -> bool:
    """Send to the personal address (only once confirmed) or back to the work address."""
    profiles_ = DeliveryProfile.objects.filter(employee=employee)
    if use:
        profiles_ = profiles_.filter(personal_email_confirmed__isnull=False).exclude(
            personal_email=""
        )
    return profiles_.update(use_personal_email=use) == 1


def set_digest(employee: Employee, digest: str) -> None:
    profile = _profile(employee)
    profile.digest = digest
    profile.save(update_fields=["digest"])


# --- the preferences page's small e-mail forms ----------------------------------------


class PersonalEmailForm(forms.Form):
    address = forms.EmailField(
        label=gettext_lazy("Personal e-mail address"),
        max_length=254,
        error_messages={
            "required": gettext_lazy("Fill in an e-mail address."),
            "invalid": gettext_lazy(
                "This is not an e-mail address: write it like naam@voorbeeld.be."
            ),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )

    def __init__(self, employee: Employee, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.employee = employee

    def clean_address(self) -> str:
        address = self.cleaned_data["address"].strip()
        if self.employee.email and address.lower() == self.employee.email.lower():
            raise forms.ValidationError(
                gettext_lazy("This is your work address: Werkplek writes to it already.")
            )
        return address


class DigestForm(forms.Form):
    digest = forms.ChoiceField(
        label=gettext_lazy("E-mail digest of what can wait"),
        choices=Digest.choices,
        widget=forms.RadioSelect,
    )
