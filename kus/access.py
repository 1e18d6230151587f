"""Who may see, edit and follow up a directive; every view, export and API goes through here.

- Readers see published (and superseded or archived) directives; a restricted
  one only when its audience reaches them or a guardian grant (view or change, to
  them or to a group of theirs, e.g. the owner department's) says so.
- Editors are the KUS editors (role group) and whoever holds ``change_directive``
  on the directive: the owner department's group receives it on creation, and its
  leads (managers) take it up; anyone can get a personal grant. Editors see drafts.
- Managers (``Department.manager``, or the Leidinggevenden role for their own
  department) see who in their teams has not yet acknowledged.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404

from kus.models import (
    PUBLIC_STATUSES,
    Acknowledgement,
    Attachment,
    Directive,
    DirectiveGroupObjectPermission,
    DirectiveUserObjectPermission,
    DirectiveVersion,
    Status,
)
from workplace.audiences import audiences_for
from workplace.models import Department, Employee
from workplace.roles import Role, has_role, manages_a_department

CHANGE = "change_directive"
VIEW_RESTRICTED = "view_restricted_directive"


def user_audiences(user: Employee) -> QuerySet:
    """``audiences_for(user)``, built once per request: building it costs two queries."""
    cached = user.__dict__.get("_kus_audiences")
    if cached is None:
        cached = user.__dict__["_kus_audiences"] = audiences_for(user)
    return cached


def addressed_to(user: Employee) -> Exists:
    """Per directive row: does its audience reach the user? (EXISTS beats a large IN list.)"""
    return Exists(user_audiences(user).filter(pk=OuterRef("audience_id")))


def is_kus_editor(user: Employee) -> bool:
    return has_role(user, Role.KUS_EDITORS)


def is_department_lead(user: Employee) -> bool:
    """Managers lead their department's editing (``Department.manager`` or the role)."""
    cached = user.__dict__.get("_kus_lead")
    if cached is None:
        cached = has_role(user, Role.MANAGERS) or manages_a_department(user)
        user.__dict__["_kus_lead"] = cached
    return cached


def granted_ids(user: Employee, codename: str, *, groups: bool = True) -> QuerySet:
    """Ids of the directives on which the user holds ``codename``, as one subquery."""
    q = Q(
        pk__in=DirectiveUserObjectPermission.objects.filter(
            user=user, permission__codename=codename
        ).values("content_object")
    )
    if groups:
        q |= Q(
            pk__in=DirectiveGroupObjectPermission.objects.filter(
                group__user=user, permission__codename=codename
            ).values("content_object")
        )
    return Directive.objects.filter(q).values("pk")


def editable_ids(user: Employee) -> QuerySet:
    """Directives the user edits by grant. A grant to a department's group is taken up by
    that department's leads (a group holds everyone below it, field teams included);
    anyone else can be named in a personal grant (the admin's object permissions)."""
    return granted_ids(user, CHANGE, groups=is_department_lead(user))


def visible_directives(user: Employee) -> QuerySet[Directive]:
    """Every directive the user may know exists (drafts only for its editors)."""
    if not user.is_authenticated or not user.is_active:
        return Directive.objects.none()
    if is_kus_editor(user):
        return Directive.objects.all()
    # Built and compiled once per user object (one request): the start page, the badge and
    # the list each ask, and compiling the rule's subqueries cost more than running them
    # (bench/pages.py). Keyed like ``audiences_for``; grants stay subqueries, so current.
    key = (user.pk, user.department_id, user.site_id, user.job_title, user.is_field_worker)
    memo = user.__dict__.get("_kus_visible")
    if memo is None or memo[0] != key:
        rule = Directive.objects.filter(_readable_q(user)).values("pk")
        memo = user.__dict__["_kus_visible"] = (key, RawSQL(*rule.query.sql_with_params()))
    return Directive.objects.filter(pk__in=memo[1])


def _readable_q(user: Employee) -> Q:
    # A grant to the owner department's group lets the whole department see its restricted
    # directives (search indexes the same rule); only its leads edit them.
    readable = Q(status__in=PUBLIC_STATUSES) & (
        Q(restricted=False)
        | Q(addressed_to(user))
        | Q(pk__in=granted_ids(user, VIEW_RESTRICTED))
        | Q(pk__in=granted_ids(user, CHANGE))
    )
    return readable | Q(pk__in=editable_ids(user))


def editable_directives(user: Employee) -> QuerySet[Directive]:
    if not user.is_authenticated or not user.is_active:
        return Directive.objects.none()
    if is_kus_editor(user):
        return Directive.objects.all()
    return Directive.objects.filter(pk__in=editable_ids(user))


def personal_grant_holders() -> QuerySet:
    """For the query that loads the logged-in employee (``register_user_question``)."""
    grants = DirectiveUserObjectPermission.objects.filter(permission__codename=CHANGE)
    return grants.values("user_id")


def edits_nothing(user: Employee) -> bool:
    """True when the user surely edits no directive, known without a query (no editor,
    no lead, no personal grant when they were loaded); False means: ask."""
    if is_kus_editor(user) or is_department_lead(user):
        return False
    return getattr(user, "holds_a_personal_kus_grant", None) is False


def can_edit(user: Employee, directive: Directive) -> bool:
    if is_kus_editor(user):
        return True
    if edits_nothing(user):
        return False
    cache = user.__dict__.setdefault("_kus_can_edit", {})
    if directive.pk not in cache:
        cache[directive.pk] = editable_directives(user).filter(pk=directive.pk).exists()
    return cache[directive.pk]


def can_create(user: Employee) -> bool:
    """KUS editors create for any department; managers for their own (it becomes the owner).

    Once it exists, the owner department's group edits it (a guardian grant), and a
    second person approves every publication.
    """
    if is_kus_editor(user):
        return True
    return bool(user.is_authenticated and user.department_id and is_department_lead(user))


def is_in_audience(user: Employee, directive: Directive) -> bool:
    return user_audiences(user).filter(pk=directive.audience_id).exists()


def access_directive(user: Employee, number: str) -> Directive:
    """The directive with this number, or Http404 when the user may not know it exists."""
    directive = (
        visible_directives(user)
        .select_related(
            "category", "owner_department", "contact", "current_version", "replaced_by", "audience"
        )
        .filter(number=number)
        .first()
    )
    if directive is None:
        raise Http404
    return directive


def access_editable(user: Employee, pk: int) -> Directive:
    """A directive the user may edit, by id (drafts have no number yet), or Http404."""
    directive = (
        editable_directives(user)
        .select_related("category", "owner_department", "contact", "current_version", "audience")
        .filter(pk=pk)
        .first()
    )
    if directive is None:
        raise Http404
    return directive


def access_version(user: Employee, number: str, seq: int) -> DirectiveVersion:
    directive = access_directive(user, number)
    version = directive.versions.filter(seq=seq, published_at__isnull=False).first()
    if version is None:
        raise Http404
    version.directive = directive
    return version


def access_attachment(user: Employee, pk: int) -> Attachment:
    """An attachment, or Http404: a draft's only for the directive's editors, a published
    version's for whoever may read the directive."""
    attachment = Attachment.objects.select_related("version__directive").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    directive = attachment.version.directive
    if attachment.version.published_at is None:
        access_editable(user, directive.pk)
    elif not visible_directives(user).filter(pk=directive.pk).exists():
        raise Http404
    return attachment


# --- reading and acknowledging ------------------------------------------------------------


def acknowledged(user: Employee) -> Exists:
    """Per directive row: has the user acknowledged its current round?"""
    return Exists(
        Acknowledgement.objects.filter(
            directive=OuterRef("pk"), employee=user.pk, ack_round=OuterRef("ack_round")
        )
    )


def to_read(user: Employee) -> QuerySet[Directive]:
    """Published directives addressed to the user that still await their acknowledgement."""
    return (
        visible_directives(user)
        .filter(addressed_to(user), status=Status.PUBLISHED, requires_ack=True)
        .exclude(acknowledged(user))
    )


def to_read_count(user: Employee) -> int:
    """The badge, the start page and the list all show it: counted once per request."""
    cached = user.__dict__.get("_kus_to_read")
    if cached is None:
        cached = remember_to_read_count(user, to_read(user).count())
    return cached


def remember_to_read_count(user: Employee, count: int) -> int:
    """For ``to_read_count``: the count as a query that also fetched rows found it."""
    user.__dict__["_kus_to_read"] = count
    return count


# --- managers -----------------------------------------------------------------------------


def managed_departments(user: Employee) -> QuerySet[Department]:
    """The departments whose people the user follows up (with everything below them)."""
    if not user.is_authenticated:
        return Department.objects.none()
    roots = []
    if manages_a_department(user):  # known without a query where the user was loaded
        roots = list(Department.objects.filter(manager=user).values_list("path", flat=True))
    if not roots and has_role(user, Role.MANAGERS) and user.department_id:
        roots = [user.department.path]
    if not roots:
        return Department.objects.none()
    q = Q(pk__in=[])
    for path in roots:
        q |= Q(path__startswith=path)
    return Department.objects.filter(q)


def managed_employees(user: Employee) -> QuerySet[Employee]:
    return Employee.objects.filter(is_active=True, department__in=managed_departments(user))


def review_owner_ids(directive: Directive) -> list[int]:
    """Who answers for a directive's review: its owner department's manager and whoever
    holds a personal editing grant on it; the KUS editors when nobody does."""
    ids = set(
        DirectiveUserObjectPermission.objects.filter(
            content_object=directive, permission__codename=CHANGE, user__is_active=True
        ).values_list("user_id", flat=True)
    )
    manager_id = directive.owner_department.manager_id if directive.owner_department_id else None
    if manager_id:
        ids.add(manager_id)
    if not ids:
        ids = set(
            Employee.objects.filter(is_active=True, groups__name=Role.KUS_EDITORS).values_list(
                "pk", flat=True
            )
        )
    return sorted(ids)
