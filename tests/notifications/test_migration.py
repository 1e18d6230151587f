"""Moving notifications out of streams keeps every row (streams 0002-0005, notifications 0001).

The rows are written under the old state (streams' own ``Notification`` with its
``post``/``comment``/``space`` columns), then the migrations run forward and, for
the way back, backward again. Runs on SQLite and, with ``DATABASE_URL``, on PostgreSQL.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from notifications import queries
from notifications.models import Notification, NotificationPreference
from streams.models import Comment, Post, Space
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("streams", "0001_initial")]
AFTER = [
    ("streams", "0005_move_notifications"),
    ("notifications", "0002_delivery"),
    # Campaigns' announcements are a notification target: the listing asks for their table.
    ("campaigns", "0001_initial"),
    # Going back to streams 0001 also undid the workplace migrations that depend on
    # notifications; today's Employee reads their columns.
    ("workplace", "0010_employee_name_key"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def people():
    """Made before going back: the factory writes the columns today's Employee has."""
    return {
        "alice": EmployeeFactory(username="alice", first_name="Alice", last_name="Claes"),
        "bob": EmployeeFactory(username="bob", first_name="Bob", last_name="Peeters"),
        "carol": EmployeeFactory(username="carol"),
    }


@pytest.fixture
def old_apps(people):
    apps = migrate(BEFORE)
    yield apps
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # leave it as found
    ContentType.objects.clear_cache()


def write_old_rows(apps, people) -> dict:
    alice, bob, carol = people["alice"], people["bob"], people["carol"]
    OldSpace = apps.get_model("streams", "Space")
    OldPost = apps.get_model("streams", "Post")
    OldComment = apps.get_model("streams", "Comment")
    OldNotification = apps.get_model("streams", "Notification")
    OldPreference = apps.get_model("streams", "NotificationPreference")
    space = OldSpace.objects.create(name="Fietsherstelplaats", slug="fiets", kind="open")
    post = OldPost.objects.create(
        author_id=alice.pk, body="Wie helpt?", body_html="<p>Wie helpt?</p>", space=space
    )
    comment = OldComment.objects.create(
        post=post, author_id=bob.pk, body="Ik!", body_html="<p>Ik!</p>"
    )
    common = {"recipient_id": alice.pk, "title": "Wie helpt?", "url": "/stroom/berichten/1/"}
    rows = {
        "reply": OldNotification.objects.create(
            kind="reply", actor_id=bob.pk, post=post, comment=comment, **common
        ),
        "reaction": OldNotification.objects.create(
            kind="reaction",
            actor_id=carol.pk,
            actor_count=2,
            post=post,
            group_key=f"reaction:post:{post.pk}",
            **common,
        ),
        "space_post": OldNotification.objects.create(
            kind="space_post", actor_id=bob.pk, post=post, space=space, **common
        ),
        "membership": OldNotification.objects.create(
            kind="membership", actor_id=bob.pk, space=space, **common
        ),
        "directive": OldNotification.objects.create(kind="directive", **common),
    }
    rows["reaction"].actors.set([bob.pk, carol.pk])
    OldPreference.objects.create(employee_id=alice.pk, kind="mention", channel="push", enabled=True)
    # A permission granted on the old model must stay granted.
    old_type = ContentType.objects.get(app_label="streams", model="notification")
    editors = Group.objects.create(name="Meldingenbeheer")
    editors.permissions.add(
        Permission.objects.get(content_type=old_type, codename="view_notification")
    )
    return {
        "alice": alice,
        "bob": bob,
        "carol": carol,
        "ids": {kind: row.pk for kind, row in rows.items()},
        "post": post.pk,
        "comment": comment.pk,
        "space": space.pk,
        "type": old_type.pk,
    }


def test_it_keeps_every_notification_its_target_actors_and_preferences(old_apps, people):
    world = write_old_rows(old_apps, people)
    migrate(AFTER)
    ContentType.objects.clear_cache()

    ids = world["ids"]
    assert set(Notification.objects.values_list("pk", flat=True)) == set(ids.values())
    lines = {line.kind: line for line in Notification.objects.all()}
    assert lines["reply"].target == Comment.objects.get(pk=world["comment"])
    assert lines["reaction"].target == Post.objects.get(pk=world["post"])
    assert lines["space_post"].target == Post.objects.get(pk=world["post"])
    assert lines["membership"].target == Space.objects.get(pk=world["space"])
    assert lines["directive"].target is None and lines["directive"].target_type is None
    reaction = lines["reaction"]
    assert (reaction.actor, reaction.actor_count, reaction.group_key) == (
        world["carol"],
        2,
        f"reaction:post:{world['post']}",
    )
    assert set(reaction.actors.all()) == {world["bob"], world["carol"]}
    assert all(line.recipient == world["alice"] for line in lines.values())
    assert NotificationPreference.objects.get(employee=world["alice"]).channel == "push"
    # The content type moved with its id, so the group's permission holds.
    moved = ContentType.objects.get(app_label="notifications", model="notification")
    assert moved.pk == world["type"]
    assert not ContentType.objects.filter(app_label="streams", model="notification").exists()
    assert Group.objects.get(name="Meldingenbeheer").permissions.get().content_type == moved
    # The moved rows work as new ones do: listed, unread, and new ones get the next ids.
    assert len(queries.for_user(world["alice"])) == 5
    assert queries.unread_count(world["alice"]) == 5
    newer = Notification.objects.create(recipient=world["bob"], kind="mention")
    assert newer.pk > max(ids.values())


def test_it_can_go_back_to_the_streams_columns(old_apps, people):
    world = write_old_rows(old_apps, people)
    migrate(AFTER)
    old = migrate(BEFORE)
    OldNotification = old.get_model("streams", "Notification")
    back = {line.kind: line for line in OldNotification.objects.all()}
    assert set(line.pk for line in back.values()) == set(world["ids"].values())
    assert (back["reply"].post_id, back["reply"].comment_id) == (world["post"], world["comment"])
    assert (back["reaction"].post_id, back["reaction"].space_id) == (world["post"], None)
    assert (back["space_post"].post_id, back["space_post"].space_id) == (
        world["post"],
        world["space"],
    )
    assert (back["membership"].post_id, back["membership"].space_id) == (None, world["space"])
    assert back["reaction"].actors.count() == 2
    assert old.get_model("streams", "NotificationPreference").objects.count() == 1
    assert ContentType.objects.filter(app_label="streams", model="notification").exists()
