"""Stream pages, posts and comments. Thin: the work happens in ``actions``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kus.access import access_directive
from streams import access, actions, display, visibility
from streams.forms import CommentForm, EditForm, PostForm, ReasonForm
from streams.models import Comment, Follow, FollowKind, ModerationLog, Post, Report, Topic
from workplace import files
from workplace.models import Department, Employee
from workplace.shell import links_for
from workplace.untrusted import local_url, parse_id

FILTER_LABELS = [
    (visibility.StreamFilter.ALL, gettext_lazy("All")),
    (visibility.StreamFilter.FOLLOWED, gettext_lazy("Followed")),
    (visibility.StreamFilter.DEPARTMENT, gettext_lazy("My department")),
    (visibility.StreamFilter.ANNOUNCEMENTS, gettext_lazy("Announcements")),
]


def safe_next(request: HttpRequest, fallback: str) -> str:
    return local_url(request, request.POST.get("next") or request.GET.get("next"), fallback)


def stream_context(
    request: HttpRequest, source: display.StreamSource, *, space=None, composer: bool = True
) -> dict:
    user = request.user
    page = visibility.page(display.with_related(source.activities), before=request.GET.get("voor"))
    display.decorate(page.items, user)
    display.group_activities(page.items)
    first_page = not request.GET.get("voor")
    show_pinned = first_page and (
        space is not None or source.stream_filter == visibility.StreamFilter.ALL
    )
    return {
        "stream": source,
        "page": page,
        "filters": [(key, str(label)) for key, label in FILTER_LABELS]
        if source.key == "home"
        else [],
        "pinned": display.pinned_posts(user, space) if show_pinned else [],
        "post_form": PostForm(user, space=space) if composer else None,
        "composer_links": links_for("composer", user) if composer else [],
        "reaction_choices": display.REACTION_CHOICES,
        "path": request.path,
    }


def home_panel(request: HttpRequest) -> dict | None:
    if not request.user.is_authenticated:
        return None
    stream_filter = request.GET.get("filter", visibility.StreamFilter.ALL)
    return stream_context(request, display.resolve(request.user, "home", stream_filter))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "streams/home.html", {"panel": home_panel(request)})


@login_required
def new_items(request: HttpRequest) -> HttpResponse:
    """The items above ``na`` (the newest one shown): what "3 new posts" reveals."""
    source = display.resolve(
        request.user, request.GET.get("stream", "home"), request.GET.get("filter", "")
    )
    page = visibility.page(
        display.with_related(source.activities), after=request.GET.get("na"), size=50
    )
    display.decorate(page.items, request.user)
    display.group_activities(page.items)
    response = render(
        request,
        "streams/includes/items.html",
        {"items": page.items, "reaction_choices": display.REACTION_CHOICES, "path": "/"},
    )
    if page.top_cursor:
        response["X-Stream-Top"] = page.top_cursor
    return response


# --- posts ------------------------------------------------------------------------------


@login_required
def post_create(request: HttpRequest) -> HttpResponse:
    space = None
    if request.GET.get("ruimte"):
        space = visibility.Space.objects.filter(slug=request.GET["ruimte"]).first()
    form = PostForm(request.user, request.POST or None, request.FILES or None, space=space)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = actions.create_post(
                request.user,
                data["body"],
                **data["audience"],
                photo=data.get("photo"),
                attachment=data.get("attachment"),
                directive_number=data.get("directive_number", ""),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your message is posted."))
            return redirect(safe_next(request, post.get_absolute_url()))
    status = 400 if request.method == "POST" else 200
    return render(request, "streams/post_form.html", {"form": form}, status=status)


@login_required
def post_detail(request: HttpRequest, post_id: int) -> HttpResponse:
    post = access.access_post(request.user, post_id)
    display.decorate_posts([post], request.user)
    replies = Comment.objects.select_related("author").order_by("created", "id")
    comments = (
        post.comments.filter(parent=None)
        .select_related("author")
        .prefetch_related(Prefetch("replies", queryset=replies))
        .order_by("created", "id")
    )
    return render(
        request,
        "streams/post_detail.html",
        {
            "post": post,
            "comments": comments,
            "comment_form": CommentForm(initial={"parent": request.GET.get("antwoord")}),
            "reaction_choices": display.REACTION_CHOICES,
            "may_pin": actions.may_pin(request.user, post),
            "is_moderator": access.is_moderator(request.user),
            "log": post.moderation_log.select_related("moderator")
            if access.is_moderator(request.user) or post.author_id == request.user.pk
            else [],
            "directive": directive_card(request.user, post.directive_number),
        },
    )


def directive_card(user, number: str):
    """The linked KUS directive, if the reader may see it (KUS decides)."""
    if not number:
        return None
    try:
        directive = access_directive(user, number)
    except Http404:
        return None
    return {"number": number, "url": directive.get_absolute_url(), "title": str(directive)}


@login_required
def post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    post = access.access_post(request.user, post_id)
    if post.author_id != request.user.pk:
        raise PermissionDenied
    form = EditForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            actions.edit_post(request.user, post, form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error("body", error)
        else:
            return redirect(post)
    return render(request, "streams/post_edit.html", {"form": form, "post": post})


@login_required
def post_delete(request: HttpRequest, post_id: int) -> HttpResponse:
    post = access.access_post(request.user, post_id)
    if post.author_id != request.user.pk:
        raise PermissionDenied
    if request.method == "POST":
        actions.delete_post(request.user, post)
        messages.success(request, _("Your message is deleted."))
        return redirect("home")
    return render(request, "streams/post_delete.html", {"post": post})


@login_required
@require_POST
def post_react(request: HttpRequest, post_id: int) -> HttpResponse:
    post = access.access_post(request.user, post_id)
    try:
        actions.react(request.user, post, request.POST.get("kind", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(safe_next(request, post.get_absolute_url()))


@login_required
@require_POST
def post_comment(request: HttpRequest, post_id: int) -> HttpResponse:
    post = access.access_post(request.user, post_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        parent = None
        if form.cleaned_data.get("parent"):
            parent = post.comments.filter(pk=form.cleaned_data["parent"]).first()
        try:
            comment = actions.add_comment(request.user, post, form.cleaned_data["body"], parent)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            return redirect(comment.get_absolute_url())
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(post)


@login_required
def post_report(request: HttpRequest, post_id: int) -> HttpResponse:
    post = access.access_post(request.user, post_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.report_post(request.user, post, form.cleaned_data["reason"])
        messages.success(request, _("Thank you. The communication team will look at it."))
        return redirect(post)
    return render(request, "streams/post_report.html", {"form": form, "post": post})


@login_required
@require_POST
def post_pin(request: HttpRequest, post_id: int) -> HttpResponse:
    post = access.access_post(request.user, post_id)
    actions.set_pinned(request.user, post, request.POST.get("pin") == "1")
    return redirect(post)


@login_required
def post_moderate(request: HttpRequest, post_id: int) -> HttpResponse:
    if not access.is_moderator(request.user):
        raise Http404
    post = access.access_post(request.user, post_id)
    form = ReasonForm(request.POST or None)
    action = request.POST.get("action", "")
    if request.method == "POST" and action == "restore":
        actions.restore_post(request.user, post, request.POST.get("reason", ""))
        messages.success(request, _("The post is visible again."))
        return redirect(post)
    if request.method == "POST" and action == "dismiss":
        actions.dismiss_reports(request.user, post)
        return redirect("streams:moderation")
    if request.method == "POST" and form.is_valid():
        actions.hide_post(request.user, post, form.cleaned_data["reason"])
        messages.success(request, _("The post is hidden."))
        return redirect("streams:moderation")
    display.decorate_posts([post], request.user)
    return render(request, "streams/post_moderate.html", {"form": form, "post": post})


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    if not access.is_moderator(request.user):
        raise Http404
    open_reports = Report.objects.filter(resolved=None)
    # Exists, not ``reports__resolved=None``: across the reverse relation that is a LEFT
    # JOIN ... IS NULL, which also matches every post that was never reported.
    reported = (
        Post.objects.filter(Exists(open_reports.filter(post=OuterRef("pk"))), deleted=None)
        .select_related("author")
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=open_reports.select_related("reporter"),
                to_attr="open_reports",
            )
        )
    )
    log = ModerationLog.objects.select_related("moderator", "post", "post__author")[:30]
    return render(request, "streams/moderation.html", {"reported": reported, "log": log})


@login_required
def post_photo(request: HttpRequest, post_id: int) -> HttpResponseBase:
    post = access.access_post(request.user, post_id)
    return files.file_response(request, post.photo, f"foto-{post.pk}.jpg")


@login_required
def post_file(request: HttpRequest, post_id: int) -> HttpResponseBase:
    post = access.access_post(request.user, post_id)
    return files.file_response(request, post.attachment, post.attachment_name)


# --- comments ---------------------------------------------------------------------------


def _own_comment(request: HttpRequest, comment_id: int) -> Comment:
    comment = get_object_or_404(Comment, pk=comment_id, deleted=None)
    access.access_post(request.user, comment.post_id)
    if comment.author_id != request.user.pk:
        raise PermissionDenied
    return comment


@login_required
def comment_edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _own_comment(request, comment_id)
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        actions.edit_comment(request.user, comment, form.cleaned_data["body"])
        return redirect(comment.get_absolute_url())
    return render(request, "streams/comment_edit.html", {"form": form, "comment": comment})


@login_required
@require_POST
def comment_delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _own_comment(request, comment_id)
    actions.delete_comment(request.user, comment)
    messages.success(request, _("Your comment is deleted."))
    return redirect(comment.post)


# --- topic, department and profile streams ---------------------------------------------------


def _follow_state(user, kind: str, target_id: int) -> bool:
    return Follow.objects.filter(follower=user, kind=kind, target_id=target_id).exists()


@login_required
def topic(request: HttpRequest, name: str) -> HttpResponse:
    topic = get_object_or_404(Topic, name=name.lower())
    source = display.resolve(request.user, f"topic:{topic.pk}")
    context = {"panel": stream_context(request, source)}
    context.update(
        title=str(topic),
        follow=(
            FollowKind.TOPIC,
            topic.pk,
            _follow_state(request.user, FollowKind.TOPIC, topic.pk),
        ),
    )
    return render(request, "streams/stream_page.html", context)


@login_required
def department(request: HttpRequest, code: str) -> HttpResponse:
    department = get_object_or_404(Department, code=code)
    source = display.resolve(request.user, f"department:{department.pk}")
    context = {"panel": stream_context(request, source)}
    context.update(
        title=department.name,
        title_url=department.get_absolute_url(),
        follow=(
            FollowKind.DEPARTMENT,
            department.pk,
            _follow_state(request.user, FollowKind.DEPARTMENT, department.pk),
        ),
    )
    return render(request, "streams/stream_page.html", context)


@login_required
def profile(request: HttpRequest, username: str) -> HttpResponse:
    employee = get_object_or_404(Employee, username=username, is_active=True)
    source = display.resolve(request.user, f"profile:{employee.pk}")
    context = {"panel": stream_context(request, source, composer=False)}
    context.update(
        title=str(employee),
        title_url=employee.get_absolute_url(),
        follow=None
        if employee == request.user
        else (
            FollowKind.EMPLOYEE,
            employee.pk,
            _follow_state(request.user, FollowKind.EMPLOYEE, employee.pk),
        ),
    )
    return render(request, "streams/stream_page.html", context)


@login_required
@require_POST
def follow(request: HttpRequest) -> HttpResponse:
    kind = request.POST.get("kind", "")
    target_id = parse_id(request.POST.get("target"))
    if target_id is None:
        raise Http404
    try:
        if request.POST.get("action") == "unfollow":
            actions.unfollow(request.user, kind, target_id)
            messages.success(request, _("You no longer follow this."))
        else:
            actions.follow(request.user, kind, target_id)
            messages.success(request, _("You follow this now."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(safe_next(request, reverse("streams:following")))


@login_required
def following(request: HttpRequest) -> HttpResponse:
    follows = Follow.objects.filter(follower=request.user)
    ids: dict[str, list[int]] = {}
    for row in follows:
        ids.setdefault(row.kind, []).append(row.target_id)
    return render(
        request,
        "streams/following.html",
        {
            "people": Employee.objects.filter(
                pk__in=ids.get(FollowKind.EMPLOYEE, [])
            ).select_related("department"),
            "topics": Topic.objects.filter(pk__in=ids.get(FollowKind.TOPIC, [])),
            "departments": Department.objects.filter(pk__in=ids.get(FollowKind.DEPARTMENT, [])),
            "spaces": visibility.Space.objects.filter(pk__in=ids.get(FollowKind.SPACE, [])),
        },
    )
