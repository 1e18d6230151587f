"""Live delivery of stream items over ``/ws/``.

A page with a stream sends ``{"type": "streams.subscribe", "stream": ...}``;
the socket then joins channel-layer groups for the sources that stream shows
(``streams-all``, its departments, spaces, followed colleagues and topics).
A new activity is sent once per matching group, not once per reader, and the
consumer re-checks visibility per socket for everything not addressed to all
staff. Event payloads are documented in docs/realtime.md.
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict

from channels.db import database_sync_to_async
from django.db import transaction
from django.db.models import Q

from streams.models import Activity, AudienceKind, FollowKind
from workplace import realtime


class StreamActivityEvent(TypedDict):
    type: Literal["stream.activity"]
    activity_id: int
    audience: str  # "all", "department", "space" or "audience"
    announcement: bool
    followed: bool  # sent to this user because they follow the actor or a topic


def _group(name: str) -> str:
    return f"streams-{name}"


def activity_groups(activity: Activity, topic_ids: list[int]) -> list[str]:
    groups = []
    if activity.audience_kind == AudienceKind.ALL:
        groups.append(_group("all"))
    if activity.department_id:
        groups.append(_group(f"dept-{activity.department_id}"))
    if activity.space_id:
        groups.append(_group(f"space-{activity.space_id}"))
    if activity.actor_id:
        groups.append(_group(f"actor-{activity.actor_id}"))
        if activity.actor.department_id:
            groups.append(_group(f"actordept-{activity.actor.department_id}"))
    groups += [_group(f"topic-{pk}") for pk in topic_ids]
    if activity.is_announcement:
        groups.append(_group("announcements"))
    return groups


def follower_ids(activity: Activity, topic_ids: list[int]) -> list[int]:
    """Who follows the actor or one of the topics: they hear of it on their own socket."""
    from streams.models import Follow

    if not activity.actor_id and not topic_ids:
        return []
    return list(
        Follow.objects.filter(
            Q(kind=FollowKind.EMPLOYEE, target_id=activity.actor_id)
            | Q(kind=FollowKind.TOPIC, target_id__in=topic_ids)
        )
        .values_list("follower_id", flat=True)
        .distinct()
    )


def send_activity_on_commit(
    activity: Activity, topic_ids: list[int], extra_user_ids: list[int] | None = None
) -> None:
    """Announce a new activity to the open streams it belongs in, after commit.

    Shared sources (all staff, a department, a space) are channel-layer groups a
    socket joins when it opens a stream; followed colleagues and topics are not,
    because a socket in hundreds of groups makes every delivery slower (the
    in-memory layer cleans all groups on each receive). Their followers get the
    event on their own user group instead, marked ``"followed": true``.
    """
    event: StreamActivityEvent = {
        "type": "stream.activity",
        "activity_id": activity.pk,
        "audience": str(activity.audience_kind),
        "announcement": activity.is_announcement,
        "followed": False,
    }
    groups = activity_groups(activity, topic_ids)
    message = {"type": "deliver", "event": event}
    followers = follower_ids(activity, topic_ids)

    def send() -> None:
        for group in groups:
            realtime.group_send(group, message)

    transaction.on_commit(send)
    if followers:
        followed_event = {**event, "followed": True}
        transaction.on_commit(lambda: realtime.send_event(followers, followed_event))
    if extra_user_ids:
        # Items for a target audience (directives, surveys) reach their members directly.
        members = list(extra_user_ids)
        transaction.on_commit(lambda: realtime.send_event(members, event))


# --- the socket side ----------------------------------------------------------------


def subscription_groups(user, stream: str, stream_filter: str = "") -> list[str] | None:
    """The groups for one stream the user has open, or None when they may not see it."""
    from streams import visibility
    from streams.models import Follow, Topic
    from workplace.models import Department, Employee

    user.refresh_from_db(fields=["department"])
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
        # Followed colleagues and topics arrive on the user's own group (see above).
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
        space = visibility.Space.objects.filter(pk=_int(key)).first()
        if space is None or (space.is_closed and not visibility.is_space_member(user, space)):
            return None
        names = [f"space-{space.pk}"]
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
    return sorted({_group(name) for name in names})


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        return 0


@realtime.register_frame("streams.subscribe")
async def subscribe(consumer, frame: dict[str, Any]) -> None:
    stream = str(frame.get("stream", ""))[:80]
    stream_filter = str(frame.get("filter", ""))[:20]
    groups = await database_sync_to_async(subscription_groups)(consumer.user, stream, stream_filter)
    if groups is None:
        await consumer.send_error("unknown_stream", "Deze stroom bestaat niet.", frame)
        return
    # One open stream per socket: leave the previous one first.
    for group in getattr(consumer, "stream_groups", []):
        await consumer.channel_layer.group_discard(group, consumer.channel_name)
        if group in consumer.groups_joined:
            consumer.groups_joined.remove(group)
    for group in groups:
        await consumer.channel_layer.group_add(group, consumer.channel_name)
    consumer.stream_groups = groups
    consumer.groups_joined.extend(groups)
    await consumer.send_json({"type": "streams.subscribed", "stream": stream})


@realtime.register_visibility("stream.activity")
async def may_see_activity(user, event: dict[str, Any]) -> bool:
    if event.get("audience") == AudienceKind.ALL:
        return True  # everyone may see it; no need to ask the database per socket
    from streams.visibility import can_see_activity

    return await database_sync_to_async(can_see_activity)(user, event["activity_id"])
