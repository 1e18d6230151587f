"""The notifications page, reading a notification, and the preferences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from streams import notifications
from streams.forms import PreferencesForm
from streams.models import NotificationPreference
from streams.views import safe_next

PAGE_SIZE = 30


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    lines = list(notifications.for_user(request.user)[:PAGE_SIZE])
    return render(
        request,
        "streams/notifications.html",
        {"lines": lines, "unread": sum(1 for line in lines if line.read is None)},
    )


@login_required
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    line = get_object_or_404(notifications.for_user(request.user), pk=notification_id)
    notifications.mark_read(request.user, [line.pk])
    return redirect(line.url or "streams:notifications")


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    notifications.mark_read(request.user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect(safe_next(request, "/meldingen/"))


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(notifications.preferences_for(request.user), request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            for (kind, channel), enabled in form.chosen().items():
                NotificationPreference.objects.update_or_create(
                    employee=request.user,
                    kind=kind,
                    channel=channel,
                    defaults={"enabled": enabled},
                )
        messages.success(request, _("Your choices are saved."))
        return redirect("streams:preferences")
    return render(request, "streams/preferences.html", {"form": form})
