from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from workplace import files, mfa
from workplace.admin_guard import TolerantAutocompleteMixin, TolerantGuardedModelAdmin
from workplace.admin_logs import LogAdmin
from workplace.authority import may_reach, reachable_by
from workplace.forms import AvatarFormMixin
from workplace.models import (
    ActivationCode,
    ApiToken,
    Audience,
    AudienceJobTitle,
    AuditEvent,
    Department,
    Employee,
    JobFailure,
    PinLockout,
    Terminal,
    WorkSite,
)

# django-otp's own device pages would show anyone's TOTP secret as a QR code to any staff
# member with the right permission: second factors are reset with the action below.
for device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)

admin.site.site_header = _("Werkplek administration")
admin.site.site_title = _("Werkplek")
admin.site.index_title = _("Administration")


class EmployeeChangeForm(AvatarFormMixin, UserChangeForm):
    # An administrator's upload passes the same checks as the employee's own.
    avatar = files.UploadField(files.AVATARS, label=_("photo"), required=False)


@admin.register(Employee)
class EmployeeAdmin(TolerantAutocompleteMixin, UserAdmin):
    form = EmployeeChangeForm
    list_display = [
        "username",
        "personnel_number",
        "last_name",
        "first_name",
        "department",
        "is_field_worker",
        "is_active",
    ]
    list_filter = ["is_active", "is_field_worker", "is_staff", "language", "groups"]
    search_fields = [
        "username",
        "personnel_number",
        "first_name",
        "last_name",
        "email",
        "job_title",
    ]
    list_select_related = ["department"]
    autocomplete_fields = ["department", "site"]
    actions = ["reset_second_factor"]
    fieldsets = [
        (None, {"fields": ["username", "password", "personnel_number"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "avatar", "language"]}),
        (_("Work"), {"fields": ["department", "job_title", "site", "is_field_worker"]}),
        (
            _("Contact"),
            {
                "fields": [
                    "email",
                    "mobile",
                    "mobile_opt_in",
                ]
            },
        ),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]

    @admin.action(
        description=_("Reset two-step login (lost phone and recovery codes)"),
        permissions=["change"],
    )
    def reset_second_factor(self, request, queryset) -> None:
        """Remove the app and recovery codes of the chosen employees the administrator
        outranks; each is asked to set up a new app at their next page."""
        reached = list(reachable_by(request.user, queryset))
        for employee in reached:
            mfa.remove_second_factor(employee, by=request.user, reason="admin")
        self.message_user(
            request,
            _("Two-step login reset for %(done)d of %(chosen)d employees.")
            % {"done": len(reached), "chosen": queryset.count()},
        )

    def has_change_permission(self, request, obj=None) -> bool:
        # Changing an account includes setting its password (the admin's password form
        # asks this): never for an account with rights the staff member lacks.
        if obj is not None and not may_reach(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and not may_reach(request.user, obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Rights are handed out by superusers only, or staff could grant themselves any.
            readonly += ["is_staff", "is_superuser", "groups", "user_permissions"]
        return readonly

    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "personnel_number",
                    "first_name",
                    "last_name",
                    "department",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]


@admin.register(Department)
class DepartmentAdmin(TolerantAutocompleteMixin, TolerantGuardedModelAdmin):
    list_display = ["name", "code", "kind", "parent", "manager"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent", "manager"]
    list_select_related = ["parent", "manager"]


@admin.register(WorkSite)
class WorkSiteAdmin(admin.ModelAdmin):
    list_display = ["name", "address"]
    search_fields = ["name", "address"]


class AudienceJobTitleInline(admin.TabularInline):
    model = AudienceJobTitle
    extra = 1


@admin.register(Audience)
class AudienceAdmin(TolerantAutocompleteMixin, admin.ModelAdmin):
    list_display = ["__str__", "all_staff", "worker_kind", "created"]
    search_fields = ["name"]
    inlines = [AudienceJobTitleInline]
    filter_horizontal = [
        "departments",
        "departments_only",
        "groups",
        "sites",
        "excluded_departments",
    ]
    autocomplete_fields = ["employees", "excluded_employees"]


@admin.register(ActivationCode)
class ActivationCodeAdmin(admin.ModelAdmin):
    list_display = ["employee", "created", "expires", "used", "created_by"]
    list_select_related = ["employee", "created_by"]
    search_fields = ["employee__last_name", "employee__personnel_number"]
    readonly_fields = ["employee", "created", "expires", "used", "created_by"]

    def has_add_permission(self, request):
        return False  # codes are made with the activation letters, where they are shown once


@admin.register(Terminal)
class TerminalAdmin(admin.ModelAdmin):
    list_display = ["name", "site", "is_active", "registered", "last_seen"]
    list_filter = ["is_active", "site"]
    readonly_fields = ["registered", "registered_by", "last_seen"]

    def has_add_permission(self, request):
        return False  # a terminal is registered on the device itself, which receives the cookie


@admin.register(PinLockout)
class PinLockoutAdmin(admin.ModelAdmin):
    list_display = ["personnel_number", "terminal", "failures", "locked_until", "last_failure"]
    list_select_related = ["terminal"]
    search_fields = ["personnel_number"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created", "last_used", "revoked"]
    list_select_related = ["user"]
    readonly_fields = ["user", "prefix", "created", "last_used"]
    search_fields = ["name", "user__username"]

    def has_add_permission(self, request):
        return False  # employees make their own tokens, and see the key once


@admin.register(AuditEvent)
class AuditEventAdmin(LogAdmin):
    """The audit log: for administrators to read, for nobody to change."""

    list_display = ["created", "action", "actor_label", "target_label", "terminal", "ip_address"]
    list_filter = ["action", "created"]
    search_fields = ["actor_label", "target_label", "target_id", "ip_address"]
    date_hierarchy = "created"
    list_select_related = ["terminal"]
    readonly_fields = [field.name for field in AuditEvent._meta.fields]


@admin.register(JobFailure)
class JobFailureAdmin(LogAdmin):
    """Failed background jobs: what failed, why, and whether it is retried; deleted once seen to."""

    list_display = ["failed", "task", "retries_left", "error_summary"]
    list_filter = ["task", "failed"]
    search_fields = ["task", "error", "arguments"]
    date_hierarchy = "failed"
    readonly_fields = [field.name for field in JobFailure._meta.fields]
    deletable = True  # once seen to

    @admin.display(description=_("error"))
    def error_summary(self, failure: JobFailure) -> str:
        return failure.error.splitlines()[0][:120] if failure.error else ""
