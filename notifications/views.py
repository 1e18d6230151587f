"""The notifications page, reading a notification, and the preferences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notifications import actions, delivery, queries, sms
from notifications.access import access_notification
from notifications.forms import PreferencesForm
from notifications.models import Channel
from notifications.targets import with_targets
from workplace.http import AuthenticatedRequest
from workplace.untrusted import local_url

PAGE_SIZE = 30


@login_required
def notification_list(request: AuthenticatedRequest) -> HttpResponse:
    lines = list(with_targets(queries.for_user(request.user))[:PAGE_SIZE])
    return render(
        request,
        "notifications/notifications.html",
        {"lines": lines, "unread": sum(1 for line in lines if line.read is None)},
    )


@login_required
def notification_open(request: AuthenticatedRequest, notification_id: int) -> HttpResponse:
    line = access_notification(request.user, notification_id)
    actions.mark_read(request.user, [line.pk])
    return redirect(line.url or "notifications")


@login_required
@require_POST
def notifications_read(request: AuthenticatedRequest) -> HttpResponse:
    actions.mark_read(request.user)
    messages.success(request, _("All notifications are marked as read."))
    next_url = request.POST.get("next") or request.GET.get("next")
    return redirect(local_url(request, next_url, "/meldingen/"))


@login_required
def preferences(request: AuthenticatedRequest) -> HttpResponse:
    channels = [Channel.IN_APP, *delivery.OUTSIDE_CHANNELS]
    bound = request.POST if request.method == "POST" else None  # all boxes unticked is a choice
    form = PreferencesForm(queries.preferences_for(request.user), channels, bound)
    if request.method == "POST" and form.is_valid():
        actions.save_preferences(request.user, form.chosen())
        messages.success(request, _("Your choices are saved."))
        return redirect("preferences")
    return render(request, "notifications/preferences.html", {"form": form})


# --- the SMS number (notifications.sms): enter it, confirm its code, remove it ----------


@login_required
@require_POST
def sms_number(request: AuthenticatedRequest) -> HttpResponse:
    try:
        number = sms.start_confirmation(request.user, request.POST.get("number", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except Exception:
        sms.logger.exception("SMS code for employee %s not sent", request.user.pk)
        messages.error(request, _("The code could not be sent just now. Try again in a moment."))
    else:
        messages.success(
            request, _("We sent a code to %(number)s. Enter it below.") % {"number": number}
        )
    return redirect(reverse("preferences") + "#sms")


@login_required
@require_POST
def sms_confirm(request: AuthenticatedRequest) -> HttpResponse:
    try:
        sms.confirm(request.user, request.POST.get("code", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your number is confirmed: urgent messages also come by SMS."))
    return redirect(reverse("preferences") + "#sms")


@login_required
@require_POST
def sms_remove(request: AuthenticatedRequest) -> HttpResponse:
    sms.remove(request.user)
    messages.success(request, _("Your number is removed: you get no more SMS."))
    return redirect(reverse("preferences") + "#sms")
