"""Invariants that must hold however an employee is changed (admin, import, shell)."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from workplace import realtime, sessions
from workplace.groups import sync_department_groups
from workplace.models import Employee


@receiver(post_save, sender=Employee)
def follow_department_and_status(sender, instance: Employee, created: bool, **kwargs) -> None:
    loaded = getattr(instance, "_loaded_state", {})
    if created or loaded.get("department_id") != instance.department_id:
        sync_department_groups(instance)
    user_id = instance.pk
    if loaded.get("is_active") and not instance.is_active:
        transaction.on_commit(lambda: realtime.end_user_sockets(user_id))
    elif _password_changed(instance, loaded):
        # By the person, a reset, an administrator or the shell alike: Django ends
        # the other sessions at their next request (their auth hash no longer
        # matches); their sockets must not wait for one.
        transaction.on_commit(lambda: realtime.check_user_sockets(user_id))
    instance.remember_loaded_state()


def _password_changed(instance: Employee, loaded: dict) -> bool:
    # __dict__, not the attribute: a deferred password must not be loaded to compare.
    before = loaded.get("password")
    return before is not None and before != instance.__dict__.get("password", before)


@receiver(user_logged_in)
def start_session_clocks(sender, request, user, **kwargs) -> None:
    if request is not None:
        sessions.start(request.session)


@receiver(user_logged_out)
def close_sockets_of_session(sender, request, user, **kwargs) -> None:
    if request is None:
        return
    # SessionLimitMiddleware clears the browser's storage with the response.
    request.logged_out = True
    # Django sends this signal before it flushes the session, so the key is still there.
    session_key = request.session.session_key
    if session_key:
        reason = str(getattr(request, "logout_reason", sessions.EndReason.LOGOUT))
        realtime.end_session_sockets(session_key, reason)
