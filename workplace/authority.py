"""Whose credentials someone may set: never those of an account with more rights.

Whoever sets a password, prints an activation letter or resets a second factor
for somebody else could log in as them. So they may only do it for accounts
that hold no right they lack themselves:

- a superuser reaches everyone;
- nobody else reaches a superuser or a staff member (superuser > staff > the rest);
- a role (``Role``) the issuer does not hold puts the account out of reach;
- so does a model permission, or an object permission (guardian: personal, or
  through a group that is not a department's group), that the issuer lacks;
- and so does leading a department: a manager approves that department's work.

What an account may *read* because of where it works (its department, its
site, audiences) is not a right here: it is what every colleague there reads,
and activation letters exist precisely for those colleagues.

``reachable_by`` is the one rule, as one SQL filter; ``may_reach`` asks it about
one account, so the two can never disagree.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db.models import Exists, OuterRef, Q, QuerySet
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from workplace.models import Employee
from workplace.roles import Role, role_names

DEPARTMENT_GROUP_PREFIX = "afdeling:"


def reachable_by(issuer: Employee, employees: QuerySet[Employee]) -> QuerySet[Employee]:
    """The employees whose credentials ``issuer`` may set or reset."""
    if not issuer.is_authenticated or not issuer.is_active:
        return employees.none()
    if issuer.is_superuser:
        return employees
    employees = employees.filter(is_superuser=False, is_staff=False)
    missing_roles = set(Role.values) - role_names(issuer)
    if missing_roles:
        employees = employees.exclude(groups__name__in=missing_roles)
    issuer_permissions = Permission.objects.filter(Q(user=issuer) | Q(group__user=issuer))
    lacking = Permission.objects.exclude(pk__in=issuer_permissions.values("pk"))
    employees = employees.exclude(user_permissions__in=lacking).exclude(
        groups__permissions__in=lacking
    )
    for grants in _grants_lacking(issuer):
        employees = employees.exclude(Exists(grants))
    return employees.exclude(Q(managed_departments__isnull=False) & ~Q(pk=issuer.pk))


def may_reach(issuer: Employee, target: Employee) -> bool:
    return reachable_by(issuer, Employee.objects.filter(pk=target.pk)).exists()


def _grants_lacking(issuer: Employee) -> list[QuerySet]:
    """Per kind of object grant, those of the outer employee that ``issuer`` does not hold."""
    user_models, group_models = {}, {}
    for model in apps.get_models():
        if issubclass(model, UserObjectPermissionBase):
            user_models[_object_key(model)] = model
        elif issubclass(model, GroupObjectPermissionBase):
            group_models[_object_key(model)] = model
    found = []
    for key, user_model in user_models.items():
        group_model = group_models.get(key)
        fields = _match_fields(user_model)
        same = {name: OuterRef(name) for name in fields}
        held = Exists(user_model.objects.filter(user=issuer, **same))
        if group_model is not None:
            held |= Exists(group_model.objects.filter(group__user=issuer, **same))
        found.append(user_model.objects.filter(user=OuterRef("pk")).exclude(held))
        if group_model is not None:
            found.append(
                group_model.objects.filter(group__user=OuterRef("pk"))
                .exclude(group__name__startswith=DEPARTMENT_GROUP_PREFIX)
                .exclude(held)
            )
    return found


def _object_key(model) -> object:
    """What a grant model's rows point at: one model (direct foreign key) or any (generic)."""
    field = model._meta.get_field("content_object")
    return "generic" if isinstance(field, GenericForeignKey) else field.related_model


def _match_fields(model) -> list[str]:
    if _object_key(model) == "generic":
        return ["permission", "content_type", "object_pk"]
    return ["permission", "content_object"]
