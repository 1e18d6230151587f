"""Tools for administrators and HR: shared terminals and activation letters."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workplace import onboarding, terminals
from workplace.forms import (
    ActivationLettersForm,
    ActivationResetForm,
    TerminalRegistrationForm,
)
from workplace.http import AuthenticatedRequest
from workplace.mfa import staff_required
from workplace.models import Employee
from workplace.reauth import recent_auth_required
from workplace.roles import Role, role_required

MAX_LETTERS = 500


@staff_required
def terminal_setup(request: AuthenticatedRequest) -> HttpResponse:
    """Register (or forget) the device this page is opened on as a shared terminal."""
    form = TerminalRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = redirect("terminal_setup")
        terminal = terminals.register_terminal(
            response,
            name=form.cleaned_data["name"],
            site=form.cleaned_data["site"],
            registered_by=request.user,
        )
        messages.success(
            request, _("This device is now the shared terminal %(name)s.") % {"name": terminal.name}
        )
        return response
    return render(request, "workplace/terminal_setup.html", {"form": form})


@staff_required
@require_POST
def terminal_forget(request: AuthenticatedRequest) -> HttpResponse:
    response = redirect("terminal_setup")
    terminals.forget_terminal(response, request.terminal, by=request.user)
    messages.success(request, _("This device is no longer a shared terminal."))
    return response


def _qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=4, omitsize=False)


@role_required(Role.HR)
@recent_auth_required
def activation_letters(request: AuthenticatedRequest) -> HttpResponse:
    """HR chooses a department (and maybe people); the next page lists who would get a
    letter and whose unused code it would replace, and prints for those ticked there."""
    form = ActivationLettersForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return render(request, "workplace/activation_letters_form.html", {"form": form})
    department = form.cleaned_data["department"]
    employees = Employee.objects.filter(
        is_active=True, department__path__startswith=department.path
    )
    if form.cleaned_data["only_without_email"]:
        employees = employees.filter(email="")
    if form.cleaned_data["people"]:
        employees = employees.filter(pk__in=form.cleaned_data["people"].values("pk"))
    if onboarding.without_password(employees)[: MAX_LETTERS + 1].count() > MAX_LETTERS:
        form.add_error(
            None,
            _("Choose a smaller department: at most %(n)d letters at once.") % {"n": MAX_LETTERS},
        )
        return render(request, "workplace/activation_letters_form.html", {"form": form})
    plan = onboarding.plan_letters(request.user, employees)
    if "confirm" not in request.POST:
        return _preview(request, form, plan, chosen=plan.employees)
    ticked = {value for value in request.POST.getlist("employee") if value.isdigit()}
    chosen = [employee for employee in plan.employees if str(employee.pk) in ticked]
    if not chosen:
        return _preview(
            request, form, plan, chosen, error=_("Choose at least one colleague for a letter.")
        )
    if plan.replacing(chosen) and not request.POST.get("replace_ok"):
        return _preview(
            request,
            form,
            plan,
            chosen,
            error=_("Confirm that the unused codes stop working, or untick those colleagues."),
        )
    batch = onboarding.issue_letters(
        request.user, employees.filter(pk__in=[e.pk for e in chosen]), label=str(department)
    )
    # Who the department's letters missed, not only the ticked ones.
    batch.out_of_reach, batch.with_password = plan.out_of_reach, plan.with_password
    return _letters_page(request, batch.codes, batch=batch)


def _preview(request, form, plan, chosen, *, error: str = "") -> HttpResponse:
    chosen_pks = {employee.pk for employee in chosen}
    rows = [
        {"employee": e, "checked": e.pk in chosen_pks, "unused": plan.unused.get(e.pk)}
        for e in plan.employees
    ]
    response = render(
        request,
        "workplace/activation_letters_confirm.html",
        {
            "form": form,
            "plan": plan,
            "rows": rows,
            "replacing": plan.replacing(plan.employees),
            "error": error,
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@role_required(Role.HR)
@recent_auth_required
def activation_reset(request: AuthenticatedRequest) -> HttpResponse:
    """A letter that replaces someone's password: only with a reason, which is audited."""
    form = ActivationResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        employee = form.cleaned_data["employee"]
        try:
            code = onboarding.issue_reset_code(
                employee, created_by=request.user, reason=form.cleaned_data["reason"]
            )
        except onboarding.ActivationError as error:
            form.add_error(None, error.message)
        else:
            return _letters_page(request, [(employee, code)])
    return render(request, "workplace/activation_reset_form.html", {"form": form})


def _letters_page(request: HttpRequest, codes, batch=None) -> HttpResponse:
    activate_url = request.build_absolute_uri(reverse("activate"))
    letters = [
        {"employee": employee, "code": code, "qr": _qr_svg(f"{activate_url}?code={code}")}
        for employee, code in codes
    ]
    response = render(
        request,
        "workplace/activation_letters.html",
        {
            "letters": letters,
            "batch": batch,
            "activate_url": activate_url,
            "code_days": settings.ACTIVATION_CODE_DAYS,
        },
    )
    response["Cache-Control"] = "no-store"
    return response
