"""Urgent messages: the senders' pages, the message itself, and the banner on every page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from alerts import actions
from alerts.access import access_received, access_sendable, may_send, received, sender_required
from alerts.forms import MessageForm
from alerts.models import Acknowledgement, UrgentMessage
from alerts.progress import MIN_GROUP, progress
from workplace.audiences import describe, members
from workplace.forms import AudienceForm
from workplace.http import AuthenticatedRequest
from workplace.untrusted import local_url


@sender_required
def message_list(request: AuthenticatedRequest) -> HttpResponse:
    found = (
        UrgentMessage.objects.select_related("sender")
        .annotate(acknowledged=Count("acknowledgements"))
        .order_by("-created", "-id")[:50]
    )
    return render(request, "alerts/list.html", {"urgent_messages": found})


@sender_required
def compose(request: AuthenticatedRequest) -> HttpResponse:
    form = MessageForm(request.POST or None, prefix="message")
    audience_form = AudienceForm(request.POST or None, prefix="audience")
    if request.method == "POST" and form.is_valid() and audience_form.is_valid():
        message = actions.create_message(request.user, form, audience_form)
        messages.success(request, _("Saved. Send a test to yourself first, then send it."))
        return redirect(message)
    return render(request, "alerts/compose.html", {"form": form, "audience_form": audience_form})


@login_required
def message_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    if may_send(request.user):
        message = access_sendable(request.user, pk)
        context = {
            "is_sender": True,
            "audience": describe(message.audience),
            "reach": members(message.audience).count(),
            "addressed": received(request.user).filter(pk=message.pk).exists(),
        }
    else:
        message = access_received(request.user, pk)
        context = {"addressed": True}
    context.update(message=message, acknowledged=_acknowledged(request.user, message))
    return render(request, "alerts/message.html", context)


def _acknowledged(user, message: UrgentMessage):
    ack = Acknowledgement.objects.filter(message=message, employee=user).first()
    return ack.at if ack else None


@sender_required
@require_POST
def send_test(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    try:
        message = actions.check_send_test(request.user, pk)
    except actions.AlreadySent:
        messages.error(request, _("This message was sent already."))
        return redirect("alerts:message", pk)
    actions.do_send_test(request.user, message)
    messages.success(
        request,
        _(
            "A test is on its way to you only: in Werkplek, and by push, e-mail or SMS "
            "if you set them up."
        ),
    )
    return redirect(message)


@sender_required
@require_POST
def send(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    try:
        message = actions.check_send(request.user, pk)
        told = actions.do_send(message)
    except actions.AlreadySent:
        messages.error(request, _("This message was sent already."))
        return redirect("alerts:progress", pk)
    text = ngettext("Sent to %(count)s person.", "Sent to %(count)s people.", len(told))
    messages.success(request, text % {"count": len(told)})
    return redirect("alerts:progress", pk)


@sender_required
def progress_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    message = access_sendable(request.user, pk)
    if message.sent is None:
        return redirect(message)
    return render(
        request,
        "alerts/progress.html",
        {
            "message": message,
            "progress": progress(message),
            "audience": describe(message.audience),
            "min_group": MIN_GROUP,
        },
    )


@login_required
@require_POST
def acknowledge(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    message = actions.check_acknowledge(request.user, pk)
    if actions.do_acknowledge(request.user, message):
        messages.success(request, _("Thank you: the sender knows you read it."))
    return redirect(local_url(request, request.POST.get("next"), message.get_absolute_url()))


def banner(request: HttpRequest) -> dict[str, Any] | None:
    """Above every page: the newest urgent message to me that I have not acknowledged."""
    user = request.user
    if not actions.recently_sent():
        return None  # no query at all on almost every page
    since = timezone.now() - timedelta(days=actions.BANNER_DAYS)
    acknowledged = Acknowledgement.objects.filter(message=OuterRef("pk"), employee=user.pk)
    message = (
        received(user)  # type: ignore[arg-type]
        .filter(sent__gte=since)
        .exclude(Exists(acknowledged))
        .order_by("-sent", "-id")
        .first()
    )
    if message is None:
        return None
    return {"message": message, "next": request.get_full_path()}


def home_panel(request: HttpRequest) -> dict[str, Any] | None:
    """On the start page of a sender: the way to write one."""
    return {} if may_send(request.user) else None
