"""The embedded default's channel layer: channels' in-memory layer without the walk.

Channels' ``InMemoryChannelLayer`` runs ``_clean_expired`` on every ``receive`` and
every ``group_send``: it looks at every channel's queue and every membership of
every group. With 2,000 open sockets (two groups each) one message to a group of
1,000 costs a thousand such walks as the sockets read it, and the last member had
it after 19 to 28 s, with messages dropped (docs/performance.md).

This subclass keeps channels' semantics (a message expires after ``expiry``, a
channel with an expired message leaves all its groups, a membership ends after
``group_expiry``, ``capacity`` raises ``ChannelFull`` on ``send`` and is ignored by
``group_send``) but finds what expired through two heaps ordered by deadline, so
each call pays only for what expired since the last one. A channel's groups are
kept beside the groups' channels, so that leaving all of them does not walk every
group either.

The layer belongs to the event loop its sockets read on. Code in other threads with
loops of their own — the background jobs that run inside the web process without
Redis (``workplace/jobs.py``) — hands its sends over to that loop: an asyncio queue
must only be touched from its own loop's thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import time
from copy import deepcopy
from typing import Any

from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer as ChannelsInMemoryChannelLayer


class InMemoryChannelLayer(ChannelsInMemoryChannelLayer):
    """``channels.layers.InMemoryChannelLayer`` with its expiry amortized (see above)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._reset()

    def _reset(self) -> None:
        self.channels: dict[str, asyncio.Queue] = {}
        self.groups: dict[str, dict[str, float]] = {}
        # channel -> the groups it is in: the reverse of ``groups``.
        self.memberships: dict[str, set[str]] = {}
        # (deadline, tie, channel) per message sent; stale once the message was read.
        self.message_deadlines: list[tuple[float, int, str]] = []
        # (deadline, tie, group, channel) per group_add; stale once re-added or left.
        self.membership_deadlines: list[tuple[float, int, str, str]] = []
        self.membership_count = 0
        self.tie = itertools.count()
        # The loop of the sockets that read this layer, set when the first one joins.
        self.home: asyncio.AbstractEventLoop | None = None

    async def _at_home(self, coroutine_function: Any, *args: Any) -> bool:
        """Run the call on the sockets' loop if this is another one; True if it did."""
        home = self.home
        if home is None or home is asyncio.get_running_loop() or not home.is_running():
            return False  # no socket reads here yet, or only ones of a loop now gone
        future = asyncio.run_coroutine_threadsafe(coroutine_function(*args), home)
        await asyncio.wrap_future(future)
        return True

    # --- expiry, paid per expired item ------------------------------------------------

    def _clean_expired(self) -> None:
        now = time.time()
        deadlines = self.message_deadlines
        while deadlines and deadlines[0][0] < now:
            _deadline, _tie, channel = heapq.heappop(deadlines)
            self._drop_expired(channel, now)
        timeout = now - self.group_expiry
        joins = self.membership_deadlines
        while joins and joins[0][0] < now:
            _deadline, _tie, group, channel = heapq.heappop(joins)
            joined = self.groups.get(group, {}).get(channel)
            if joined is not None and joined < timeout:
                self._leave(group, channel)

    def _drop_expired(self, channel: str, now: float) -> None:
        """Drop the expired messages at the head of ``channel``'s queue, as channels does."""
        queue = self.channels.get(channel)
        if queue is None:
            return
        expired = False
        while not queue.empty() and queue._queue[0][0] < now:  # type: ignore[attr-defined]
            queue.get_nowait()
            expired = True
        if expired:
            # An expired message means nobody reads this channel: it leaves its groups.
            self._remove_from_groups(channel)
            if queue.empty():
                self.channels.pop(channel, None)
        # Otherwise the deadline was a message's that was read in time. Its channel's
        # queue may be empty with a socket waiting on it in receive(): dropping that
        # queue would send what comes next to a new one the socket never reads.

    def _remove_from_groups(self, channel: str) -> None:
        for group in list(self.memberships.get(channel, ())):
            self._leave(group, channel)

    def _leave(self, group: str, channel: str) -> None:
        members = self.groups.get(group)
        if members is not None:
            if members.pop(channel, None) is not None:
                self.membership_count -= 1
            if not members:
                self.groups.pop(group, None)
        groups = self.memberships.get(channel)
        if groups is not None:
            groups.discard(group)
            if not groups:
                self.memberships.pop(channel, None)

    # --- the channel layer API --------------------------------------------------------

    def _put(self, channel: str, message: dict[str, Any]) -> None:
        queue = self.channels.get(channel)
        if queue is None:
            queue = self.channels[channel] = asyncio.Queue(maxsize=self.get_capacity(channel))
        deadline = time.time() + self.expiry
        try:
            queue.put_nowait((deadline, deepcopy(message)))
        except asyncio.QueueFull:
            raise ChannelFull(channel) from None
        heapq.heappush(self.message_deadlines, (deadline, next(self.tie), channel))

    async def send(self, channel: str, message: dict[str, Any]) -> None:
        if await self._at_home(self.send, channel, message):
            return
        assert isinstance(message, dict), "message is not a dict"
        self.require_valid_channel_name(channel)
        assert "__asgi_channel__" not in message
        self._put(channel, message)

    async def receive(self, channel: str) -> dict[str, Any]:
        self.require_valid_channel_name(channel)
        self.home = asyncio.get_running_loop()
        self._clean_expired()
        queue = self.channels.setdefault(channel, asyncio.Queue(maxsize=self.get_capacity(channel)))
        try:
            _deadline, message = await queue.get()
        finally:
            if queue.empty():
                self.channels.pop(channel, None)
        return message

    async def flush(self) -> None:
        self._reset()

    async def group_add(self, group: str, channel: str) -> None:
        self.require_valid_group_name(group)
        self.require_valid_channel_name(channel)
        self.home = asyncio.get_running_loop()
        now = time.time()
        members = self.groups.setdefault(group, {})
        if channel not in members:
            self.membership_count += 1
        members[channel] = now
        self.memberships.setdefault(channel, set()).add(group)
        joins = self.membership_deadlines
        if len(joins) > 2 * self.membership_count + 1024:
            # Sockets come and go all day long, each leaving a stale entry for a day:
            # rebuild from the live memberships, at most once per as many joins.
            joins[:] = [
                (joined + self.group_expiry, next(self.tie), name, member)
                for name, channels in self.groups.items()
                for member, joined in channels.items()
            ]
            heapq.heapify(joins)
        else:
            heapq.heappush(joins, (now + self.group_expiry, next(self.tie), group, channel))

    async def group_discard(self, group: str, channel: str) -> None:
        self.require_valid_channel_name(channel)
        self.require_valid_group_name(group)
        self._leave(group, channel)

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        if await self._at_home(self.group_send, group, message):
            return
        assert isinstance(message, dict), "Message is not a dict"
        self.require_valid_group_name(group)
        self._clean_expired()
        # Straight into each queue: channels starts a task per member to do the same.
        for channel in list(self.groups.get(group, ())):
            with contextlib.suppress(ChannelFull):
                self._put(channel, message)
