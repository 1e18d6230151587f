"""Two-step login and re-authentication: the code after the password, setting up an app,
recovery codes, and confirming the password again before a sensitive action."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workplace import mfa, reauth
from workplace.forms import ReauthForm, SecondFactorCodeForm
from workplace.http import AuthenticatedRequest
from workplace.reauth import recent_auth_required


def _next_url(request: HttpRequest, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def _no_store(response: HttpResponse) -> HttpResponse:
    # Secrets and codes on these pages: the next person at this browser must not page back.
    response["Cache-Control"] = "no-store"
    return response


@login_required
def verify(request: AuthenticatedRequest) -> HttpResponse:
    """The second step of a login: a code from the app, or a recovery code."""
    if not mfa.has_second_factor(request.user):
        return redirect(mfa.next_step_url(request))
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = mfa.verify(request, form.cleaned_data["code"])
        if result.device is not None:
            return redirect(_next_url(request))
        if result.wait_seconds:
            form.add_error(
                "code",
                _("Too many wrong codes. Wait %(seconds)d seconds and try again.")
                % {"seconds": result.wait_seconds},
            )
        else:
            form.add_error("code", _("That code is not right. Try the code that is shown now."))
    return _no_store(
        render(request, "workplace/mfa_verify.html", {"form": form, "next": _next_url(request)})
    )


@recent_auth_required
def setup(request: AuthenticatedRequest) -> HttpResponse:
    """Link an authenticator app: scan the QR code (or type the secret), give the first code."""
    device = mfa.pending_totp(request.user)
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = mfa.confirm_totp(request, device, form.cleaned_data["code"])
        if codes is not None:
            return _recovery_codes_page(request, codes, first=True)
        form.add_error("code", _("That code is not right. Try the code that is shown now."))
    return _no_store(
        render(
            request,
            "workplace/mfa_setup.html",
            {
                "form": form,
                "qr": mfa.qr_svg(device),
                "secret": mfa.secret_text(device),
                "replacing": mfa.has_second_factor(request.user),
                "required": mfa.requires_second_factor(request.user),
                "next": _next_url(request, default="mfa_manage"),
            },
        )
    )


@login_required
def manage(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "workplace/mfa_manage.html",
        {
            "active": mfa.has_second_factor(user),
            "required": mfa.requires_second_factor(user),
            "codes_left": mfa.recovery_codes_left(user),
        },
    )


@require_POST
@recent_auth_required
def recovery_codes(request: AuthenticatedRequest) -> HttpResponse:
    if not mfa.has_second_factor(request.user):
        return redirect("mfa_manage")
    return _recovery_codes_page(request, mfa.new_recovery_codes(request.user), first=False)


@require_POST
@recent_auth_required
def remove(request: AuthenticatedRequest) -> HttpResponse:
    mfa.remove_second_factor(request.user, by=request.user)
    messages.success(request, _("Two-step login is removed from your account."))
    return redirect("mfa_manage")


def _recovery_codes_page(request: HttpRequest, codes: list[str], *, first: bool) -> HttpResponse:
    return _no_store(
        render(
            request,
            "workplace/mfa_recovery_codes.html",
            {"codes": codes, "first": first, "next": _next_url(request, default="mfa_manage")},
        )
    )


@login_required
def confirm(request: AuthenticatedRequest) -> HttpResponse:
    """Confirm the password (and a code) before a sensitive page; then on to that page."""
    with_code = mfa.has_second_factor(request.user)
    form = ReauthForm(request.POST or None, with_code=with_code)
    if request.method == "POST" and form.is_valid():
        if not reauth.check_password(request, form.cleaned_data["password"]):
            form.add_error("password", _("That is not your current password."))
        elif with_code:
            result = mfa.verify(request, form.cleaned_data["code"])
            if result.device is None:
                form.add_error("code", _("That code is not right. Try the code that is shown now."))
        if not form.errors:
            reauth.note_password(request)
            return redirect(_next_url(request))
    return _no_store(
        render(request, "registration/reauth.html", {"form": form, "next": _next_url(request)})
    )
