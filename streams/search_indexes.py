"""Posts, comments and spaces in the search, with the streams' visibility rules.

A post carries ``Post.principals()``: all staff, a department's group (its
teams below are members of that group too), or ``space:<id>`` for a closed
space. Members of a closed space hold its token through ``viewer_tokens``.
Hidden (moderated) and deleted posts and comments are not indexed. The author's
name is part of the text, not of the name field: a search for a colleague's name
should put the colleague above everything they wrote.
"""

from __future__ import annotations

from django.db.models import QuerySet
from haystack import indexes

from search.indexes import DocumentIndex, Kind
from streams.models import (
    Comment,
    Membership,
    MembershipStatus,
    Post,
    Space,
)
from workplace.audiences import Principals
from workplace.models import Employee

TITLE_CHARS = 90


def headline(body: str) -> tuple[str, str]:
    """A post has no title: its first line (or first words) stands in; the rest is the body."""
    first, _newline, rest = body.strip().partition("\n")
    first = " ".join(first.split())
    if len(first) > TITLE_CHARS:
        cut = first[:TITLE_CHARS].rsplit(" ", 1)[0]
        return cut + " …", (first[len(cut) :] + "\n" + rest).strip()
    return first, rest.strip()


def _space_tokens(user: Employee) -> set[str]:
    cached = user.__dict__.get("_search_space_tokens")
    if cached is None:
        ids = Membership.objects.filter(
            employee_id=user.pk, status=MembershipStatus.ACTIVE
        ).values_list("space_id", flat=True)
        cached = user.__dict__["_search_space_tokens"] = {f"space:{pk}" for pk in ids}
    return cached


def _author_department(author: Employee) -> tuple[str, str]:
    department = author.department
    return (department.code, department.name) if department else ("", "")


class PostIndex(DocumentIndex, indexes.Indexable):
    kind_name = Kind.POST

    def get_model(self) -> type[Post]:
        return Post

    def index_queryset(self, using=None) -> QuerySet[Post]:
        return (
            Post.objects.filter(deleted=None, hidden=None)
            .select_related("author__department", "department", "space")
            .prefetch_related("topics")
        )

    @staticmethod
    def viewer_tokens(user: Employee) -> set[str]:
        return _space_tokens(user)

    @staticmethod
    def dependencies() -> dict:
        # A space that turns closed (or open) changes who sees its posts.
        return {Space: lambda space: space.posts.all()}

    def principals(self, obj: Post) -> Principals:
        return Principals(allow=frozenset(obj.principals()))

    def prepare_title(self, obj: Post) -> str:
        return headline(obj.body)[0]

    def prepare_body(self, obj: Post) -> str:
        parts = [headline(obj.body)[1], obj.attachment_name, obj.directive_number]
        parts += [f"#{topic.name}" for topic in obj.topics.all()]
        parts.append(str(obj.author))
        if obj.space_id:
            parts.append(obj.space.name)
        return "\n".join(part for part in parts if part)

    def prepare_suggest(self, obj: Post) -> str:
        # As-you-type suggestions are for titles, numbers and people; a post has no title,
        # and a hundred thousand of them would drown the directives.
        return ""

    def prepare_department(self, obj: Post) -> str:
        return obj.department.code if obj.department_id else _author_department(obj.author)[0]

    def prepare_department_name(self, obj: Post) -> str:
        return obj.department.name if obj.department_id else _author_department(obj.author)[1]

    def prepare_date(self, obj: Post):
        return obj.created

    def prepare_detail(self, obj: Post) -> str:
        return f"{obj.author} · {obj.space.name}" if obj.space_id else str(obj.author)


class CommentIndex(DocumentIndex, indexes.Indexable):
    kind_name = Kind.COMMENT

    def get_model(self) -> type[Comment]:
        return Comment

    def index_queryset(self, using=None) -> QuerySet[Comment]:
        return Comment.objects.filter(
            deleted=None, post__deleted=None, post__hidden=None
        ).select_related("author__department", "post__department", "post__space", "post__author")

    @staticmethod
    def dependencies() -> dict:
        # A post that is hidden, deleted or re-addressed takes its comments along.
        return {
            Post: lambda post: post.comments.all(),
            Space: lambda space: Comment.objects.filter(post__space=space),
        }

    def principals(self, obj: Comment) -> Principals:
        return Principals(allow=frozenset(obj.principals()))

    def prepare_title(self, obj: Comment) -> str:
        return headline(obj.post.body)[0]

    def prepare_body(self, obj: Comment) -> str:
        return f"{obj.body}\n{obj.author}"

    def prepare_suggest(self, obj: Comment) -> str:
        return ""  # the post is suggested, not each of its comments

    def prepare_department(self, obj: Comment) -> str:
        return _author_department(obj.author)[0]

    def prepare_department_name(self, obj: Comment) -> str:
        return _author_department(obj.author)[1]

    def prepare_date(self, obj: Comment):
        return obj.created

    def prepare_detail(self, obj: Comment) -> str:
        return str(obj.author)


class SpaceIndex(DocumentIndex, indexes.Indexable):
    kind_name = Kind.SPACE

    def get_model(self) -> type[Space]:
        return Space

    def index_queryset(self, using=None) -> QuerySet[Space]:
        return Space.objects.all()

    def principals(self, obj: Space) -> Principals:
        # A closed space is known to its members only.
        return Principals(allow=frozenset({obj.principal}))

    def prepare_title(self, obj: Space) -> str:
        return obj.name

    def prepare_body(self, obj: Space) -> str:
        return obj.description

    def prepare_date(self, obj: Space):
        return obj.created

    def prepare_detail(self, obj: Space) -> str:
        return str(obj.get_kind_display())
