"""Everything a stream page needs about its items, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from streams import access, visibility
from streams.models import (
    REACTION_EMOJI,
    Activity,
    Comment,
    Post,
    Reaction,
    ReactionKind,
    Topic,
    Verb,
)
from workplace.models import Department, Employee


@dataclass
class ReactionSummary:
    # kind, emoji, count, label: the label is what a screen without an emoji font shows
    counts: list[tuple[str, str, int, str]] = field(default_factory=list)
    total: int = 0
    mine: str = ""


def with_related(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    return activities.select_related(
        "actor",
        "actor__department",
        "post",
        "post__author",
        "post__space",
        "post__department",
        "comment",
        "space",
        "department",
    )


def decorate_posts(posts: list[Post], user: Employee) -> None:
    """Attach reaction summaries and comment counts: two queries for any number of posts."""
    ids = [post.pk for post in posts]
    summaries: dict[int, ReactionSummary] = defaultdict(ReactionSummary)
    if ids:
        rows = (
            Reaction.objects.filter(post_id__in=ids)
            .values("post_id", "kind")
            # Mine in the same pass: one query less on every stream page.
            .annotate(n=Count("id"), mine=Count("id", filter=Q(employee=user.pk)))
            .order_by("post_id", "kind")
        )
        for row in rows:
            summary = summaries[row["post_id"]]
            kind = row["kind"]
            label = str(ReactionKind(kind).label) if kind in ReactionKind.values else kind
            summary.counts.append((kind, REACTION_EMOJI.get(kind, ""), row["n"], label))
            summary.total += row["n"]
            if row["mine"]:
                summary.mine = kind
        comments = dict(
            Comment.objects.filter(post_id__in=ids, deleted=None)
            .values("post_id")
            .annotate(n=Count("id"))
            .values_list("post_id", "n")
        )
    else:
        comments = {}
    for post in posts:
        post.reaction_summary = summaries[post.pk]
        post.comment_count = comments.get(post.pk, 0)


# Activities of other apps whose cards show more than a title and a link (campaigns'
# announcements): ``decorate(activities, user)`` sets ``card_template`` and what the
# template needs on each, in a fixed number of queries for the page.
CardDecorator = Callable[[list[Activity], Employee], None]
_card_decorators: dict[str, CardDecorator] = {}


def register_card(verb: str, decorate: CardDecorator) -> None:
    _card_decorators[verb] = decorate


def decorate(items: list[Activity], user: Employee) -> list[Activity]:
    posts = {item.post_id: item.post for item in items if item.post_id}
    decorate_posts(list(posts.values()), user)
    for verb, decorate_cards in _card_decorators.items():
        chosen = [item for item in items if item.verb == verb]
        if chosen:
            decorate_cards(chosen, user)
    return items


# System activities (no post, no actor's words) that a run of becomes one card: "12 nieuwe
# richtlijnen in Personeel" after an import, rather than twelve cards.
GROUPED_VERBS = frozenset({Verb.DIRECTIVE_PUBLISHED, Verb.DIRECTIVE_VERSION})
GROUP_TEMPLATE = "streams/includes/group_card.html"


def _same_group(head: Activity, item: Activity) -> bool:
    return (
        item.verb == head.verb
        and item.verb in GROUPED_VERBS
        and not item.post_id
        and item.department_id == head.department_id
        and item.space_id == head.space_id
        and timezone.localdate(item.created) == timezone.localdate(head.created)
    )


def group_activities(items: list[Activity]) -> None:
    """Collapse runs of system activities of the same verb, place and day into their first
    (newest) item, in place: it gets ``grouped`` (the run, itself first) and the group card.

    ``items`` is a page of what the reader may see (``visibility.visible_q``), so a run
    counts and lists only visible activities. Call after ``decorate``: the card keeps
    what the decorators set on each item (the reach's "seen" pixel). The API lists the
    items one by one and does not call this.
    """
    runs: list[list[Activity]] = []
    for item in items:
        if runs and _same_group(runs[-1][0], item):
            runs[-1].append(item)
        else:
            runs.append([item])
    for run in runs:
        setattr(run[0], "grouped", run)  # noqa: B010 (an attribute for the template)
        if len(run) > 1:
            setattr(run[0], "card_template", GROUP_TEMPLATE)  # noqa: B010
    items[:] = [run[0] for run in runs]


def pinned_posts(user: Employee, space=None) -> list[Post]:
    """Pinned posts on top: all-staff ones on the home stream, a space's own on its page."""
    posts = visibility.visible_posts(user).filter(pinned__isnull=False)
    posts = posts.filter(space=space) if space is not None else posts.filter(audience_kind="all")
    result = list(
        posts.select_related("author", "author__department", "space", "department").order_by(
            "-pinned"
        )[:3]
    )
    decorate_posts(result, user)
    return result


REACTION_CHOICES = [(kind, REACTION_EMOJI[kind], label) for kind, label in ReactionKind.choices]


@dataclass
class StreamSource:
    """One stream the page shows: its query, its live key and its title."""

    key: str  # "home", "space:3", "topic:7", "department:12", "profile:40"
    activities: QuerySet[Activity]
    stream_filter: str = ""


def resolve(user: Employee, key: str, stream_filter: str = "") -> StreamSource:
    """The stream named by ``key`` for this user, or Http404."""
    kind, _colon, ident = key.partition(":")
    try:
        pk = int(ident) if ident else 0
    except ValueError:
        raise Http404 from None
    if kind == "home":
        if stream_filter not in visibility.StreamFilter.choices:
            stream_filter = visibility.StreamFilter.ALL
        return StreamSource("home", visibility.home_stream(user, stream_filter), stream_filter)
    if kind == "space":
        space = visibility.Space.objects.filter(pk=pk).first()
        if space is None or not access.can_read_space(user, space):
            raise Http404
        return StreamSource(key, visibility.space_stream(user, space))
    if kind == "topic":
        topic = Topic.objects.filter(pk=pk).first()
        if topic is None:
            raise Http404
        return StreamSource(key, visibility.topic_stream(user, topic))
    if kind == "department":
        department = Department.objects.filter(pk=pk).first()
        if department is None:
            raise Http404
        return StreamSource(key, visibility.department_stream(user, department))
    if kind == "profile":
        employee = Employee.objects.filter(pk=pk, is_active=True).first()
        if employee is None:
            raise Http404
        return StreamSource(key, visibility.profile_stream(user, employee))
    raise Http404
