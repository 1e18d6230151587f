"""The notifications page, reading a notification, and the preferences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notifications import actions, delivery, queries, quiet
from notifications.access import access_notification
from notifications.forms import PreferencesForm, WorkingHoursForm
from notifications.models import Channel, HoursSource
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
    actions.mark_opened(line, request.GET.get("via", ""))
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
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, **_hours_context(request.user)},
    )


def _hours_context(user, hours_form: WorkingHoursForm | None = None) -> dict:
    profile = delivery.profiles([user.pk])[user.pk]
    hours = quiet.hours_of(profile)
    source = profile.hours_source
    if source != HoursSource.SELF and profile.shift_pattern:
        source = HoursSource.HR
    if hours_form is None:
        hours_form = WorkingHoursForm(
            initial={"days": sorted(hours.day_digits), "start": hours.start, "end": hours.end}
        )
    return {"hours_form": hours_form, "hours": hours, "hours_source": source}


@login_required
@require_POST
def working_hours(request: AuthenticatedRequest) -> HttpResponse:
    form = WorkingHoursForm(request.POST)
    if not form.is_valid():
        channels = [Channel.IN_APP, *delivery.OUTSIDE_CHANNELS]
        context = {
            "form": PreferencesForm(queries.preferences_for(request.user), channels),
            **_hours_context(request.user, form),
        }
        return render(request, "notifications/preferences.html", context, status=400)
    actions.save_working_hours(request.user, form.hours())
    messages.success(request, _("Your working hours are saved: outside them, Werkplek waits."))
    return redirect("preferences")


@login_required
@require_POST
def test_notification(request: AuthenticatedRequest) -> HttpResponse:
    channels = actions.send_test(request.user)
    labels = dict(Channel.choices)
    if channels:
        messages.success(
            request,
            _("A test notification is on its way: %(channels)s.")
            % {"channels": ", ".join(str(labels[channel]) for channel in channels)},
        )
    else:
        messages.info(
            request,
            _(
                "The test notification is in your notifications. "
                "Set up push or e-mail to get it elsewhere."
            ),
        )
    return redirect("preferences")
