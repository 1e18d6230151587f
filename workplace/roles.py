"""The role groups every module can rely on, created by a data migration."""

from __future__ import annotations

from collections.abc import Callable

from django.db import models
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COMMUNICATION = "Communicatie", _("Internal communication team")
    HR = "HR", _("HR")
    KUS_EDITORS = "KUS-redactie", _("KUS editors")
    MANAGERS = "Leidinggevenden", _("Department managers")
    # Sends urgent messages (alerts) beside the communication team; its group comes
    # from alerts' data migration.
    CRISIS_COMMUNICATION = "Crisiscommunicatie", _("Crisis communication")


# The annotation that says whether a loaded employee holds each role (see below).
ROLE_ANNOTATIONS = {f"holds_role_{number}": name for number, name in enumerate(Role.values)}


# Yes-or-no questions about the logged-in employee that apps ask on most pages: each the
# ids of the employees for whom the answer is yes (``register_user_question``).
user_questions: dict[str, Callable[[], models.QuerySet]] = {}


def register_user_question(name: str, yes: Callable[[], models.QuerySet]) -> None:
    """Have the query that loads the logged-in employee answer a question too: ``yes``
    gives a queryset of the ids of the employees it holds for (``values("employee_id")``,
    say). The answer is the attribute ``name`` of the employee, absent where they were
    loaded otherwise (the app asks itself then)."""
    global _logged_in_employees
    user_questions[name] = yes
    _compiled_questions.clear()
    _logged_in_employees = None


# name -> (SQL, params), compiled once per process: as ORM expressions (EXISTS with an
# outer reference) they cost 6 ms to compile on every request, a hundred times what the
# query takes to run; a fixed piece of SQL costs nothing to insert.
_compiled_questions: dict[str, tuple[str, tuple]] = {}


def _questions() -> dict[str, tuple[str, tuple]]:
    if not _compiled_questions:
        from django.db import connection

        from workplace.models import Department, Employee

        memberships = Employee.groups.through.objects
        sets = {
            "manages_a_department": Department.objects.filter(manager__isnull=False).values(
                "manager_id"
            ),
            **{
                key: memberships.filter(group__name=name).values("employee_id")
                for key, name in ROLE_ANNOTATIONS.items()
            },
            **{name: yes() for name, yes in user_questions.items()},
        }
        employee_id = "{}.{}".format(
            connection.ops.quote_name(Employee._meta.db_table), connection.ops.quote_name("id")
        )
        for name, ids in sets.items():
            sql, params = ids.query.sql_with_params()
            _compiled_questions[name] = (f"{employee_id} IN ({sql})", tuple(params))
    return _compiled_questions


def with_roles(employees: models.QuerySet) -> models.QuerySet:
    """``employees`` with what ``role_names``, ``manages_a_department`` and the apps'
    registered questions ask, in the same query: the logged-in employee is loaded on
    every request and every socket (workplace.backends), and each of those questions
    would be a query of its own."""
    return employees.annotate(
        **{
            name: RawSQL(sql, params, output_field=models.BooleanField())
            for name, (sql, params) in _questions().items()
        }
    )


_logged_in_employees: models.QuerySet | None = None


def logged_in_employees() -> models.QuerySet:
    """Employees as the logged-in one is loaded (workplace.backends): with their
    department and ``with_roles``. Annotated once per process; each request filters a
    copy (annotating anew cost a millisecond a request)."""
    global _logged_in_employees
    if _logged_in_employees is None:
        from workplace.models import Employee

        _logged_in_employees = with_roles(Employee._default_manager.select_related("department"))
    return _logged_in_employees


def role_names(user) -> frozenset[str]:
    """The names of the role groups the user belongs to, cached on the user object."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_werkplek_role_names", None)
    if cached is None:
        # (getattr, not __dict__: request.user is a lazy object in front of the employee)
        held = {key: getattr(user, key, None) for key in ROLE_ANNOTATIONS}
        if None not in held.values():  # loaded ``with_roles``
            cached = frozenset(name for key, name in ROLE_ANNOTATIONS.items() if held[key])
        else:
            names = user.groups.filter(name__in=Role.values).values_list("name", flat=True)
            cached = frozenset(names)
        user._werkplek_role_names = cached
    return cached


def manages_a_department(user) -> bool:
    """Is the user the manager (``Department.manager``) of at least one department?"""
    cached = getattr(user, "manages_a_department", None)
    if cached is None:
        from workplace.models import Department

        cached = Department.objects.filter(manager=user).exists()
        user.manages_a_department = cached
    return cached


def has_role(user, role: Role) -> bool:
    """True when the user belongs to the role group (superusers hold every role)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or role.value in role_names(user)


def role_required(role: Role):
    """View decorator: log in first, then 403 for anyone without the role; a role that
    needs a second factor (``mfa``) is only used with a verified one."""
    from functools import wraps

    from django.contrib.auth.decorators import login_required
    from django.core.exceptions import PermissionDenied

    from workplace.mfa import second_factor_required

    def decorator(view):
        @wraps(view)
        @login_required
        @second_factor_required
        def wrapper(request, *args, **kwargs):
            if not has_role(request.user, role):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
