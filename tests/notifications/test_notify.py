"""``notifications.actions.notify`` is the one way in, and what it does."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from notifications import actions, queries
from notifications.models import Notification, NotificationKind, NotificationPreference
from streams import actions as streams_actions

ROOT = Path(__file__).resolve().parents[2]
CONTENT_APPS = ("kus", "streams", "messaging", "surveys", "search")


def python_files(*apps: str):
    for app in apps:
        yield from (path for path in (ROOT / app).rglob("*.py") if "migrations" not in path.parts)


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_it_is_the_only_place_that_writes_notifications():
    writers = []
    for path in python_files(*CONTENT_APPS, "workplace"):
        if path.name == "demo.py":
            continue  # demo data is written in bulk on purpose, without events
        source = path.read_text(encoding="utf-8")
        if "Notification.objects" in source or "Notification(" in source:
            writers.append(str(path.relative_to(ROOT)))
    assert writers == []


def test_notifications_imports_no_content_app_and_the_core_does_not_import_it():
    for path in python_files("notifications"):
        modules = imported_modules(path)
        assert not {m for m in modules if m.split(".")[0] in CONTENT_APPS}, path
    for path in python_files("workplace"):
        if path.name in ("settings.py", "urls.py"):
            continue
        assert not {m for m in imported_modules(path) if m.split(".")[0] == "notifications"}, path


def test_it_tells_the_recipients_but_never_the_actor_nor_the_excluded(alice, bob, carol):
    post = streams_actions.create_post(alice, "Een bericht")
    told = actions.notify(
        [alice.pk, bob.pk, carol.pk],
        NotificationKind.MENTION,
        post,
        actor=alice,
        exclude=[carol.pk],
        title="Een bericht",
    )
    assert told == [bob.pk]
    line = Notification.objects.get()
    assert (line.recipient, line.actor, line.target) == (bob, alice, post)
    assert line.url == post.get_absolute_url()  # the target's, when none is given


def test_it_respects_a_switched_off_kind(alice, bob):
    NotificationPreference.objects.create(
        employee=bob, kind=NotificationKind.SURVEY, channel="in_app", enabled=False
    )
    assert actions.notify([alice.pk, bob.pk], NotificationKind.SURVEY, title="Enquête") == [
        alice.pk
    ]


def test_merging_adds_actors_to_the_unread_line(alice, bob, carol):
    post = streams_actions.create_post(alice, "Samen")
    for actor in (bob, carol, carol):
        actions.notify(
            [alice.pk],
            NotificationKind.REACTION,
            post,
            actor=actor,
            group_key="reaction:post:1",
            merge=True,
        )
    line = Notification.objects.get()
    assert (line.actor, line.actor_count, line.others) == (carol, 2, 1)
    assert set(line.actors.all()) == {bob, carol}


def test_merging_needs_an_actor_and_a_group(alice):
    with pytest.raises(ValueError):
        actions.notify([alice.pk], NotificationKind.REACTION, merge=True)


def test_the_unread_count_goes_out_only_after_commit(
    alice, bob, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(
        "notifications.events.realtime.send_events",
        lambda pairs: sent.extend(([user_id], event) for user_id, event in pairs),
    )
    with django_capture_on_commit_callbacks(execute=True):
        actions.notify([bob.pk], NotificationKind.SURVEY, title="Enquête")
        actions.notify([bob.pk], NotificationKind.SURVEY, title="Nog een")
        assert sent == []
    # Counted at commit: both events carry the count after both lines.
    assert sent == [([bob.pk], {"type": "notifications.unread", "unread": 2})] * 2


def test_a_deleted_post_takes_its_notifications_along(alice, bob):
    post = streams_actions.create_post(alice, "Weg ermee")
    streams_actions.add_comment(bob, post, "Reactie")
    streams_actions.react(bob, post, "like")
    assert queries.unread_count(alice) == 2
    post.delete()
    assert not Notification.objects.exists()


def test_a_title_longer_than_a_line_holds_is_shortened_not_refused(bob):
    told = actions.notify([bob.pk], NotificationKind.URGENT, title="Gaslek " * 40, urgent=True)
    assert told == [bob.pk]
    line = Notification.objects.get(recipient=bob)
    assert len(line.title) == 255 and line.title.endswith("…")
