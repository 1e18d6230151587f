"""Live delivery of stream items over ``/ws/``.

A page with a stream sends ``{"type": "streams.subscribe", "stream": ...}``
(``consumers.py``); the socket then joins channel-layer groups for the sources
that stream shows (``streams-all``, its departments, spaces, followed colleagues
and topics). A new activity is sent once per matching group, not once per
reader, and the consumer re-checks visibility per socket for everything not
addressed to all staff. One schema and one builder per event type, registered
in ``apps.py`` and documented in docs/realtime.md.
"""

from __future__ import annotations

from typing import Literal, TypedDict

from django.db import transaction
from django.db.models import Q

from streams.models import Activity, AudienceKind, FollowKind
from workplace import realtime


class StreamActivityEvent(TypedDict):
    type: Literal["stream.activity"]
    activity_id: int
    audience: Literal["all", "department", "space", "audience"]  # AudienceKind's values
    announcement: bool
    followed: bool  # sent to this user because they follow the actor or a topic


class StreamsSubscribedEvent(TypedDict):
    type: Literal["streams.subscribed"]
    stream: str


def stream_activity(activity: Activity, *, followed: bool = False) -> StreamActivityEvent:
    return {
        "type": "stream.activity",
        "activity_id": activity.pk,
        "audience": str(activity.audience_kind),  # type: ignore[typeddict-item]
        "announcement": activity.is_announcement,
        "followed": followed,
    }


def streams_subscribed(stream: str) -> StreamsSubscribedEvent:
    return {"type": "streams.subscribed", "stream": stream}


def stream_group(name: str) -> str:
    return f"streams-{name}"


def activity_groups(activity: Activity, topic_ids: list[int]) -> list[str]:
    groups = []
    if activity.audience_kind == AudienceKind.ALL:
        groups.append(stream_group("all"))
    if activity.department_id:
        groups.append(stream_group(f"dept-{activity.department_id}"))
    if activity.space_id:
        groups.append(stream_group(f"space-{activity.space_id}"))
    if activity.actor_id:
        groups.append(stream_group(f"actor-{activity.actor_id}"))
        if activity.actor.department_id:
            groups.append(stream_group(f"actordept-{activity.actor.department_id}"))
    groups += [stream_group(f"topic-{pk}") for pk in topic_ids]
    if activity.is_announcement:
        groups.append(stream_group("announcements"))
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
    event = stream_activity(activity)
    groups = activity_groups(activity, topic_ids)
    message = {"type": "deliver", "event": event}
    followers = follower_ids(activity, topic_ids)

    def send() -> None:
        for group in groups:
            realtime.group_send(group, message)

    transaction.on_commit(send)
    if followers:
        followed_event = stream_activity(activity, followed=True)
        transaction.on_commit(lambda: realtime.send_event(followers, followed_event))
    if extra_user_ids:
        # Items for a target audience (directives, surveys) reach their members directly.
        members = list(extra_user_ids)
        transaction.on_commit(lambda: realtime.send_event(members, event))
