"""What the user may see, as SQL filters, and what a stream contains: fan-out on read.

Every stream is one query on ``Activity``: a visibility filter (the audience
columns against the viewer's departments, spaces and audiences, as
subqueries) and a selection filter (what the viewer follows, their
department, announcements), ordered by ``(created, id)`` and paged by cursor.
The number of queries per page does not depend on the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from streams.models import (
    Activity,
    AudienceKind,
    Follow,
    FollowKind,
    Membership,
    MembershipStatus,
    Post,
    Space,
    SpaceKind,
    Verb,
)
from workplace.audiences import audiences_for
from workplace.models import Department, Employee

PAGE_SIZE = 20


class StreamFilter:
    ALL = "alles"
    FOLLOWED = "gevolgd"
    DEPARTMENT = "afdeling"
    ANNOUNCEMENTS = "aankondigingen"

    choices = (ALL, FOLLOWED, DEPARTMENT, ANNOUNCEMENTS)


def department_ids(user: Employee) -> list[int]:
    """The user's department and every department above it."""
    return user.department.ancestor_ids() if user.department_id else []


def member_space_ids(user: Employee) -> QuerySet:
    return Membership.objects.filter(employee=user, status=MembershipStatus.ACTIVE).values(
        "space_id"
    )


def visible_space_ids(user: Employee) -> QuerySet:
    return Space.objects.filter(Q(kind=SpaceKind.OPEN) | Q(pk__in=member_space_ids(user))).values(
        "pk"
    )


def followed_ids(user: Employee, kind: FollowKind) -> QuerySet:
    return Follow.objects.filter(follower=user, kind=kind).values("target_id")


# --- visibility ------------------------------------------------------------------


def _addressed_q(user: Employee) -> Q:
    """Addressed to all staff, to one of the user's departments or to a space they may read."""
    return (
        Q(audience_kind=AudienceKind.ALL)
        | Q(audience_kind=AudienceKind.DEPARTMENT, department_id__in=department_ids(user))
        | Q(audience_kind=AudienceKind.SPACE, space_id__in=visible_space_ids(user))
    )


def visible_q(user: Employee) -> Q:
    """Activities the user may see, as a filter on ``Activity``."""
    return Q(hidden=False) & (
        _addressed_q(user)
        | Q(audience_kind=AudienceKind.AUDIENCE, audience_id__in=audiences_for(user).values("pk"))
    )


def visible_posts(user: Employee) -> QuerySet[Post]:
    """Posts the user may see (posts are never addressed to a saved audience)."""
    return Post.objects.filter(_addressed_q(user), deleted=None, hidden=None)


def announcement_recipients(post: Post) -> QuerySet:
    """Who an announcement notifies (ids): everyone it is addressed to who may read it.

    All staff; a department and everyone in the departments below it; a space's
    members (an open space may be read by all, but only its members asked to hear).
    """
    active = Employee.objects.filter(is_active=True)
    if post.audience_kind == AudienceKind.DEPARTMENT and post.department is not None:
        active = active.filter(department__in=post.department.subtree())
    elif post.audience_kind == AudienceKind.SPACE and post.space_id is not None:
        active = active.filter(
            pk__in=Membership.objects.filter(
                space_id=post.space_id, status=MembershipStatus.ACTIVE
            ).values("employee_id")
        )
    elif post.audience_kind != AudienceKind.ALL:
        return active.none().values_list("pk", flat=True)
    return active.values_list("pk", flat=True)


# --- what a stream contains ------------------------------------------------------


def followed_q(user: Employee) -> Q:
    topics = Activity.topics.through.objects.filter(
        activity=OuterRef("pk"), topic_id__in=followed_ids(user, FollowKind.TOPIC)
    )
    departments = followed_ids(user, FollowKind.DEPARTMENT)
    return (
        Q(actor_id__in=followed_ids(user, FollowKind.EMPLOYEE))
        | Q(space_id__in=followed_ids(user, FollowKind.SPACE))
        | Q(space_id__in=member_space_ids(user))
        | Q(department_id__in=departments)
        | Q(actor__department_id__in=departments)
        | Q(Exists(topics))
    )


def home_q(user: Employee, stream_filter: str) -> Q:
    if stream_filter == StreamFilter.FOLLOWED:
        return followed_q(user)
    if stream_filter == StreamFilter.DEPARTMENT:
        mine = Q(department_id__in=department_ids(user), audience_kind=AudienceKind.DEPARTMENT)
        if user.department_id:
            mine |= Q(actor__department_id=user.department_id)
        return mine
    if stream_filter == StreamFilter.ANNOUNCEMENTS:
        return Q(is_announcement=True)
    # Everything addressed to me, plus what I follow: open spaces only when followed.
    return (
        Q(audience_kind__in=[AudienceKind.ALL, AudienceKind.DEPARTMENT, AudienceKind.AUDIENCE])
        | Q(actor=user)
        | followed_q(user)
    )


def home_stream(user: Employee, stream_filter: str = StreamFilter.ALL) -> QuerySet[Activity]:
    return (
        Activity.objects.filter(visible_q(user))
        .filter(home_q(user, stream_filter))
        .exclude(verb=Verb.COMMENTED)
    )


def space_stream(user: Employee, space: Space) -> QuerySet[Activity]:
    return Activity.objects.filter(visible_q(user), space=space).exclude(verb=Verb.COMMENTED)


def topic_stream(user: Employee, topic) -> QuerySet[Activity]:
    return Activity.objects.filter(visible_q(user), topics=topic).exclude(verb=Verb.COMMENTED)


def department_stream(user: Employee, department: Department) -> QuerySet[Activity]:
    return Activity.objects.filter(
        visible_q(user),
        Q(department=department) | Q(actor__department__path__startswith=department.path),
    ).exclude(verb=Verb.COMMENTED)


def profile_stream(user: Employee, employee: Employee) -> QuerySet[Activity]:
    return Activity.objects.filter(visible_q(user), actor=employee)


# --- cursor paging -----------------------------------------------------------------


def make_cursor(activity: Activity) -> str:
    micros = int(activity.created.timestamp() * 1_000_000)
    return f"{micros}-{activity.pk}"


def parse_cursor(cursor: str | None) -> tuple[datetime, int] | None:
    """``None`` for a missing or malformed cursor: the page starts at the top."""
    if not cursor:
        return None
    micros, _dash, pk = cursor.partition("-")
    try:
        created = datetime.fromtimestamp(int(micros) / 1_000_000, tz=UTC)
        return created, int(pk)
    except (ValueError, OverflowError, OSError):
        return None


@dataclass
class StreamPage:
    items: list[Activity]
    next_cursor: str | None
    top_cursor: str | None


def page(
    activities: QuerySet[Activity],
    before: str | None = None,
    after: str | None = None,
    size: int = PAGE_SIZE,
) -> StreamPage:
    """One page, newest first: older than ``before``, or newer than ``after``.

    Keyset paging on ``(created, id)``: new items arriving at the top never
    shift the next page, and the database never counts past an OFFSET.
    """
    older = parse_cursor(before)
    if older:
        created, pk = older
        activities = activities.filter(Q(created__lt=created) | Q(created=created, pk__lt=pk))
    newer = parse_cursor(after)
    if newer:
        created, pk = newer
        activities = activities.filter(Q(created__gt=created) | Q(created=created, pk__gt=pk))
    rows = list(activities.order_by("-created", "-id")[: size + 1])
    items, more = rows[:size], len(rows) > size
    return StreamPage(
        items=items,
        next_cursor=make_cursor(items[-1]) if more else None,
        top_cursor=make_cursor(items[0]) if items else None,
    )
