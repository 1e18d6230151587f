"""The audit log: security-relevant and privileged events, written once, never edited."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Login failed")
    LOGOUT = "logout", _("Logged out")
    ACCOUNT_LOCKED = "account_locked", _("Login locked after failures")
    PIN_LOGIN = "pin_login", _("Logged in with PIN")
    PIN_FAILED = "pin_failed", _("Wrong PIN")
    PIN_LOCKED = "pin_locked", _("PIN locked")
    PIN_CHANGED = "pin_changed", _("PIN changed")
    ACTIVATION_ISSUED = "activation_issued", _("Activation letter issued")
    ACTIVATION_USED = "activation_used", _("Activation code used")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    PASSWORD_RESET = "password_reset", _("Password reset")
    MFA_ENABLED = "mfa_enabled", _("Two-step login set up")
    MFA_DISABLED = "mfa_disabled", _("Two-step login removed")
    MFA_FAILED = "mfa_failed", _("Wrong two-step code")
    RECOVERY_CODE_USED = "recovery_code_used", _("Recovery code used")
    RECOVERY_CODES_CREATED = "recovery_codes_created", _("New recovery codes made")
    TOKEN_CREATED = "token_created", _("API token created")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    TERMINAL_REGISTERED = "terminal_registered", _("Shared terminal registered")
    TERMINAL_FORGOTTEN = "terminal_forgotten", _("Shared terminal removed")
    ROLE_CHANGED = "role_changed", _("Groups or rights changed")
    PERMISSION_CHANGED = "permission_changed", _("Object permission changed")
    ACCOUNT_DEACTIVATED = "account_deactivated", _("Account deactivated")
    EMPLOYEES_IMPORTED = "employees_imported", _("Staff imported")
    EXPORT = "export", _("Data exported")
    DIRECTIVE_PUBLISHED = "directive_published", _("Directive published")
    DIRECTIVE_REPEALED = "directive_repealed", _("Directive repealed")
    SURVEY_RESULTS_VIEWED = "survey_results_viewed", _("Survey results viewed")
    UPLOAD_REFUSED = "upload_refused", _("Upload refused")
    FILES_SECURED = "files_secured", _("Stored files re-checked")


class AuditEvent(models.Model):
    """One event. The labels keep who and what readable after the rows they name are gone."""

    created = models.DateTimeField(_("when"), default=timezone.now, db_index=True, editable=False)
    action = models.CharField(_("what"), max_length=40, choices=AuditAction.choices, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("who (as then known)"), max_length=200, blank=True)
    target_type = models.CharField(_("object type"), max_length=60, blank=True)
    target_id = models.CharField(_("object id"), max_length=60, blank=True, db_index=True)
    target_label = models.CharField(_("object"), max_length=300, blank=True)
    terminal = models.ForeignKey(
        "workplace.Terminal",
        verbose_name=_("terminal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ip_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    detail = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["actor", "-created"])]

    def __str__(self) -> str:
        return f"{self.created:%Y-%m-%d %H:%M} {self.get_action_display()} {self.actor_label}"

    def save(self, *args, **kwargs) -> None:
        # Written once: a changed audit record would be worth nothing.
        if self.pk is not None and not kwargs.pop("force_insert", False):
            raise ValidationError("Audit events cannot be changed.")
        super().save(*args, **kwargs)
