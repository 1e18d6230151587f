"""What the audit log hears through signals: logins, rights, object grants, deactivation.

Everything else (exports, letters, PIN locks …) is recorded by the action itself.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from guardian.models import GroupObjectPermission, UserObjectPermission

from workplace import audit
from workplace.models import AuditAction, Employee


@receiver(user_logged_in)
def record_login(sender, request, user, **kwargs) -> None:
    backend = getattr(user, "backend", "") or ""
    action = AuditAction.PIN_LOGIN if backend.endswith("TerminalPinBackend") else AuditAction.LOGIN
    audit.record(action, request=request, actor=user, target=user)


@receiver(user_logged_out)
def record_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        # workplace.sessions.end says why when it was not the employee's choice.
        reason = str(getattr(request, "logout_reason", "logout"))
        audit.record(AuditAction.LOGOUT, request=request, actor=user, target=user, reason=reason)


@receiver(user_login_failed)
def record_login_failure(sender, credentials, request=None, **kwargs) -> None:
    # Only the name that was typed: never the password, not even a wrong one.
    typed = str(credentials.get("username") or credentials.get("personnel_number") or "")[:150]
    if "pin" in credentials:
        action = AuditAction.PIN_FAILED
        target = Employee.objects.filter(personnel_number=typed).first() if typed else None
    else:
        action = AuditAction.LOGIN_FAILED
        # The login form takes a username or a personnel number, as the backend does.
        target = (
            (
                Employee.objects.filter(username=typed).first()
                or Employee.objects.filter(personnel_number=typed).first()
            )
            if typed
            else None
        )
    audit.record(
        action,
        request=request,
        actor=None,
        target=target,
        target_label=typed,
    )


@receiver(pre_save, sender=Employee)
def record_flag_changes(sender, instance: Employee, **kwargs) -> None:
    loaded = getattr(instance, "_loaded_state", None)
    if instance.pk is None or not loaded:
        return
    changed = {
        flag: getattr(instance, flag)
        for flag in ("is_staff", "is_superuser")
        if loaded.get(flag) is not None and loaded.get(flag) != getattr(instance, flag)
    }
    if changed:
        audit.record(AuditAction.ROLE_CHANGED, target=instance, **changed)
    if loaded.get("is_active") and not instance.is_active:
        audit.record(AuditAction.ACCOUNT_DEACTIVATED, target=instance)


@receiver(m2m_changed, sender=Employee.groups.through)
def record_group_changes(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    # Department groups follow the department by themselves; only role and other
    # groups that an administrator hands out are rights worth a line.
    names = (
        sorted(
            Group.objects.filter(pk__in=pk_set)
            .exclude(name__startswith="afdeling:")
            .values_list("name", flat=True)
        )
        if pk_set
        else []
    )
    if action != "post_clear" and not names:
        return
    verb = {"post_add": "added", "post_remove": "removed", "post_clear": "cleared"}[action]
    if reverse:
        # group.user_set.add(...): the instance is the group, pk_set the employees.
        for employee in Employee.objects.filter(pk__in=pk_set or []):
            audit.record(AuditAction.ROLE_CHANGED, target=employee, **{verb: [instance.name]})
        return
    audit.record(AuditAction.ROLE_CHANGED, target=instance, **{verb: names})


@receiver(post_save, sender=UserObjectPermission)
@receiver(post_save, sender=GroupObjectPermission)
def record_object_grant(sender, instance, created: bool, **kwargs) -> None:
    if created:
        _record_object_permission(instance, "granted")


@receiver(post_delete, sender=UserObjectPermission)
@receiver(post_delete, sender=GroupObjectPermission)
def record_object_revoke(sender, instance, **kwargs) -> None:
    _record_object_permission(instance, "revoked")


def _record_object_permission(grant, verb: str) -> None:
    holder = getattr(grant, "user", None) or getattr(grant, "group", None)
    audit.record(
        AuditAction.PERMISSION_CHANGED,
        target_label=f"{grant.content_type.app_label}.{grant.content_type.model}:{grant.object_pk}",
        change=verb,
        permission=grant.permission.codename,
        holder=str(holder),
    )
