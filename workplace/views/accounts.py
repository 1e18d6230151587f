"""Logging in (password, PIN on a terminal, activation code), the profile, the language."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workplace import audit, onboarding, ratelimit, reauth, terminals
from workplace.api import issue_token, revoke_token
from workplace.audit import client_ip
from workplace.forms import (
    ActivationForm,
    ApiTokenForm,
    LanguageForm,
    LoginForm,
    PasswordChangeForm,
    PinChangeForm,
    PinLoginForm,
    ProfileForm,
)
from workplace.http import AuthenticatedRequest, WerkplekRequest
from workplace.models import AuditAction, Employee
from workplace.reauth import recent_auth_required
from workplace.untrusted import local_url, parse_id


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if self.request.terminal is not None:
            # A shared terminal must not offer the previous person's username.
            form.fields["username"].widget.attrs["autocomplete"] = "off"
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.terminal is not None:
            context["pin_form"] = PinLoginForm()
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        reauth.note_password(self.request)
        if self.request.terminal is not None:
            terminals.start_terminal_session(self.request, self.request.terminal)
        return response


RESET_WINDOW = 60 * 60


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset form, limited per client and per e-mail address.

    Over the client's limit the form answers 429; over an address's limit it
    answers as usual but sends nothing, so that the answer tells nobody which
    addresses exist and a mailbox cannot be flooded."""

    def post(self, request, *args, **kwargs):
        address = client_ip(request) or "unknown"
        if not ratelimit.allow(
            "password-reset-client", address, settings.PASSWORD_RESET_ADDRESS_LIMIT, RESET_WINDOW
        ):
            return render(request, "registration/too_many_requests.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if not ratelimit.allow(
            "password-reset-email", email, settings.PASSWORD_RESET_EMAIL_LIMIT, RESET_WINDOW
        ):
            return redirect(self.get_success_url())
        return super().form_valid(form)


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("user")
        return {**kwargs, "request": self.request}

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(AuditAction.PASSWORD_CHANGED, target=self.request.user, via="profile")
        reauth.note_password(self.request)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(AuditAction.PASSWORD_CHANGED, actor=form.user, target=form.user, via="e-mail")
        return response


@require_POST
def pin_login(request: WerkplekRequest) -> HttpResponse:
    form = PinLoginForm(request.POST)
    if form.is_valid():
        try:
            terminals.pin_login(
                request, form.cleaned_data["personnel_number"], form.cleaned_data["pin"]
            )
        except terminals.PinLoginError as error:
            form.add_error(None, error.message)
        else:
            return redirect(settings.LOGIN_REDIRECT_URL)
    status = 200 if request.terminal is not None else 403
    return render(
        request,
        "registration/login.html",
        {"form": LoginForm(request), "pin_form": form, "pin_refused": request.terminal is None},
        status=status,
    )


def activate(request: WerkplekRequest) -> HttpResponse:
    form = ActivationForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid():
        try:
            activation = onboarding.find_usable_code(form.cleaned_data["code"])
        except onboarding.ActivationError as error:
            form.add_error("code", error.message)
        else:
            form.validate_password_for(activation.employee)
        if not form.errors:
            try:
                employee = onboarding.activate(
                    form.cleaned_data["code"],
                    password=form.cleaned_data["password1"],
                    pin=form.cleaned_data["pin"] or None,
                )
            except onboarding.ActivationError as error:
                form.add_error("code", error.message)
            else:
                login(
                    request, employee, backend="workplace.backends.UsernameOrPersonnelNumberBackend"
                )
                reauth.note_password(request)
                if request.terminal is not None:
                    terminals.start_terminal_session(request, request.terminal)
                messages.success(
                    request,
                    _("Welcome, %(name)s! Your username is %(username)s.")
                    % {"name": employee.first_name, "username": employee.username},
                )
                return redirect("home")
    return render(request, "registration/activate.html", {"form": form})


@login_required
def edit_profile(request: AuthenticatedRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, request.FILES or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        response = redirect("edit_profile")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            request.user.language,
            samesite="Lax",
            secure=settings.LANGUAGE_COOKIE_SECURE,
        )
        return response
    return render(request, "workplace/profile_edit.html", {"form": form})


@login_required
def change_pin(request: AuthenticatedRequest) -> HttpResponse:
    form = PinChangeForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        terminals.change_pin(request.user, form.cleaned_data["pin1"])
        messages.success(request, _("Your PIN has been saved."))
        return redirect("edit_profile")
    return render(request, "workplace/pin_change.html", {"form": form})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    form = LanguageForm(request.POST)
    response = redirect(local_url(request, request.POST.get("next"), "/"))
    if form.is_valid():
        language = form.cleaned_data["language"]
        if request.user.is_authenticated:
            Employee.objects.filter(pk=request.user.pk).update(language=language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            samesite="Lax",
            max_age=365 * 86400,
            secure=settings.LANGUAGE_COOKIE_SECURE,
        )
    return response


@recent_auth_required
def api_tokens(request: AuthenticatedRequest) -> HttpResponse:
    """Personal API tokens: make one (its key is shown once) or revoke one."""
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and "revoke" in request.POST:
        token_id = parse_id(request.POST.get("revoke"))
        if token_id is not None and revoke_token(request.user, token_id):
            messages.success(request, _("The token has been revoked."))
        return redirect("api_tokens")
    if request.method == "POST" and form.is_valid():
        new_key = issue_token(request.user, form.cleaned_data["name"])
        form = ApiTokenForm()
    tokens = request.user.api_tokens.filter(revoked__isnull=True)
    response = render(
        request, "workplace/api_tokens.html", {"form": form, "tokens": tokens, "new_key": new_key}
    )
    response["Cache-Control"] = "no-store"
    return response
