"""KUS reading pages: lists, a directive and its history, acknowledging, follow-up."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery, Window
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kus import actions
from kus.access import (
    access_attachment,
    access_directive,
    access_version,
    acknowledged,
    addressed_to,
    can_create,
    can_edit,
    editable_directives,
    edits_nothing,
    is_in_audience,
    managed_departments,
    managed_employees,
    remember_to_read_count,
    to_read,
    to_read_count,
    visible_directives,
)
from kus.forms import (
    BriefingForm,
    FilterForm,
)
from kus.models import Acknowledgement, AckVia, Attachment, Directive, DirectiveVersion, Status
from kus.signals import directive_read
from kus.text import render_markdown, word_diff
from workplace import files
from workplace.audiences import members
from workplace.http import AuthenticatedRequest
from workplace.models import Department
from workplace.shell import links_for
from workplace.untrusted import parse_id

PAGE_SIZE = 20
NEW_DAYS = 30


def _list_rows(queryset):
    return queryset.select_related("category", "owner_department").only(
        "pk", "number", "title", "summary", "status", "updated", "requires_ack", "restricted",
        "ack_round", "review_by", "category__name", "category__slug", "owner_department__name",
        "owner_department__code",
    )  # fmt: skip


# --- lists ----------------------------------------------------------------------------------


# Lazy: read at import time, before anyone's language is known.
VIEWS = {
    "": gettext_lazy("All current directives"),
    "nieuw": gettext_lazy("New"),
    "te-herzien": gettext_lazy("To review"),
    "concepten": gettext_lazy("Drafts and reviews"),
    "archief": gettext_lazy("Superseded and archived"),
}
EDITOR_VIEWS = {"te-herzien", "concepten"}


@login_required
def index(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    view = request.GET.get("lijst", "")
    if view not in VIEWS:
        view = ""
    form = FilterForm(request.GET or None, directives=visible_directives(user))
    is_editor = editable_directives(user).exists()
    if view in EDITOR_VIEWS and not is_editor:
        view = ""
    directives = visible_directives(user)
    if view == "nieuw":
        since = timezone.now() - timedelta(days=NEW_DAYS)
        directives = directives.filter(status=Status.PUBLISHED, updated__gte=since)
    elif view == "te-herzien":
        soon = timezone.localdate() + timedelta(days=28)
        directives = editable_directives(user).filter(status=Status.PUBLISHED, review_by__lte=soon)
    elif view == "concepten":
        directives = (
            editable_directives(user)
            .filter(
                Q(status__in=[Status.DRAFT, Status.REVIEW])
                | Q(versions__published_at__isnull=True, status=Status.PUBLISHED)
            )
            .distinct()
        )
    elif view == "archief":
        directives = directives.filter(status__in=[Status.SUPERSEDED, Status.ARCHIVED])
    else:
        directives = directives.filter(status=Status.PUBLISHED)
    if form.is_valid():
        if form.cleaned_data["category"]:
            directives = directives.filter(category=form.cleaned_data["category"])
        if form.cleaned_data["department"]:
            directives = directives.filter(
                owner_department__in=form.cleaned_data["department"].subtree()
            )
        if form.cleaned_data["tag"]:
            directives = directives.filter(tags__slug=form.cleaned_data["tag"])
    # "To read" only where the directive is addressed to the reader: readers see every
    # unrestricted directive, but acknowledge only what their audience asks of them.
    directives = _list_rows(directives).annotate(
        done=acknowledged(user),
        addressed=addressed_to(user),
    )
    if view == "te-herzien":
        directives = directives.order_by("review_by", "number")
    page = Paginator(directives, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "kus/index.html",
        {
            "page": page,
            "form": form,
            "view": view,
            "views": {k: v for k, v in VIEWS.items() if is_editor or k not in EDITOR_VIEWS},
            "filtered": form.is_bound and form.is_valid() and any(form.cleaned_data.values()),
            "filter_query": query.urlencode(),
            "can_create": can_create(user),
            "to_read_count": to_read_count(user),
            "today": timezone.localdate(),
        },
    )


@login_required
def to_read_list(request: HttpRequest) -> HttpResponse:
    directives = _list_rows(to_read(request.user)).order_by("updated")
    page = Paginator(directives, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "kus/to_read.html", {"page": page})


def to_read_badge(request: HttpRequest) -> int:
    if not request.user.is_authenticated:
        return 0
    return to_read_count(request.user)


# base.html tests ``item.badge``; a template would otherwise call it without a request.


HOME_ROWS = 3


def home_panel_context(request: HttpRequest) -> dict | None:
    """Rows of the start page's to-do card: the oldest directives to read, each marked
    when it is to be confirmed again (a material change since the reader confirmed)."""
    if not request.user.is_authenticated:
        return None
    user = request.user
    earlier = Acknowledgement.objects.filter(
        directive=OuterRef("pk"), employee=user.pk, ack_round__lt=OuterRef("ack_round")
    )
    # The first rows and, in each, how many there are in all: one query for the card
    # and for the menu's badge after it (``to_read_count``).
    directives = list(
        _list_rows(to_read(user))
        .annotate(again=Exists(earlier), in_all=Window(Count("pk")))
        .order_by("updated")[:HOME_ROWS]
    )
    count = remember_to_read_count(user, directives[0].in_all if directives else 0)
    if not count:
        return None
    return {"count": count, "directives": directives, "more": count > HOME_ROWS}


def review_panel_context(request: HttpRequest) -> dict | None:
    """For editors: their directives whose review is due within four weeks or overdue."""
    if not request.user.is_authenticated or edits_nothing(request.user):
        return None
    soon = timezone.localdate() + timedelta(days=28)
    due = editable_directives(request.user).filter(status=Status.PUBLISHED, review_by__lte=soon)
    count = due.count()
    if not count:
        return None
    overdue = due.filter(review_by__lt=timezone.localdate()).count()
    return {"count": count, "overdue": overdue}


# --- one directive ----------------------------------------------------------------------------


def attachments_of(version: DirectiveVersion | None) -> list[Attachment]:
    return list(version.attachments.all()) if version else []


@login_required
def detail(request: AuthenticatedRequest, number: str) -> HttpResponse:
    directive = access_directive(request.user, number)
    return _render_directive(request, directive, "kus/detail.html", count_read=True)


@login_required
def print_view(request: AuthenticatedRequest, number: str) -> HttpResponse:
    directive = access_directive(request.user, number)
    return _render_directive(request, directive, "kus/print.html")


def _render_directive(
    request: AuthenticatedRequest, directive: Directive, template: str, *, count_read: bool = False
) -> HttpResponse:
    user = request.user
    version = directive.current_version
    editor = can_edit(user, directive)
    in_audience = is_in_audience(user, directive)
    ack = (
        Acknowledgement.objects.filter(
            directive=directive, employee=user, ack_round=directive.ack_round
        ).first()
        if directive.requires_ack and in_audience
        else None
    )
    context = {
        "directive": directive,
        "version": version,
        "body": render_markdown(version.body) if version else "",
        "attachments": attachments_of(version),
        "tags": list(directive.tags.all()),
        "audience": directive.audience,
        "can_edit": editor,
        "in_audience": in_audience,
        "ack": ack,
        "must_ack": directive.requires_ack
        and directive.status == Status.PUBLISHED
        and in_audience
        and ack is None,
        # Once confirmed, the way on to the next one (counted once per request: the badge).
        "still_to_read": to_read_count(user) if ack is not None else 0,
        "can_brief": directive.requires_ack
        and directive.status == Status.PUBLISHED
        and managed_employees(user).exists(),
        "has_draft": editor and directive.versions.filter(published_at__isnull=True).exists(),
        "replaces": list(directive.replaces.filter(pk__in=visible_directives(user).values("pk"))),
        # The successor may be restricted: link to it only for those who may see it.
        "successor": directive.replaced_by
        if directive.replaced_by_id
        and visible_directives(user).filter(pk=directive.replaced_by_id).exists()
        else None,
    }
    if count_read and directive.requires_ack and in_audience:
        directive_read.send(
            Directive, directive=directive, user=user, request=request, stage="opened"
        )
    return render(request, template, context)


@login_required
@require_POST
def acknowledge(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """ "Gelezen en begrepen" at the end of the directive's page, for the version shown."""
    directive = access_directive(request.user, number)
    version = parse_id(request.POST.get("version"))
    try:
        if version is None:  # only the directive's own page asks, and it names its version
            raise actions.UnknownVersion(_("Open the directive, read it and confirm at the end."))
        shown = actions.check_acknowledge(request.user, directive, version)
    except actions.ActionError as error:
        messages.error(request, error.message)
        return redirect(directive)
    actions.do_acknowledge(request.user, directive, shown)
    directive_read.send(
        Directive, directive=directive, user=request.user, request=request, stage="acknowledged"
    )
    messages.success(
        request,
        _("Thank you: you confirmed you read and understood %(number)s.")
        % {"number": directive.number},
    )
    return redirect(directive)


@login_required
def history(request: HttpRequest, number: str) -> HttpResponse:
    directive = access_directive(request.user, number)
    versions = (
        directive.versions.filter(published_at__isnull=False)
        .select_related("approved_by")
        .defer("body")
        .order_by("-seq")
    )
    page = Paginator(versions, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "kus/history.html",
        {"directive": directive, "page": page, "versions": page.object_list},
    )


@login_required
def version_detail(request: HttpRequest, number: str, seq: int) -> HttpResponse:
    version = access_version(request.user, number, seq)
    return render(
        request,
        "kus/version.html",
        {
            "directive": version.directive,
            "version": version,
            "body": render_markdown(version.body),
            "attachments": attachments_of(version),
        },
    )


@login_required
def diff(request: HttpRequest, number: str) -> HttpResponse:
    directive = access_directive(request.user, number)
    published = directive.versions.filter(published_at__isnull=False)
    newest = published.aggregate(m=Max("seq"))["m"]
    if newest is None:
        raise Http404
    new_seq = parse_id(request.GET.get("naar", newest))
    old_seq = parse_id(request.GET.get("van", max((new_seq or 0) - 1, 1)))
    if new_seq is None or old_seq is None:
        raise Http404
    # Only the two versions compared are read, however long the history is.
    by_seq = {v.seq: v for v in published.filter(seq__in=[old_seq, new_seq])}
    if old_seq not in by_seq or new_seq not in by_seq:
        raise Http404
    old, new = by_seq[old_seq], by_seq[new_seq]
    parts = [
        (_("Title"), *word_diff(old.title, new.title)),
        (_("Summary"), *word_diff(old.summary, new.summary)),
        (_("Text"), *word_diff(old.body, new.body)),
    ]
    return render(
        request,
        "kus/diff.html",
        {"directive": directive, "old": old, "new": new, "parts": parts},
    )


@login_required
def attachment(request: HttpRequest, pk: int) -> HttpResponseBase:
    item = access_attachment(request.user, pk)
    return files.file_response(request, item.file, item.name)


# --- follow-up: progress and briefings ----------------------------------------------------------


def progress_rows(directive: Directive, names_for: set[int] | None) -> list[dict]:
    """Per department: how many confirmed themselves, were briefed, or are still missing.

    ``names_for``: the department ids whose missing people may be named (None: all).
    """
    ack_via = Acknowledgement.objects.filter(
        directive=directive, ack_round=directive.ack_round, employee=OuterRef("pk")
    ).values("via")[:1]
    people = members(directive.audience).order_by()
    counts = (
        people.annotate(via=Subquery(ack_via))
        .values("department_id", "via")
        .annotate(n=Count("pk"))
        .order_by()
    )
    table: dict[int | None, dict] = {}
    for row in counts:
        entry = table.setdefault(
            row["department_id"], {"self": 0, "briefing": 0, "missing": 0, "total": 0}
        )
        key = {AckVia.SELF: "self", AckVia.BRIEFING: "briefing"}.get(row["via"], "missing")
        entry[key] += row["n"]
        entry["total"] += row["n"]
    departments = Department.objects.in_bulk([pk for pk in table if pk])
    named = [pk for pk in table if names_for is None or pk in names_for]
    missing: dict[int | None, list] = {}
    if named:
        done = Acknowledgement.objects.filter(
            directive=directive, ack_round=directive.ack_round, employee=OuterRef("pk")
        )
        for person in (
            people.filter(department__in=[pk for pk in named if pk])
            .exclude(Exists(done))
            .only("pk", "first_name", "last_name", "username", "department_id")
        ):
            missing.setdefault(person.department_id, []).append(person)
    rows = []
    for pk, entry in table.items():
        department = departments.get(pk)
        entry["department"] = department
        entry["done_percent"] = round(100 * (entry["self"] + entry["briefing"]) / entry["total"])
        entry["missing_people"] = missing.get(pk, []) if pk in named else None
        rows.append(entry)
    rows.sort(key=lambda r: r["department"].path if r["department"] else "")
    return rows


@login_required
def progress(request: HttpRequest, number: str) -> HttpResponse:
    directive = access_directive(request.user, number)
    if not directive.requires_ack:
        raise Http404
    if can_edit(request.user, directive):
        names_for = None
    else:
        names_for = set(managed_departments(request.user).values_list("pk", flat=True))
        if not names_for:
            raise Http404
    rows = progress_rows(directive, names_for)
    briefings = (
        directive.briefings.filter(ack_round=directive.ack_round)
        .select_related("team", "leader")
        .annotate(present=Count("attendees"))
    )
    if names_for is not None:
        briefings = briefings.filter(team__in=names_for)
    totals = {key: sum(r[key] for r in rows) for key in ("self", "briefing", "missing", "total")}
    done = totals["self"] + totals["briefing"]
    totals["done_percent"] = round(100 * done / totals["total"]) if totals["total"] else 0
    return render(
        request,
        "kus/progress.html",
        {
            "directive": directive,
            "rows": rows,
            "totals": totals,
            "briefings": briefings,
            "owner_view": names_for is None,
            "links": links_for("directive", directive) if names_for is None else [],
        },
    )


@login_required
def briefing(request: HttpRequest, number: str) -> HttpResponse:
    directive = access_directive(request.user, number)
    teams = managed_departments(request.user)
    if not teams.exists() or not directive.requires_ack:
        raise Http404
    done = Acknowledgement.objects.filter(
        directive=directive, ack_round=directive.ack_round, employee=OuterRef("pk")
    )
    people = (
        managed_employees(request.user)
        .filter(pk__in=members(directive.audience).values("pk"))
        .exclude(Exists(done))
        .select_related("department")
        .order_by("department__path", "last_name", "first_name")
    )
    form = BriefingForm(
        request.POST or None, teams=teams, people=people, initial={"team": teams.first()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_briefing(
                request.user,
                directive,
                team=form.cleaned_data["team"],
                held_on=form.cleaned_data["held_on"],
                attendees=form.cleaned_data["attendees"],
                note=form.cleaned_data["note"],
            )
        except actions.ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("%(team)s was briefed on %(date)s about %(number)s.")
                % {
                    "team": form.cleaned_data["team"],
                    "date": form.cleaned_data["held_on"].strftime("%d/%m/%Y"),
                    "number": directive.number,
                },
            )
            return redirect(directive)
    return render(
        request,
        "kus/briefing.html",
        {"directive": directive, "form": form, "nobody_left": not people.exists()},
    )
