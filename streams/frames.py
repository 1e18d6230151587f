"""The frames a client may send streams: one schema per type (docs/realtime.md)."""

from __future__ import annotations

from typing import Annotated, Literal, NotRequired, TypedDict

from django.utils.translation import gettext_noop

from workplace.schemas import Refuse

UNKNOWN_STREAM = gettext_noop("This stream does not exist.")
_unknown = Refuse("unknown_stream", UNKNOWN_STREAM)


class StreamsSubscribeFrame(TypedDict):
    type: Literal["streams.subscribe"]
    stream: Annotated[str, _unknown]  # "home", "space:ID", "topic:ID", "department:ID", …
    filter: NotRequired[Annotated[str, _unknown]]  # the home stream's view
