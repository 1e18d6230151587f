"""KUS pages: lists, a directive and its history, reading and acknowledging, editing."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kus import actions
from kus.access import (
    access_directive,
    access_editable,
    access_version,
    acknowledged,
    can_create,
    can_edit,
    editable_directives,
    is_in_audience,
    managed_departments,
    managed_employees,
    to_read,
    to_read_count,
    visible_directives,
)
from kus.forms import (
    AttachmentForm,
    BriefingForm,
    DirectiveForm,
    FilterForm,
    PublishForm,
    TextForm,
)
from kus.models import Acknowledgement, AckVia, Attachment, Directive, DirectiveVersion, Status
from kus.text import highlight_hard_parts, readability, render_markdown, word_diff
from workplace.audiences import members
from workplace.forms import AudienceForm
from workplace.models import Department

PAGE_SIZE = 20
NEW_DAYS = 30


def _list_rows(queryset):
    return queryset.select_related("category", "owner_department").only(
        "pk", "number", "title", "summary", "status", "updated", "requires_ack", "restricted",
        "ack_round", "review_by", "category__name", "category__slug", "owner_department__name",
        "owner_department__code",
    )  # fmt: skip


# --- lists ----------------------------------------------------------------------------------


VIEWS = {
    "": _("All current directives"),
    "nieuw": _("New"),
    "te-herzien": _("To review"),
    "concepten": _("Drafts and reviews"),
    "archief": _("Superseded and archived"),
}
EDITOR_VIEWS = {"te-herzien", "concepten"}


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    view = request.GET.get("lijst", "")
    if view not in VIEWS:
        view = ""
    form = FilterForm(request.GET or None)
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
    directives = _list_rows(directives).annotate(done=acknowledged(user))
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
to_read_badge.do_not_call_in_templates = True  # type: ignore[attr-defined]


def home_panel_context(request: HttpRequest) -> dict | None:
    if not request.user.is_authenticated:
        return None
    count = to_read_count(request.user)
    if not count:
        return None
    pending = to_read(request.user)
    return {"count": count, "directives": _list_rows(pending).order_by("updated")[:3]}


# --- one directive ----------------------------------------------------------------------------


def _attachments(version: DirectiveVersion | None) -> list[Attachment]:
    return list(version.attachments.all()) if version else []


@login_required
def detail(request: HttpRequest, number: str) -> HttpResponse:
    directive = access_directive(request.user, number)
    return _render_directive(request, directive, "kus/detail.html")


@login_required
def print_view(request: HttpRequest, number: str) -> HttpResponse:
    directive = access_directive(request.user, number)
    return _render_directive(request, directive, "kus/print.html")


def _render_directive(request: HttpRequest, directive: Directive, template: str) -> HttpResponse:
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
        "attachments": _attachments(version),
        "tags": list(directive.tags.all()),
        "audience": directive.audience,
        "can_edit": editor,
        "in_audience": in_audience,
        "ack": ack,
        "must_ack": directive.requires_ack
        and directive.status == Status.PUBLISHED
        and in_audience
        and ack is None,
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
    return render(request, template, context)


@login_required
@require_POST
def acknowledge(request: HttpRequest, number: str) -> HttpResponse:
    directive = access_directive(request.user, number)
    try:
        actions.acknowledge(request.user, directive)
    except actions.ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Thank you: you confirmed you read and understood %(number)s.")
            % {"number": directive.number},
        )
    return redirect((request.POST.get("next") == "te-lezen" and "kus_to_read") or directive)


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
            "attachments": _attachments(version),
        },
    )


@login_required
def diff(request: HttpRequest, number: str) -> HttpResponse:
    directive = access_directive(request.user, number)
    published = directive.versions.filter(published_at__isnull=False)
    newest = published.aggregate(m=Max("seq"))["m"]
    if newest is None:
        raise Http404
    try:
        new_seq = int(request.GET.get("naar", newest))
        old_seq = int(request.GET.get("van", max(new_seq - 1, 1)))
    except ValueError:
        raise Http404 from None
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
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """Attachments pass this access check; their /media/ path is not published anywhere."""
    item = Attachment.objects.select_related("version__directive").filter(pk=pk).first()
    if item is None:
        raise Http404
    directive = item.version.directive
    if item.version.published_at is None:
        access_editable(request.user, directive.pk)
    elif not visible_directives(request.user).filter(pk=directive.pk).exists():
        raise Http404
    response = FileResponse(
        item.file.open("rb"),
        content_type=item.content_type,
        as_attachment=item.kind != "image",
        filename=item.name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


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


# --- editing -------------------------------------------------------------------------------------


def _editor_aids(directive: Directive | None, text: str, summary: str, user) -> dict:
    """Readability of the text and summary, and the existing directives this one resembles."""
    result = readability(text)
    summary_result = readability(summary)
    return {
        "readability": result,
        "highlighted": highlight_hard_parts(text, result) if text else "",
        "summary_readability": summary_result,
        "duplicates": actions.near_duplicates(
            user, text, exclude=directive.pk if directive else None
        ),
    }


@login_required
def create(request: HttpRequest) -> HttpResponse:
    if not can_create(request.user):
        raise PermissionDenied
    text_form = TextForm(request.POST or None)
    meta_form = DirectiveForm(
        request.POST or None,
        user=request.user,
        initial={"owner_department": request.user.department_id, "contact": request.user.pk},
    )
    audience_form = AudienceForm(
        request.POST or None, prefix="audience", initial={"all_staff": True}
    )
    if request.method == "POST" and all(
        [text_form.is_valid(), meta_form.is_valid(), audience_form.is_valid()]
    ):
        data = meta_form.cleaned_data
        try:
            with transaction.atomic():
                audience = audience_form.save()
                directive = actions.create_directive(
                    request.user,
                    text=actions.Text(**text_form.cleaned_data),
                    owner_department=data["owner_department"],
                    category=data["category"],
                    audience=audience,
                    tags=data["tags"],
                    contact=data["contact"],
                    requires_ack=data["requires_ack"],
                    restricted=data["restricted"],
                    effective_from=data["effective_from"],
                    review_by=data["review_by"],
                    expires_on=data["expires_on"],
                )
        except actions.ActionError as error:
            text_form.add_error(None, error.message)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("kus_edit", directive.pk)
    return render(
        request,
        "kus/edit.html",
        {"text_form": text_form, "meta_form": meta_form, "audience_form": audience_form},
    )


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    directive = access_editable(request.user, pk)
    published = directive.current_version_id is not None
    draft = actions.draft_of(directive)
    working = draft or directive.current_version
    initial = {"title": working.title, "summary": working.summary, "body": working.body}
    if draft is not None:
        initial.update(change_note=draft.change_note, material=draft.material)
    post = request.POST if request.method == "POST" else None
    text_form = TextForm(post, initial=initial, published=published)
    meta_form = DirectiveForm(post, instance=directive, user=request.user)
    audience_form = AudienceForm(post, prefix="audience", instance=directive.audience)
    if post is not None and all(
        [text_form.is_valid(), meta_form.is_valid(), audience_form.is_valid()]
    ):
        text = actions.Text(**{"change_note": "", "material": False, **text_form.cleaned_data})
        unchanged = draft is None and (text.title, text.summary, text.body) == (
            working.title,
            working.summary,
            working.body,
        )
        data = meta_form.cleaned_data
        try:
            with transaction.atomic():
                if not unchanged:
                    actions.save_draft(request.user, directive, text)
                fields = {name: data[name] for name in DirectiveForm.Meta.fields}
                actions.update_metadata(request.user, directive, tags=data["tags"], **fields)
                if audience_form.has_changed():
                    audience_form.save()
                    actions.audience_changed(request.user, directive)
        except actions.ActionError as error:
            text_form.add_error(None, error.message)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("kus_edit", directive.pk)
    body = text_form.data.get("body", working.body) if post else working.body
    summary = text_form.data.get("summary", working.summary) if post else working.summary
    return render(
        request,
        "kus/edit.html",
        {
            "directive": directive,
            "draft": draft,
            "text_form": text_form,
            "meta_form": meta_form,
            "audience_form": audience_form,
            "attachment_form": AttachmentForm(),
            "publish_form": PublishForm(),
            "attachments": _attachments(working),
            "four_eyes_ok": draft is not None
            and draft.submitted_at is not None
            and request.user.pk not in (draft.submitted_by_id, draft.edited_by_id),
            **_editor_aids(directive, body, summary, request.user),
        },
    )


@login_required
@require_POST
def workflow(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    directive = access_editable(request.user, pk)
    user = request.user
    try:
        if step == "indienen":
            actions.submit_for_review(user, directive)
            messages.success(request, _("Submitted: another editor can now approve and publish."))
        elif step == "terugsturen":
            actions.return_to_draft(user, directive)
            messages.success(request, _("Sent back to draft."))
        elif step == "publiceren":
            form = PublishForm(request.POST)
            form.is_valid()
            numbers = form.cleaned_data.get("replaces", [])
            replaced = list(editable_directives(user).filter(number__in=numbers))
            if len(replaced) != len(set(numbers)):
                raise actions.ActionError(_("You can only replace directives you may edit."))
            version = actions.publish(user, directive, replaces=replaced)
            directive.refresh_from_db()
            messages.success(
                request,
                _("%(number)s version %(seq)s is published.")
                % {"number": directive.number, "seq": version.seq},
            )
            return redirect(directive)
        elif step == "archiveren":
            actions.archive(user, directive)
            messages.success(request, _("The directive is archived."))
        elif step == "bijlage":
            form = AttachmentForm(request.POST, request.FILES)
            if not form.is_valid():
                raise actions.ActionError(_("Choose a file to attach."))
            upload = form.cleaned_data["file"]
            if upload.size > 15 * 1024 * 1024:
                raise actions.ActionError(_("A file can be at most %(mb)s MB.") % {"mb": 15})
            actions.add_attachment(user, directive, upload.name, upload.read())
            messages.success(request, _("The attachment is added."))
        elif step == "bijlage-weg":
            actions.remove_attachment(user, directive, int(request.POST.get("attachment", 0)))
            messages.success(request, _("The attachment is removed."))
        else:
            raise Http404
    except actions.ActionError as error:
        messages.error(request, error.message)
    except ValueError:
        raise Http404 from None
    return redirect("kus_edit", directive.pk)
