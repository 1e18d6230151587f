"""Writing the audit log (see docs/security.md).

``record()`` is the one way in. Inside a request it knows who acts, from which
address and terminal, through a context variable that ``AuditContextMiddleware``
sets — so that signal handlers (a group change made in the admin, say) can
record the actor without a request being passed down to them.
"""

from __future__ import annotations

import contextvars
import ipaddress
import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from workplace.models import AuditAction, AuditEvent, Employee, Terminal

logger = logging.getLogger("werkplek.audit")

__all__ = ["AuditAction", "AuditContextMiddleware", "client_ip", "purge_expired", "record"]


_current: contextvars.ContextVar[_RequestContext | None] = contextvars.ContextVar(
    "werkplek_audit_context", default=None
)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind ``PROXY_COUNT`` trusted proxies the
    address that the outermost of them saw (the rightmost entries of X-Forwarded-For are
    the only ones a client cannot forge)."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def record(
    action: AuditAction,
    *,
    request: HttpRequest | None = None,
    actor: Employee | None = None,
    target: models.Model | None = None,
    target_label: str = "",
    **detail: Any,
) -> AuditEvent:
    """Write one audit event. ``actor`` overrides the one the request knows (a login
    that failed has no user on the request; the account it aimed at is the target)."""
    context = _RequestContext(request) if request is not None else _current.get()
    if actor is None and context is not None:
        actor = context.actor
    event = AuditEvent(
        action=action,
        actor=actor,
        actor_label=_label(actor),
        ip_address=context.ip_address if context else None,
        terminal=context.terminal if context else None,
        detail=detail,
    )
    if target is not None:
        event.target_type = target._meta.label_lower
        event.target_id = str(target.pk)
        event.target_label = (target_label or str(target))[:300]
    else:
        event.target_label = target_label[:300]
    event.save(force_insert=True)
    logger.info(
        "audit %s actor=%s target=%s:%s",
        action,
        event.actor_label,
        event.target_type,
        event.target_id,
    )
    return event


def _label(actor: Employee | None) -> str:
    if actor is None:
        return ""
    return f"{actor.username} ({actor.get_full_name() or actor.personnel_number})"[:200]


def purge_expired(now=None) -> int:
    """Delete events older than ``AUDIT_RETENTION_DAYS``; returns how many went."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    deleted, _per_model = AuditEvent.objects.filter(created__lt=cutoff).delete()
    return deleted


class AuditContextMiddleware:
    """Lets ``record()`` called anywhere in this request know who acts, and from where."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current.set(_RequestContext(request))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


class _RequestContext:
    """Reads the request lazily: the user may log in or out during the request."""

    def __init__(self, request: HttpRequest):
        self._request = request

    @property
    def actor(self) -> Employee | None:
        user = getattr(self._request, "user", None)
        return user if user is not None and user.is_authenticated else None

    @property
    def ip_address(self) -> str | None:
        return client_ip(self._request)

    @property
    def terminal(self) -> Terminal | None:
        return getattr(self._request, "terminal", None)
