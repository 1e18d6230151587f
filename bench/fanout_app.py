"""Werkplek's ASGI application plus two bench-only triggers, for bench/messaging_fanout.py.

Served only by the bench's own daphne processes on 127.0.0.1 (never by ``make run``):

- ``POST /__bench__/send?conversation=ID&body=TOKEN&path=group|member`` sends a message
  as the conversation's creator through ``messaging.actions.send_message``, as a
  ``message.send`` frame would, and answers once it is committed and handed to the
  layer (an ``ack``). ``path=member`` is the baseline: the delivery as it was before
  the conversation groups, one layer send per member in slices of 25
  (``realtime.send_event``), from the same action and the same transaction.
- ``POST /__bench__/announce?title=TOKEN`` tells every bench employee of an
  announcement through ``notifications.actions.notify`` (as ``campaigns`` publishes),
  so each of their sockets gets its ``notifications.unread`` count after commit.

Both answer JSON with the milliseconds until commit and until the layer had it all.
"""

from __future__ import annotations

import json
import time
import uuid
from unittest import mock
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from django.db import transaction

from workplace.asgi import application as werkplek  # sets Django up


def _send(conversation_id: int, body: str, path: str) -> dict:
    from messaging import actions, queries
    from messaging.models import Conversation
    from workplace import realtime

    sender = Conversation.objects.select_related("created_by").get(pk=conversation_id).created_by

    def per_member(group, event, also_to=()):
        # Today's delivery before the conversation groups: each member's own group.
        recipients = queries.member_ids(conversation_id)
        transaction.on_commit(lambda: realtime.send_event(recipients, event))

    started = time.perf_counter()
    if path == "member":
        with mock.patch.object(actions, "send_group_event_on_commit", per_member):
            actions.send_message(sender, conversation_id, body, uuid.uuid4().hex)
    else:
        actions.send_message(sender, conversation_id, body, uuid.uuid4().hex)
    ended = time.perf_counter()
    return {"sent_ms": (ended - started) * 1000}


def _announce(title: str) -> dict:
    from notifications.actions import notify
    from notifications.models import NotificationKind
    from workplace.models import Employee

    started = time.perf_counter()
    ids = list(Employee.objects.filter(username__startswith="bench").values_list("pk", flat=True))
    committed = {}
    with transaction.atomic():
        # First in line at commit: before notify's own hooks send to the sockets.
        transaction.on_commit(lambda: committed.setdefault("at", time.perf_counter()))
        notify(ids, NotificationKind.ANNOUNCEMENT, title=title)
    ended = time.perf_counter()
    return {
        "commit_ms": (committed.get("at", ended) - started) * 1000,
        "sent_ms": (ended - started) * 1000,
    }


async def _respond(send, status: int, payload: dict) -> None:
    body = json.dumps(payload).encode()
    headers = [(b"content-type", b"application/json")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def application(scope, receive, send):
    if scope["type"] != "http" or not scope["path"].startswith("/__bench__/"):
        return await werkplek(scope, receive, send)
    while (await receive()).get("more_body"):
        continue  # the bench's requests carry their arguments in the query string
    query = {k: v[0] for k, v in parse_qs(scope["query_string"].decode()).items()}
    if scope["path"] == "/__bench__/send":
        result = await database_sync_to_async(_send)(
            int(query["conversation"]), query["body"], query.get("path", "group")
        )
    elif scope["path"] == "/__bench__/announce":
        result = await database_sync_to_async(_announce)(query["title"])
    else:
        return await _respond(send, 404, {})
    return await _respond(send, 200, result)
