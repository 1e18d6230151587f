"""The reminder button of the progress page: remind who has not acknowledged yet."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kus import reminders
from kus.access import access_directive
from workplace.http import AuthenticatedRequest


@login_required
@require_POST
def remind(request: AuthenticatedRequest, number: str) -> HttpResponse:
    directive = access_directive(request.user, number)
    raw = request.POST.get("department", "").strip()
    department_id = int(raw) if raw.isdigit() else None
    if raw and department_id is None:
        messages.error(request, _("That department is unknown."))
        return redirect("kus:progress", directive.number)
    scope = reminders.check_remind(request.user, directive, department_id)
    try:
        count = reminders.do_remind(scope, sent_by=request.user)
    except reminders.ReminderRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            ngettext(
                "Reminder sent to %(count)d colleague.",
                "Reminder sent to %(count)d colleagues.",
                count,
            )
            % {"count": count},
        )
    return redirect("kus:progress", directive.number)
