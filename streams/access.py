"""Who may see and do what in streams: fetch and authorize in one call, 404 for the unknowable.

The rules themselves are the SQL filters of ``streams.visibility``; these helpers
ask them of one object, so no rule has a second copy in Python.
"""

from __future__ import annotations

from django.http import Http404

from streams.models import Activity, Membership, MembershipRole, MembershipStatus, Post, Space
from streams.visibility import visible_posts, visible_q
from workplace.models import Employee
from workplace.roles import Role, has_role


def is_moderator(user: Employee) -> bool:
    return has_role(user, Role.COMMUNICATION)


def is_space_manager(user: Employee, space: Space) -> bool:
    return Membership.objects.filter(
        space=space, employee=user, role=MembershipRole.MANAGER, status=MembershipStatus.ACTIVE
    ).exists()


def is_space_member(user: Employee, space: Space) -> bool:
    return Membership.objects.filter(
        space=space, employee=user, status=MembershipStatus.ACTIVE
    ).exists()


def can_read_space(user: Employee, space: Space) -> bool:
    """May the user read the space's posts? Anyone in an open space, active members in
    a closed one. (Anyone may find a space by name, to ask to join: ``access_space``.)"""
    return not space.is_closed or is_space_member(user, space)


def can_see_post(user: Employee, post: Post) -> bool:
    """The rule of every list of posts (``visible_posts``), asked of one post."""
    return user.is_active and visible_posts(user).filter(pk=post.pk).exists()


def can_see_activity(user: Employee, activity_id: int) -> bool:
    return Activity.objects.filter(visible_q(user), pk=activity_id).exists()


def access_post(user: Employee, post_id: int) -> Post:
    """The post, if the user may see it; hidden posts only for moderators and the author."""
    post = (
        Post.objects.select_related("author", "author__department", "space", "department")
        .filter(pk=post_id, deleted=None)
        .first()
    )
    if post is None:
        raise Http404
    if post.hidden is not None:
        if post.author_id == user.pk or is_moderator(user):
            return post
        raise Http404
    if not can_see_post(user, post):
        raise Http404
    return post


def access_space(user: Employee, slug: str) -> tuple[Space, Membership | None]:
    """Any space may be found by name (to ask to join); its content is checked separately."""
    space = Space.objects.filter(slug=slug).first()
    if space is None:
        raise Http404
    membership = Membership.objects.filter(space=space, employee=user).first()
    return space, membership
