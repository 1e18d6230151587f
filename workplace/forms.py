from __future__ import annotations

import copy

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from workplace import files
from workplace.models import Audience, Department, Employee, WorkSite
from workplace.models.audiences import AudienceJobTitle, job_title_key
from workplace.roles import Role

pin_validator = RegexValidator(r"^[0-9]{4,6}$", _("A PIN has 4 to 6 digits."))


class LoginForm(AuthenticationForm):
    """Keeps the field names ``username`` and ``password`` for password managers and scripts."""

    username = forms.CharField(
        label=_("Username or personnel number"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocapitalize": "none", "autocomplete": "username"}
        ),
    )
    error_messages = {
        "invalid_login": _("That username or personnel number and password do not match."),
        "inactive": _("This account is not active. Contact HR."),
    }


class PinLoginForm(forms.Form):
    personnel_number = forms.CharField(
        label=_("Personnel number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    pin = forms.CharField(
        label=_("PIN"),
        max_length=6,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class PinField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 6)
        kwargs.setdefault("min_length", 4)
        kwargs.setdefault("validators", [pin_validator])
        kwargs.setdefault(
            "widget", forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
        )
        super().__init__(**kwargs)


class NewPasswordMixin(forms.Form):
    password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_password2(self) -> str:
        first, second = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if first and second and first != second:
            raise forms.ValidationError(_("The two passwords differ."))
        return second


class ActivationForm(NewPasswordMixin):
    code = forms.CharField(
        label=_("Activation code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    pin = PinField(
        label=_("PIN for shared terminals (optional)"),
        required=False,
        help_text=_("4 to 6 digits. With it you log in quickly on a workshop terminal."),
    )

    field_order = ["code", "password1", "password2", "pin"]

    def validate_password_for(self, employee: Employee) -> None:
        password = self.cleaned_data.get("password1")
        try:
            password_validation.validate_password(password, employee)
        except forms.ValidationError as error:
            self.add_error("password1", error)


class PinChangeForm(forms.Form):
    """A new PIN, confirmed with the password (checked like a login: see ``reauth``)."""

    current_password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    pin1 = PinField(label=_("New PIN"))
    pin2 = PinField(label=_("New PIN again"))

    def __init__(self, request, *args, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_current_password(self) -> str:
        from workplace.reauth import check_password

        password = self.cleaned_data["current_password"]
        if not check_password(self.request, password):
            raise forms.ValidationError(_("That is not your current password."))
        return password

    def clean(self):
        data = super().clean()
        if data.get("pin1") and data.get("pin2") and data["pin1"] != data["pin2"]:
            self.add_error("pin2", _("The two PINs differ."))
        if data.get("pin1") and len(set(data["pin1"])) == 1:
            self.add_error("pin1", _("Choose a PIN that is not one digit repeated."))
        return data


class AvatarFormMixin:
    """The photo passes ``workplace.files`` (re-encoded, no metadata, a random name), and
    the file of the photo it replaces goes once the change is saved."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._previous_avatar = self.instance.avatar.name or ""
        self.fields["avatar"].widget.file_url = self.instance.avatar_url

    def clean_avatar(self):
        value = self.cleaned_data.get("avatar")
        return value.as_file() if isinstance(value, files.CheckedFile) else value

    def save(self, commit=True):
        employee = super().save(commit)
        if self._previous_avatar and self._previous_avatar != employee.avatar.name:
            files.delete_on_commit(employee.avatar.storage, self._previous_avatar)
        return employee


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form, with the old password checked like a login (see ``reauth``)."""

    def __init__(self, request, *args, **kwargs):
        self.request = request
        super().__init__(request.user, *args, **kwargs)

    def clean_old_password(self) -> str:
        from workplace.reauth import check_password

        password = self.cleaned_data["old_password"]
        if not check_password(self.request, password):
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return password


class ProfileForm(AvatarFormMixin, forms.ModelForm):
    avatar = files.UploadField(files.AVATARS, label=_("photo"), required=False)

    class Meta:
        model = Employee
        fields = [
            "avatar",
            "mobile",
            "mobile_opt_in",
            "language",
        ]
        widgets = {
            "mobile": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        }

    def save(self, commit=True):
        if not commit:
            return super().save(commit=False)
        # Only the profile's own fields: the employee was read when the page loaded, and
        # a full save would put back a password or an account HR has changed since.
        employee = super().save(commit=False)
        employee.save(update_fields=self._meta.fields)
        return employee

    def clean(self):
        data = super().clean()
        if data.get("mobile_opt_in") and not data.get("mobile"):
            self.add_error("mobile", _("Fill in your mobile number first."))
        return data


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=Employee._meta.get_field("language").choices)
    next = forms.CharField(required=False)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("What is the token for?"),
        max_length=100,
        help_text=_("For example: the planning tool of the Groendienst."),
    )


class TerminalRegistrationForm(forms.Form):
    name = forms.CharField(label=_("Name of this terminal"), max_length=100)
    site = forms.ModelChoiceField(
        label=_("Work site"), queryset=WorkSite.objects.all(), required=False
    )


class ActivationResetForm(forms.Form):
    """A new letter for someone who has a password already: it replaces that password."""

    employee = forms.CharField(
        label=_("Username or personnel number"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    reason = forms.CharField(
        label=_("Why is the password reset?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: forgot the password, came by in person with an identity card. "
            "The reason is kept in the audit log."
        ),
    )

    def clean_employee(self) -> Employee:
        key = self.cleaned_data["employee"].strip()
        employee = (
            Employee.objects.filter(is_active=True)
            .filter(models.Q(username=key) | models.Q(personnel_number=key))
            .first()
        )
        if employee is None:
            raise forms.ValidationError(_("No active employee has this username or number."))
        return employee


class PeopleField(forms.CharField):
    """Named employees typed as usernames or personnel numbers, separated by commas.

    A select box of 8,000 employees would make a page of a megabyte and is no
    use on a phone.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Usernames or personnel numbers, separated by commas."))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):  # the instance's employees, by pk or object
            pks = [getattr(v, "pk", v) for v in value]
            names = Employee.objects.filter(pk__in=pks).values_list("username", flat=True)
            return ", ".join(sorted(names))
        return value

    def clean(self, value):
        text = super().clean(value)
        keys = [k.strip() for k in (text or "").replace(";", ",").split(",") if k.strip()]
        if not keys:
            return Employee.objects.none()
        found = Employee.objects.filter(is_active=True).filter(
            models.Q(username__in=keys) | models.Q(personnel_number__in=keys)
        )
        known = {e.username for e in found} | {e.personnel_number for e in found}
        unknown = [k for k in keys if k not in known]
        if unknown:
            raise forms.ValidationError(
                _("Unknown colleagues: %(names)s.") % {"names": ", ".join(unknown)}
            )
        return found

    def has_changed(self, initial, data) -> bool:
        return self.prepare_value(initial or []) != ", ".join(
            sorted(k.strip() for k in (data or "").split(",") if k.strip())
        )


class ActivationLettersForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Department (with its sub-departments)"), queryset=Department.objects.all()
    )
    only_without_email = forms.BooleanField(
        label=_("Only employees without a work e-mail address"), required=False, initial=True
    )
    people = PeopleField(
        label=_("Only these colleagues"),
        help_text=_(
            "Personnel numbers or usernames, separated by commas. Empty: everyone in the "
            "department. You choose who gets a letter on the next page too."
        ),
    )


def role_label(group) -> str:
    return str(Role(group.name).label) if group.name in Role.values else group.name


class AudienceForm(forms.ModelForm):
    """The shared audience editor; other modules embed it in their own forms."""

    employees = PeopleField(label=_("Named employees"))
    excluded_employees = PeopleField(label=_("Except employees"))
    job_titles_text = forms.CharField(
        label=_("Job titles"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One job title per line."),
    )

    class Meta:
        model = Audience
        fields = [
            "all_staff",
            "departments",
            "departments_only",
            "groups",
            "sites",
            "employees",
            "worker_kind",
            "excluded_departments",
            "excluded_employees",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A role group's name is a Dutch key ("KUS-redactie"); people read its label.
        self.fields["groups"].label_from_instance = role_label
        if self.instance.pk:
            self.fields["job_titles_text"].initial = "\n".join(
                self.instance.job_titles.values_list("title", flat=True)
            )

    def clean(self):
        data = super().clean()
        titles = [t.strip() for t in data.get("job_titles_text", "").splitlines() if t.strip()]
        data["job_titles"] = titles
        has_rule = (
            data.get("all_staff")
            or titles
            or any(
                data.get(name)
                for name in ("departments", "departments_only", "groups", "sites", "employees")
            )
        )
        if not has_rule:
            raise forms.ValidationError(_("Choose at least one group of people to address."))
        return data

    def save(self, commit: bool = True) -> Audience:
        audience = super().save(commit=commit)
        if commit:
            audience.job_titles.all().delete()
            by_key = {job_title_key(title): title for title in self.cleaned_data["job_titles"]}
            AudienceJobTitle.objects.bulk_create(
                AudienceJobTitle(audience=audience, title=title, key=key)
                for key, title in by_key.items()
            )
        return audience


class SecondFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The 6 digits in your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autocapitalize": "none",
                "autofocus": True,
            }
        ),
    )


class ReauthForm(forms.Form):
    """The password again (and a code, for whoever has an app) before a sensitive action."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )

    def __init__(self, *args, with_code: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if with_code:
            self.fields["code"] = copy.deepcopy(SecondFactorCodeForm.base_fields["code"])
            self.fields["code"].widget.attrs.pop("autofocus", None)
