"""Streams' frames on the shared ``/ws/`` endpoint (protocol: docs/realtime.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from channels.db import database_sync_to_async
from django.utils.translation import gettext as _

from streams import events
from streams.frames import UNKNOWN_STREAM
from streams.models import AudienceKind, FollowKind


@dataclass
class Subscription:
    """The one open stream of a socket: the groups it joined for it."""

    groups: list[str] = field(default_factory=list)


def subscription_groups(user, stream: str, stream_filter: str = "") -> list[str] | None:
    """The groups for one stream the user has open, or None when they may not see it."""
    from streams import visibility
    from streams.models import Follow, Topic
    from workplace.models import Department, Employee

    user.refresh_from_db(fields=["department"])
    names: list[str] | None
    kind, _colon, key = stream.partition(":")
    if kind == "home":
        dept_ids = visibility.department_ids(user)
        follows: dict[str, list[int]] = {}
        for follow_kind, target_id in Follow.objects.filter(follower=user).values_list(
            "kind", "target_id"
        ):
            follows.setdefault(follow_kind, []).append(target_id)
        spaces = list(visibility.member_space_ids(user).values_list("space_id", flat=True))
        spaces += follows.get(FollowKind.SPACE, [])
        # Followed colleagues and topics arrive on the user's own group (see events.py).
        followed = [f"space-{pk}" for pk in spaces]
        for pk in follows.get(FollowKind.DEPARTMENT, []):
            followed += [f"dept-{pk}", f"actordept-{pk}"]
        if stream_filter == visibility.StreamFilter.FOLLOWED:
            names = followed
        elif stream_filter == visibility.StreamFilter.DEPARTMENT:
            names = [f"dept-{pk}" for pk in dept_ids]
            if user.department_id:
                names.append(f"actordept-{user.department_id}")
        elif stream_filter == visibility.StreamFilter.ANNOUNCEMENTS:
            names = ["announcements"]
        else:
            names = ["all", *[f"dept-{pk}" for pk in dept_ids], *followed]
    elif kind == "space":
        space = _readable_space(user, key)
        names = [f"space-{space.pk}"] if space else None
    elif kind == "topic":
        topic = Topic.objects.filter(pk=_int(key)).first()
        names = [f"topic-{topic.pk}"] if topic else None
    elif kind == "department":
        department = Department.objects.filter(pk=_int(key)).first()
        names = [f"dept-{department.pk}", f"actordept-{department.pk}"] if department else None
    elif kind == "profile":
        employee = Employee.objects.filter(pk=_int(key), is_active=True).first()
        names = [f"actor-{employee.pk}"] if employee else None
    else:
        return None
    if names is None:
        return None
    return sorted({events.stream_group(name) for name in names})


def _readable_space(user, key: str):
    """The space whose stream this is, if the user may read it (as its page decides)."""
    from streams import access
    from streams.models import Space

    space = Space.objects.filter(pk=_int(key)).first()
    return space if space is not None and access.can_read_space(user, space) else None


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        return 0


async def subscribe(consumer, frame: dict[str, Any]) -> None:
    stream = frame["stream"][:80]
    stream_filter = frame.get("filter", "")[:20]
    groups = await database_sync_to_async(subscription_groups)(consumer.user, stream, stream_filter)
    if groups is None:
        with consumer.language():
            detail = _(UNKNOWN_STREAM)
        await consumer.send_error("unknown_stream", detail, frame)
        return
    # One open stream per socket: leave the previous one first.
    subscription = consumer.state(Subscription)
    for group in subscription.groups:
        await consumer.leave(group)
    for group in groups:
        await consumer.join(group)
    subscription.groups = groups
    await consumer.send_json(events.streams_subscribed(stream))


async def may_see_activity(user, event: dict[str, Any]) -> bool:
    if event.get("audience") == AudienceKind.ALL:
        return True  # everyone may see it; no need to ask the database per socket
    from streams.access import can_see_activity

    return await database_sync_to_async(can_see_activity)(user, event["activity_id"])
