"""The verbs of streams: each validates, authorizes, writes in one transaction
and sends its events and signals only after the commit."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _

from notifications.actions import notify
from notifications.models import NotificationKind
from streams import access, ratelimit, text, visibility
from streams.events import send_activity_on_commit
from streams.models import (
    COMMENT_MAX_LENGTH,
    POST_MAX_LENGTH,
    Activity,
    AudienceKind,
    Comment,
    Follow,
    FollowKind,
    Membership,
    MembershipRole,
    MembershipStatus,
    ModerationAction,
    ModerationLog,
    Post,
    Reaction,
    ReactionKind,
    Report,
    Space,
    SpaceKind,
    Topic,
    Verb,
)
from streams.signals import comment_changed, post_visibility_changed
from workplace.files import CheckedFile
from workplace.models import Audience, Department, Employee
from workplace.transactions import send_on_commit as _on_commit_signal


def _snippet(body: str) -> str:
    return Truncator(body).chars(80)


def _clean_body(body: str, limit: int) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write something first."))
    if len(body) > limit:
        raise ValidationError(
            _("Keep it to %(limit)s characters; this is %(length)s.")
            % {"limit": limit, "length": len(body)}
        )
    return body


def _topics(names: list[str]) -> list[Topic]:
    existing = {topic.name: topic for topic in Topic.objects.filter(name__in=names)}
    missing = [Topic(name=name) for name in names if name not in existing]
    if missing:
        Topic.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {topic.name: topic for topic in Topic.objects.filter(name__in=names)}
    return [existing[name] for name in names if name in existing]


def allowed_departments(user: Employee) -> list[Department]:
    """One may address one's own department or one above it (with its sub-departments)."""
    ids = visibility.department_ids(user)
    return sorted(Department.objects.filter(pk__in=ids), key=lambda d: -d.depth)


def postable_spaces(user: Employee):
    return Space.objects.filter(pk__in=visibility.member_space_ids(user))


def record_activity(
    *,
    verb: str,
    actor: Employee | None,
    audience_kind: str,
    post: Post | None = None,
    comment: Comment | None = None,
    department: Department | None = None,
    department_id: int | None = None,
    space: Space | None = None,
    audience: Audience | None = None,
    topics: Iterable[Topic] = (),
    is_announcement: bool = False,
    object_ref: str = "",
    title: str = "",
    url: str = "",
    live_user_ids: list[int] | None = None,
    created=None,
) -> Activity:
    """Write one activity and announce it to open streams after commit.

    Public for other apps' receivers (directives, surveys). Call inside a transaction.
    """
    activity = Activity.objects.create(
        verb=verb,
        actor=actor,
        post=post,
        comment=comment,
        audience_kind=audience_kind,
        department_id=department.pk if department is not None else department_id,
        space=space,
        audience=audience,
        is_announcement=is_announcement,
        object_ref=object_ref,
        title=title[:255],
        url=url[:255],
        created=created or timezone.now(),
    )
    topic_list = list(topics)
    if topic_list:
        activity.topics.set(topic_list)
    send_activity_on_commit(activity, [t.pk for t in topic_list], live_user_ids)
    return activity


def _mention_recipients(mentioned: list[Employee], post: Post) -> list[int]:
    """Only people who can see the post hear about a mention in it."""
    if post.audience_kind == AudienceKind.ALL:
        return [person.pk for person in mentioned]
    return [person.pk for person in mentioned if access.can_see_post(person, post)]


# --- posts -------------------------------------------------------------------------


def create_post(
    author: Employee,
    body: str,
    *,
    audience_kind: str = AudienceKind.ALL,
    department: Department | None = None,
    space: Space | None = None,
    is_announcement: bool = False,
    photo: CheckedFile | None = None,
    attachment: CheckedFile | None = None,
    directive_number: str = "",
) -> Post:
    body = _clean_body(body, POST_MAX_LENGTH)
    if audience_kind == AudienceKind.DEPARTMENT:
        if department is None or department.pk not in visibility.department_ids(author):
            raise ValidationError(_("You can only address your own department or one above it."))
        space = None
    elif audience_kind == AudienceKind.SPACE:
        if space is None or not access.is_space_member(author, space):
            raise ValidationError(_("Join this space before you post in it."))
        department = None
    elif audience_kind == AudienceKind.ALL:
        department = space = None
    else:
        raise ValidationError(_("Choose who may read this."))
    if is_announcement and not access.is_moderator(author):
        raise PermissionDenied
    if not ratelimit.allow(author.pk, "post"):
        raise ValidationError(_("You are posting very quickly. Wait a few minutes and try again."))
    rendered = text.render(body)
    with transaction.atomic():
        post = Post(
            author=author,
            body=body,
            body_html=rendered.html,
            audience_kind=audience_kind,
            department=department,
            space=space,
            is_announcement=is_announcement,
            directive_number=directive_number.strip()[:30],
        )
        # Both were checked and cleaned by workplace.files (the form's UploadField).
        if photo is not None:
            content = photo.as_file()
            post.photo.save(content.name, content, save=False)
        if attachment is not None:
            post.attachment_name = attachment.name[:150]
            content = attachment.as_file()
            post.attachment.save(content.name, content, save=False)
        post.save()
        topics = _topics(rendered.topics)
        post.topics.set(topics)
        post.mentions.set(rendered.mentions)
        record_activity(
            verb=Verb.POSTED,
            actor=author,
            post=post,
            audience_kind=audience_kind,
            department=department,
            space=space,
            topics=topics,
            is_announcement=is_announcement,
            created=post.created,
        )
        title, url = _snippet(body), post.get_absolute_url()
        notify(
            _mention_recipients(rendered.mentions, post),
            NotificationKind.MENTION,
            post,
            actor=author,
            title=title,
            url=url,
        )
        told = {p.pk for p in rendered.mentions}
        if is_announcement:
            # Whoever it addresses hears of it, on their channels: the reason it is one.
            told |= set(
                notify(
                    visibility.announcement_recipients(post),
                    NotificationKind.ANNOUNCEMENT,
                    post,
                    actor=author,
                    exclude=told,
                    title=title,
                    url=url,
                )
            )
        if space is not None:
            managers = Membership.objects.filter(
                space=space, role=MembershipRole.MANAGER, status=MembershipStatus.ACTIVE
            ).values_list("employee_id", flat=True)
            notify(
                managers,
                NotificationKind.SPACE_POST,
                post,
                actor=author,
                exclude=told,
                title=title,
                url=url,
            )
        _on_commit_signal(post_visibility_changed, Post, post=post, change="created")
    return post


def edit_post(user: Employee, post: Post, body: str) -> Post:
    if post.author_id != user.pk:
        raise PermissionDenied
    body = _clean_body(body, POST_MAX_LENGTH)
    rendered = text.render(body)
    with transaction.atomic():
        before = set(post.mentions.values_list("pk", flat=True))
        post.body, post.body_html, post.edited = body, rendered.html, timezone.now()
        post.save(update_fields=["body", "body_html", "edited"])
        topics = _topics(rendered.topics)
        post.topics.set(topics)
        post.mentions.set(rendered.mentions)
        for activity in post.activities.filter(verb=Verb.POSTED):
            activity.topics.set(topics)
        new = [p for p in rendered.mentions if p.pk not in before]
        notify(
            _mention_recipients(new, post),
            NotificationKind.MENTION,
            post,
            actor=user,
            title=_snippet(body),
            url=post.get_absolute_url(),
        )
        _on_commit_signal(post_visibility_changed, Post, post=post, change="edited")
    return post


def delete_post(user: Employee, post: Post) -> None:
    if post.author_id != user.pk:
        raise PermissionDenied
    with transaction.atomic():
        post.deleted = timezone.now()
        post.save(update_fields=["deleted"])
        Activity.objects.filter(post=post).update(hidden=True)
        _on_commit_signal(post_visibility_changed, Post, post=post, change="deleted")


def may_pin(user: Employee, post: Post) -> bool:
    if post.audience_kind == AudienceKind.SPACE:
        return access.is_moderator(user) or access.is_space_manager(user, post.space)
    return access.is_moderator(user)


def set_pinned(user: Employee, post: Post, pinned: bool) -> None:
    if not may_pin(user, post):
        raise PermissionDenied
    post.pinned = timezone.now() if pinned else None
    post.save(update_fields=["pinned"])


# --- comments and reactions ----------------------------------------------------------


def add_comment(user: Employee, post: Post, body: str, parent: Comment | None = None) -> Comment:
    body = _clean_body(body, COMMENT_MAX_LENGTH)
    if not post.is_visible:
        raise PermissionDenied
    if parent is not None:
        if parent.post_id != post.pk or parent.deleted:
            raise ValidationError(_("That comment no longer exists."))
        # One level of replies: a reply to a reply joins the same thread.
        parent = parent.parent or parent
    if not ratelimit.allow(user.pk, "comment"):
        raise ValidationError(
            _("You are commenting very quickly. Wait a few minutes and try again.")
        )
    rendered = text.render(body)
    with transaction.atomic():
        comment = Comment.objects.create(
            post=post, parent=parent, author=user, body=body, body_html=rendered.html
        )
        comment.mentions.set(rendered.mentions)
        record_activity(
            verb=Verb.COMMENTED,
            actor=user,
            post=post,
            comment=comment,
            audience_kind=post.audience_kind,
            department=post.department,
            space=post.space,
        )
        title, url = _snippet(body), comment.get_absolute_url()
        mentioned = _mention_recipients(rendered.mentions, post)
        notify(mentioned, NotificationKind.MENTION, comment, actor=user, title=title, url=url)
        repliers = {post.author_id}
        if parent is not None:
            repliers.add(parent.author_id)
        notify(
            repliers,
            NotificationKind.REPLY,
            comment,
            actor=user,
            exclude=mentioned,
            title=title,
            url=url,
        )
        _on_commit_signal(comment_changed, Comment, comment=comment, change="created")
    return comment


def edit_comment(user: Employee, comment: Comment, body: str) -> Comment:
    if comment.author_id != user.pk or comment.deleted:
        raise PermissionDenied
    body = _clean_body(body, COMMENT_MAX_LENGTH)
    rendered = text.render(body)
    with transaction.atomic():
        comment.body, comment.body_html, comment.edited = body, rendered.html, timezone.now()
        comment.save(update_fields=["body", "body_html", "edited"])
        comment.mentions.set(rendered.mentions)
        _on_commit_signal(comment_changed, Comment, comment=comment, change="edited")
    return comment


def delete_comment(user: Employee, comment: Comment) -> None:
    if comment.author_id != user.pk:
        raise PermissionDenied
    with transaction.atomic():
        comment.deleted = timezone.now()
        comment.save(update_fields=["deleted"])
        Activity.objects.filter(comment=comment).update(hidden=True)
        _on_commit_signal(comment_changed, Comment, comment=comment, change="deleted")


def react(user: Employee, post: Post, kind: str) -> Reaction | None:
    """Set the user's reaction; the same kind again takes it away."""
    if kind not in ReactionKind.values:
        raise ValidationError(_("Choose one of the reactions."))
    if not post.is_visible:
        raise PermissionDenied
    with transaction.atomic():
        existing = Reaction.objects.select_for_update().filter(post=post, employee=user).first()
        if existing is not None and existing.kind == kind:
            existing.delete()
            return None
        if existing is not None:
            existing.kind = kind
            existing.save(update_fields=["kind"])
            return existing
        try:
            with transaction.atomic():
                reaction = Reaction.objects.create(post=post, employee=user, kind=kind)
        except IntegrityError:  # a double tap raced us
            return Reaction.objects.get(post=post, employee=user)
        notify(
            [post.author_id],
            NotificationKind.REACTION,
            post,
            actor=user,
            group_key=f"reaction:post:{post.pk}",
            merge=True,
            title=_snippet(post.body),
            url=post.get_absolute_url(),
        )
    return reaction


# --- following -------------------------------------------------------------------------


def follow(user: Employee, kind: str, target_id: int) -> Follow:
    """Follow something the user may know exists (closed spaces: members only)."""
    if kind not in FollowKind.values:
        raise ValidationError(_("You cannot follow that."))
    model_filter = {
        FollowKind.EMPLOYEE: Employee.objects.filter(is_active=True),
        FollowKind.TOPIC: Topic.objects.all(),
        FollowKind.DEPARTMENT: Department.objects.all(),
        FollowKind.SPACE: Space.objects.filter(pk__in=visibility.visible_space_ids(user)),
    }[kind]
    if not model_filter.filter(pk=target_id).exists():
        raise ValidationError(_("You cannot follow that."))
    if kind == FollowKind.EMPLOYEE and target_id == user.pk:
        raise ValidationError(_("You cannot follow yourself."))
    return Follow.objects.get_or_create(follower=user, kind=kind, target_id=target_id)[0]


def unfollow(user: Employee, kind: str, target_id: int) -> None:
    Follow.objects.filter(follower=user, kind=kind, target_id=target_id).delete()


# --- spaces -------------------------------------------------------------------------------


def create_space(user: Employee, name: str, kind: str, description: str = "") -> Space:
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Give the space a name."))
    if kind not in SpaceKind.values:
        raise ValidationError(_("Choose open or closed."))
    base = slugify(name)[:100] or "ruimte"
    slug, number = base, 1
    while Space.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    with transaction.atomic():
        space = Space.objects.create(
            name=name[:120],
            slug=slug,
            kind=kind,
            description=description.strip()[:1000],
            created_by=user,
        )
        Membership.objects.create(space=space, employee=user, role=MembershipRole.MANAGER)
        if kind == SpaceKind.OPEN:
            record_activity(
                verb=Verb.SPACE_CREATED,
                actor=user,
                audience_kind=AudienceKind.ALL,
                space=space,
                title=space.name,
                url=space.get_absolute_url(),
            )
    return space


def join_space(user: Employee, space: Space) -> Membership:
    """Open spaces let anyone in; closed ones put the request before their managers."""
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            space=space,
            employee=user,
            defaults={
                "status": MembershipStatus.PENDING if space.is_closed else MembershipStatus.ACTIVE
            },
        )
        if not created:
            return membership
        if space.is_closed:
            managers = Membership.objects.filter(
                space=space, role=MembershipRole.MANAGER, status=MembershipStatus.ACTIVE
            ).values_list("employee_id", flat=True)
            notify(
                managers,
                NotificationKind.MEMBERSHIP,
                space,
                actor=user,
                title=space.name,
                url=space.get_absolute_url() + "leden/",
            )
        else:
            record_activity(
                verb=Verb.SPACE_JOINED,
                actor=user,
                audience_kind=AudienceKind.SPACE,
                space=space,
                title=space.name,
                url=space.get_absolute_url(),
            )
    return membership


def leave_space(user: Employee, space: Space) -> None:
    with transaction.atomic():
        membership = Membership.objects.filter(space=space, employee=user).first()
        if membership is None:
            return
        others = Membership.objects.filter(
            space=space, role=MembershipRole.MANAGER, status=MembershipStatus.ACTIVE
        ).exclude(employee=user)
        if membership.role == MembershipRole.MANAGER and not others.exists():
            raise ValidationError(_("Make someone else manager before you leave."))
        membership.delete()
        Follow.objects.filter(follower=user, kind=FollowKind.SPACE, target_id=space.pk).delete()


def decide_membership(manager: Employee, membership: Membership, approve: bool) -> None:
    if not access.is_space_manager(manager, membership.space):
        raise PermissionDenied
    with transaction.atomic():
        if approve:
            membership.status = MembershipStatus.ACTIVE
            membership.save(update_fields=["status"])
        else:
            membership.delete()


# --- moderation ------------------------------------------------------------------------------


def report_post(user: Employee, post: Post, reason: str) -> Report:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Tell us briefly what is wrong."))
    report, _created = Report.objects.get_or_create(
        post=post, reporter=user, resolved=None, defaults={"reason": reason[:500]}
    )
    return report


def hide_post(moderator: Employee, post: Post, reason: str) -> None:
    if not access.is_moderator(moderator):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why you hide this post; the author sees the reason."))
    now = timezone.now()
    with transaction.atomic():
        post.hidden = now
        post.save(update_fields=["hidden"])
        Activity.objects.filter(post=post).update(hidden=True)
        post.reports.filter(resolved=None).update(resolved=now)
        ModerationLog.objects.create(
            post=post, moderator=moderator, action=ModerationAction.HIDE, reason=reason[:500]
        )
        _on_commit_signal(post_visibility_changed, Post, post=post, change="hidden")


def restore_post(moderator: Employee, post: Post, reason: str = "") -> None:
    if not access.is_moderator(moderator):
        raise PermissionDenied
    with transaction.atomic():
        post.hidden = None
        post.save(update_fields=["hidden"])
        Activity.objects.filter(post=post).exclude(comment__deleted__isnull=False).update(
            hidden=False
        )
        ModerationLog.objects.create(
            post=post, moderator=moderator, action=ModerationAction.RESTORE, reason=reason[:500]
        )
        _on_commit_signal(post_visibility_changed, Post, post=post, change="restored")


def dismiss_reports(moderator: Employee, post: Post) -> None:
    if not access.is_moderator(moderator):
        raise PermissionDenied
    with transaction.atomic():
        post.reports.filter(resolved=None).update(resolved=timezone.now())
        ModerationLog.objects.create(
            post=post, moderator=moderator, action=ModerationAction.DISMISS
        )
