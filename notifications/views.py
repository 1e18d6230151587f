"""The notifications page, reading a notification, and the preferences."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from notifications import actions, delivery, email, queries, quiet, sms
from notifications.access import access_notification
from notifications.email import DigestForm, PersonalEmailForm
from notifications.forms import PreferencesForm, WorkingHoursForm
from notifications.models import Channel, HoursSource
from notifications.targets import with_targets
from workplace import ratelimit
from workplace.http import AuthenticatedRequest
from workplace.untrusted import local_url

PAGE_SIZE = 30
CONFIRMATIONS_PER_HOUR = 5


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
    via = request.GET.get("via", "")
    actions.mark_opened(line, via)
    if not line.url:
        return redirect("notifications")
    if via in (Channel.PUSH, Channel.EMAIL, Channel.SMS) and line.url.startswith("/"):
        # The target counts the channel too (an announcement's reach, docs/campaigns.md).
        parts = urlsplit(line.url)
        query = urlencode([*parse_qsl(parts.query), ("via", via)])
        return redirect(urlunsplit(("", "", parts.path, query, parts.fragment)))
    return redirect(line.url)


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
        {"form": form, **_page_context(request.user)},
    )


def _page_context(user, hours_form: WorkingHoursForm | None = None) -> dict:
    """What the preferences page shows beside the choices: working hours, push devices."""
    profile = delivery.profiles([user.pk])[user.pk]
    hours = quiet.hours_of(profile)
    source = profile.hours_source
    if source != HoursSource.SELF and profile.shift_pattern:
        source = HoursSource.HR
    if hours_form is None:
        hours_form = WorkingHoursForm(
            initial={"days": sorted(hours.day_digits), "start": hours.start, "end": hours.end}
        )
    return {
        "hours_form": hours_form,
        "hours": hours,
        "hours_source": source,
        "push_devices": user.push_subscriptions.count(),
    }


@login_required
@require_POST
def working_hours(request: AuthenticatedRequest) -> HttpResponse:
    form = WorkingHoursForm(request.POST)
    if not form.is_valid():
        return _preferences_page(request, status=400, hours_form=form)
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


# --- e-mail: the personal address (double opt-in), the digest, unsubscribing --------


def _preferences_page(
    request: AuthenticatedRequest,
    *,
    status: int = 200,
    hours_form: WorkingHoursForm | None = None,
    **context,
) -> HttpResponse:
    """The preferences page again, with a small form's errors (nothing was stored)."""
    channels = [Channel.IN_APP, *delivery.OUTSIDE_CHANNELS]
    form = PreferencesForm(queries.preferences_for(request.user), channels)
    context = {"form": form, **_page_context(request.user, hours_form), **context}
    return render(request, "notifications/preferences.html", context, status=status)


@login_required
@require_POST
def email_address_add(request: AuthenticatedRequest) -> HttpResponse:
    form = PersonalEmailForm(request.user, request.POST)
    # Each try mails an address the employee only claims is theirs: a few an hour.
    if form.is_valid() and not ratelimit.allow(
        "email-confirm", str(request.user.pk), CONFIRMATIONS_PER_HOUR, 3600
    ):
        form.add_error("address", _("Too many confirmation links in an hour. Try again later."))
    if not form.is_valid():
        return _preferences_page(request, email_form=form)
    email.do_add_personal_email(request.user, form.cleaned_data["address"])
    messages.success(
        request,
        _("We sent a link to %(address)s: click it within two days to confirm the address.")
        % {"address": form.cleaned_data["address"]},
    )
    return redirect("preferences")


@login_required
def email_address_confirm(request: AuthenticatedRequest, token: str) -> HttpResponse:
    if email.do_confirm_personal_email(request.user, token):
        messages.success(request, _("Your personal e-mail address is confirmed."))
    else:
        messages.error(
            request,
            _("This confirmation link is not valid, or older than two days. Ask for a new one."),
        )
    return redirect("preferences")


@login_required
@require_POST
def email_address_remove(request: AuthenticatedRequest) -> HttpResponse:
    email.do_remove_personal_email(request.user)
    messages.success(request, _("Your personal e-mail address is removed."))
    return redirect("preferences")


@login_required
@require_POST
def email_address_use(request: AuthenticatedRequest) -> HttpResponse:
    use = request.POST.get("use") == "personal"
    if email.do_use_personal_email(request.user, use) or not use:
        messages.success(request, _("Your choice is saved."))
    else:
        messages.error(request, _("Confirm your personal e-mail address first."))
    return redirect("preferences")


@login_required
@require_POST
def email_digest(request: AuthenticatedRequest) -> HttpResponse:
    form = DigestForm(request.POST)
    if not form.is_valid():
        return _preferences_page(request, digest_form=form)
    email.set_digest(request.user, form.cleaned_data["digest"])
    messages.success(request, _("Your choice is saved."))
    return redirect("preferences")


# The link in every mail's List-Unsubscribe header: mail programs POST to it without
# a session or a CSRF token ("one click", RFC 8058); the signed token is the authority.
@csrf_exempt
def email_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    found = email.read_unsubscribe_token(token)
    if found is None:
        error = _("This unsubscribe link is not valid. Change your e-mails in your settings.")
        return render(request, "notifications/email/unsubscribe.html", {"error": error}, status=400)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    with translation.override(email.language_of(found.employee)):
        context = {"request_": found, "done": request.method == "POST"}
        if request.method == "POST":
            email.do_unsubscribe(found)
        return render(request, "notifications/email/unsubscribe.html", context)


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
