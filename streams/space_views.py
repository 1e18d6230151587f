"""Spaces: list, create, join and leave, members, and the space's own stream."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from streams import access, actions, display, visibility
from streams.forms import SpaceForm
from streams.models import FollowKind, Membership, MembershipRole, MembershipStatus, Space
from streams.views import _follow_state, stream_context
from workplace.untrusted import parse_id


@login_required
def spaces(request: HttpRequest) -> HttpResponse:
    mine = visibility.member_space_ids(request.user)
    rows = Space.objects.annotate(
        member_count=Count("memberships", filter=Q(memberships__status=MembershipStatus.ACTIVE))
    ).order_by("name")
    return render(
        request,
        "streams/spaces.html",
        {"mine": rows.filter(pk__in=mine), "others": rows.exclude(pk__in=mine)},
    )


@login_required
def space_create(request: HttpRequest) -> HttpResponse:
    form = SpaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            space = actions.create_space(request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(space)
    return render(request, "streams/space_form.html", {"form": form})


@login_required
def space(request: HttpRequest, slug: str) -> HttpResponse:
    space, membership = access.access_space(request.user, slug)
    member = membership is not None and membership.status == MembershipStatus.ACTIVE
    context = {
        "space": space,
        "membership": membership,
        "is_member": member,
        "is_manager": member and membership.role == MembershipRole.MANAGER,
        "title": space.name,
    }
    if member or not space.is_closed:
        source = display.resolve(request.user, f"space:{space.pk}")
        context["panel"] = stream_context(request, source, space=space, composer=member)
        context["follow"] = (
            FollowKind.SPACE,
            space.pk,
            _follow_state(request.user, FollowKind.SPACE, space.pk),
        )
    return render(request, "streams/space.html", context)


@login_required
@require_POST
def space_join(request: HttpRequest, slug: str) -> HttpResponse:
    space, _membership = access.access_space(request.user, slug)
    membership = actions.join_space(request.user, space)
    if membership.status == MembershipStatus.PENDING:
        messages.success(request, _("Your request is sent to the managers of this space."))
    else:
        messages.success(request, _("Welcome to %(space)s.") % {"space": space.name})
    return redirect(space)


@login_required
@require_POST
def space_leave(request: HttpRequest, slug: str) -> HttpResponse:
    space, _membership = access.access_space(request.user, slug)
    try:
        actions.leave_space(request.user, space)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(space)


@login_required
def space_members(request: HttpRequest, slug: str) -> HttpResponse:
    space, membership = access.access_space(request.user, slug)
    if membership is None or membership.status != MembershipStatus.ACTIVE:
        raise Http404
    is_manager = membership.role == MembershipRole.MANAGER
    if request.method == "POST":
        if not is_manager:
            raise Http404
        pending = get_object_or_404(
            Membership, pk=parse_id(request.POST.get("membership")), space=space
        )
        actions.decide_membership(request.user, pending, request.POST.get("approve") == "1")
        return redirect("streams:space_members", slug=space.slug)
    members = space.memberships.select_related("employee", "employee__department").order_by(
        "-role", "employee__last_name"
    )
    return render(
        request,
        "streams/space_members.html",
        {
            "space": space,
            "members": members.filter(status=MembershipStatus.ACTIVE),
            "pending": members.filter(status=MembershipStatus.PENDING) if is_manager else [],
            "is_manager": is_manager,
        },
    )
