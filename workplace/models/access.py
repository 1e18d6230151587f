"""How employees get in: activation codes, shared terminals and PIN lock-outs."""

from __future__ import annotations

import hashlib
import hmac
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def hash_code(code: str) -> str:
    """A keyed hash of an activation code.

    Codes carry about 50 random bits, so a keyed SHA-256 is enough and, unlike
    a salted password hash, lets us find the code by its hash.
    """
    normalized = code.replace("-", "").replace(" ", "").upper()
    return hmac.new(settings.SECRET_KEY.encode(), normalized.encode(), hashlib.sha256).hexdigest()


class ActivationCode(models.Model):
    """A single-use code on a printed letter, for employees without e-mail."""

    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="activation_codes",
    )
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    created = models.DateTimeField(_("created"), default=timezone.now)
    expires = models.DateTimeField(_("expires"))
    used = models.DateTimeField(_("used"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Empty for a first letter; a reset (the employee had a password) says why.
    reason = models.TextField(_("reason for the reset"), blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("activation code")
        verbose_name_plural = _("activation codes")

    def __str__(self) -> str:
        return f"{self.employee} ({self.created:%Y-%m-%d})"

    @property
    def is_reset(self) -> bool:
        return bool(self.reason)


class Terminal(models.Model):
    """A shared computer in a workshop or depot, known by a signed device cookie."""

    name = models.CharField(_("name"), max_length=100)
    site = models.ForeignKey(
        "workplace.WorkSite",
        verbose_name=_("work site"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="terminals",
    )
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    registered = models.DateTimeField(_("registered"), default=timezone.now)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_seen = models.DateTimeField(_("last seen"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("shared terminal")
        verbose_name_plural = _("shared terminals")

    def __str__(self) -> str:
        return self.name


class PinLockout(models.Model):
    """Failed PIN attempts for a personnel number at one terminal, or (``terminal`` empty)
    at all terminals together: the city-wide cap. Shared by every process."""

    personnel_number = models.CharField(max_length=20, db_index=True)
    terminal = models.ForeignKey(
        Terminal,
        verbose_name=_("terminal"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    failures = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_failure = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("PIN lock-out")
        verbose_name_plural = _("PIN lock-outs")
        constraints = [
            models.UniqueConstraint(
                fields=["personnel_number", "terminal"],
                condition=models.Q(terminal__isnull=False),
                name="pin_lockout_per_terminal",
            ),
            models.UniqueConstraint(
                fields=["personnel_number"],
                condition=models.Q(terminal__isnull=True),
                name="pin_lockout_city_wide",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.personnel_number} @ {self.terminal or '*'}"

    @property
    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal key for integrations: ``Authorization: Bearer <key>`` on /api/v1/.

    The key is shown once when made; only its hash is kept.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("starts with"), max_length=8, editable=False)
    created = models.DateTimeField(_("created"), default=timezone.now)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
