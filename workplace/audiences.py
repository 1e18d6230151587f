"""What an audience means: its members, a person's audiences, and search principals.

Three views of the same rules, kept in one module so they cannot drift apart
(tests check that they agree on every rule kind):

- ``members(audience)``: the active employees it reaches, as a queryset;
- ``audiences_for(user)``: the audiences that reach a person, as a queryset,
  so lists of directives, posts or surveys filter by subquery;
- ``principals(audience)`` and ``user_principals(user)``: string tokens for a
  search engine. A document carries the audience's *allow* and *deny* tokens;
  a person may see it when one allow token and no deny token is among theirs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import CharField, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat
from django.utils.translation import gettext as _

from workplace.models import Audience, Employee
from workplace.models.audiences import AudienceJobTitle, WorkerKind, job_title_key

ALL_STAFF = "all"


@dataclass(frozen=True)
class Principals:
    allow: frozenset[str] = field(default_factory=frozenset)
    deny: frozenset[str] = field(default_factory=frozenset)

    def admit(self, user_tokens: frozenset[str]) -> bool:
        return bool(self.allow & user_tokens) and not (self.deny & user_tokens)


# --- members -----------------------------------------------------------------


def _subtree_q(departments, prefix: str = "department__") -> Q:
    q = Q(pk__in=[])
    for department in departments:
        q |= Q(**{f"{prefix}path__startswith": department.path})
    return q


def members(audience: Audience) -> QuerySet[Employee]:
    """The active employees the audience reaches."""
    employees = Employee.objects.filter(is_active=True)
    if audience.all_staff:
        include = Q()
    else:
        include = _subtree_q(audience.departments.all())
        include |= Q(department__in=audience.departments_only.all())
        include |= Q(groups__in=audience.groups.all())
        include |= Q(site__in=audience.sites.all())
        include |= Q(pk__in=audience.employees.all())
        keys = set(audience.job_titles.values_list("key", flat=True))
        if keys:
            titles = {
                title
                for title in Employee.objects.values_list("job_title", flat=True).distinct()
                if job_title_key(title) in keys
            }
            include |= Q(job_title__in=titles)
        # The group join can repeat a person; an id subquery keeps rows unique.
        employees = employees.filter(pk__in=Employee.objects.filter(include).values("pk"))
    if audience.worker_kind:
        employees = employees.filter(is_field_worker=audience.worker_kind == WorkerKind.FIELD)
    excluded_departments = list(audience.excluded_departments.all())
    if excluded_departments:
        employees = employees.exclude(_subtree_q(excluded_departments))
    return employees.exclude(pk__in=audience.excluded_employees.all())


def includes(audience: Audience, user: Employee) -> bool:
    return members(audience).filter(pk=user.pk).exists()


# --- the audiences of one person ---------------------------------------------


def audiences_for(user: Employee) -> QuerySet[Audience]:
    """Every audience that reaches the user: a queryset to filter other lists by.

    Built and compiled to SQL once per user object (one request): the start page asks
    five modules, each embedding it in its own query, and compiling its nine subqueries
    again each time cost more than running them (bench/pages.py). The memo is keyed by
    every attribute the rules read, so a changed user (a test, an import in the same
    process) gets a fresh one; group membership stays a subquery and so always current.
    """
    if not user.is_authenticated or not user.is_active:
        return Audience.objects.none()
    key = (user.pk, user.department_id, user.site_id, user.job_title, user.is_field_worker)
    memo = user.__dict__.get("_werkplek_audiences")
    if memo is None or memo[0] != key:
        sql, params = _audiences_for(user).values("pk").query.sql_with_params()
        memo = (key, RawSQL(sql, params))
        user.__dict__["_werkplek_audiences"] = memo
    return Audience.objects.filter(pk__in=memo[1])


def _audiences_for(user: Employee) -> QuerySet[Audience]:
    through = Audience.departments.through
    ancestor_ids = user.department.ancestor_ids() if user.department_id else []
    # A subquery, not a list: the start page asks five modules' lists, each its own query.
    group_ids = user.groups.values("id")
    include = (
        Q(all_staff=True)
        | Q(Exists(through.objects.filter(audience=OuterRef("pk"), department__in=ancestor_ids)))
        | Q(
            Exists(
                Audience.departments_only.through.objects.filter(
                    audience=OuterRef("pk"), department=user.department_id
                )
            )
        )
        | Q(
            Exists(
                Audience.groups.through.objects.filter(audience=OuterRef("pk"), group__in=group_ids)
            )
        )
        | Q(
            Exists(
                Audience.sites.through.objects.filter(
                    audience=OuterRef("pk"), worksite=user.site_id
                )
            )
        )
        | Q(
            Exists(
                Audience.employees.through.objects.filter(audience=OuterRef("pk"), employee=user.pk)
            )
        )
    )
    if user.job_title:
        include |= Q(
            Exists(
                AudienceJobTitle.objects.filter(
                    audience=OuterRef("pk"), key=job_title_key(user.job_title)
                )
            )
        )
    kind = WorkerKind.FIELD if user.is_field_worker else WorkerKind.OFFICE
    excluded = Exists(
        Audience.excluded_departments.through.objects.filter(
            audience=OuterRef("pk"), department__in=ancestor_ids
        )
    ) | Exists(
        Audience.excluded_employees.through.objects.filter(
            audience=OuterRef("pk"), employee=user.pk
        )
    )
    return Audience.objects.filter(include, worker_kind__in=["", kind]).exclude(excluded)


# --- search principals ---------------------------------------------------------


def _kind_prefixed(tokens: set[str], kind: str) -> set[str]:
    return {f"{kind}|{token}" for token in tokens} if kind else tokens


def principals(audience: Audience) -> Principals:
    """The allow and deny tokens a search engine stores with a document."""
    if audience.all_staff:
        allow = {ALL_STAFF}
    else:
        allow = {f"group:{d.group_id}" for d in audience.departments.all()}
        allow |= {f"dept:{pk}" for pk in audience.departments_only.values_list("pk", flat=True)}
        allow |= {f"group:{pk}" for pk in audience.groups.values_list("pk", flat=True)}
        allow |= {f"site:{pk}" for pk in audience.sites.values_list("pk", flat=True)}
        allow |= {f"user:{pk}" for pk in audience.employees.values_list("pk", flat=True)}
        allow |= {f"job:{key}" for key in audience.job_titles.values_list("key", flat=True)}
    deny = {f"group:{d.group_id}" for d in audience.excluded_departments.all()}
    deny |= {f"user:{pk}" for pk in audience.excluded_employees.values_list("pk", flat=True)}
    return Principals(frozenset(_kind_prefixed(allow, audience.worker_kind)), frozenset(deny))


def user_principals(user: Employee) -> frozenset[str]:
    """The tokens that stand for the user; cached on the user object for one request."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = user.__dict__.get("_werkplek_principals")
    if cached is not None:
        return cached
    tokens = {ALL_STAFF, f"user:{user.pk}"}
    tokens |= {f"group:{pk}" for pk in user.groups.values_list("pk", flat=True)}
    if user.department_id:
        tokens.add(f"dept:{user.department_id}")
    if user.site_id:
        tokens.add(f"site:{user.site_id}")
    if user.job_title:
        tokens.add(f"job:{job_title_key(user.job_title)}")
    kind = WorkerKind.FIELD if user.is_field_worker else WorkerKind.OFFICE
    result = frozenset(tokens | _kind_prefixed(tokens, kind))
    user.__dict__["_werkplek_principals"] = result
    return result


# --- words -----------------------------------------------------------------------


def _rule_names(audience: Audience) -> dict[str, list[str]]:
    """The names in each of the audience's rules, each in its model's order.

    One query for all eight relations (a UNION), unless the caller prefetched them: a
    directive's page names its audience, and asked one query per relation before."""
    if "departments" in getattr(audience, "_prefetched_objects_cache", {}):
        return {
            relation: [str(item) for item in getattr(audience, relation).all()]
            for relation in NAMED_RULES
        }
    text = CharField()

    def rows(relation: str, queryset: QuerySet, label, sort, alt=None) -> QuerySet:
        return queryset.annotate(
            rule=Value(relation, output_field=text),
            rule_label=label,
            rule_sort=sort,
            rule_alt=alt if alt is not None else Value("", output_field=text),
        ).values_list("rule", "rule_label", "rule_sort", "rule_alt")

    def through(relation: str) -> QuerySet:
        return getattr(Audience, relation).through.objects.filter(audience_id=audience.pk)

    full_name = Concat(
        F("employee__first_name"), Value(" "), F("employee__last_name"), output_field=text
    )
    sort_name = Concat(
        F("employee__last_name"), Value(" "), F("employee__first_name"), output_field=text
    )
    parts = [
        rows(relation, through(relation), F("department__name"), F("department__path"))
        for relation in ("departments", "departments_only", "excluded_departments")
    ]
    parts += [
        rows(relation, through(relation), full_name, sort_name, F("employee__username"))
        for relation in ("employees", "excluded_employees")
    ]
    parts.append(rows("groups", through("groups"), F("group__name"), F("group__name")))
    parts.append(rows("sites", through("sites"), F("worksite__name"), F("worksite__name")))
    titles = AudienceJobTitle.objects.filter(audience_id=audience.pk)
    parts.append(rows("job_titles", titles, F("title"), F("title")))
    found: dict[str, list[tuple[str, str]]] = {relation: [] for relation in NAMED_RULES}
    for relation, label, sort, alt in parts[0].union(*parts[1:], all=True):
        found[relation].append((sort, label.strip() or alt))
    return {
        relation: [label for _sort, label in sorted(pairs)] for relation, pairs in found.items()
    }


NAMED_RULES = (
    "departments",
    "departments_only",
    "groups",
    "sites",
    "job_titles",
    "employees",
    "excluded_departments",
    "excluded_employees",
)


def describe(audience: Audience) -> str:
    """A short Dutch (or English) sentence naming who is addressed."""
    names = _rule_names(audience)
    if audience.all_staff:
        parts = [_("all staff")]
    else:
        parts = list(names["departments"])
        parts += [
            _("%(name)s (without sub-departments)") % {"name": name}
            for name in names["departments_only"]
        ]
        parts += names["groups"] + names["sites"] + names["job_titles"] + names["employees"]
    text = ", ".join(parts) or _("nobody")
    if audience.worker_kind:
        text += f" ({audience.get_worker_kind_display()})"
    excluded = names["excluded_departments"] + names["excluded_employees"]
    if excluded:
        text += " " + _("except %(names)s") % {"names": ", ".join(excluded)}
    return text
