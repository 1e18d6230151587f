"""Notifications point at their target (step 2 of 3: a comment when there was one, else
the post, else the space)."""

from django.db import migrations
from django.db.models import F, OuterRef, Subquery


def _type(apps, schema_editor, model: str):
    ContentType = apps.get_model("contenttypes", "ContentType")
    manager = ContentType.objects.db_manager(schema_editor.connection.alias)
    return manager.get_or_create(app_label="streams", model=model)[0]


def to_target(apps, schema_editor):
    Notification = apps.get_model("streams", "Notification")
    lines = Notification.objects.using(schema_editor.connection.alias)
    if not lines.exists():
        return
    lines.filter(comment__isnull=False).update(
        target_type=_type(apps, schema_editor, "comment"), target_id=F("comment_id")
    )
    lines.filter(comment=None, post__isnull=False).update(
        target_type=_type(apps, schema_editor, "post"), target_id=F("post_id")
    )
    lines.filter(comment=None, post=None, space__isnull=False).update(
        target_type=_type(apps, schema_editor, "space"), target_id=F("space_id")
    )


def from_target(apps, schema_editor):
    Notification = apps.get_model("streams", "Notification")
    Comment = apps.get_model("streams", "Comment")
    Post = apps.get_model("streams", "Post")
    lines = Notification.objects.using(schema_editor.connection.alias)
    if not lines.exists():
        return
    comment_type = _type(apps, schema_editor, "comment")
    post_type = _type(apps, schema_editor, "post")
    lines.filter(target_type=comment_type).update(
        comment_id=F("target_id"),
        post_id=Subquery(Comment.objects.filter(pk=OuterRef("target_id")).values("post_id")),
    )
    lines.filter(target_type=post_type).update(post_id=F("target_id"))
    lines.filter(target_type=_type(apps, schema_editor, "space")).update(space_id=F("target_id"))
    # A new post in a space named its space too.
    lines.filter(target_type=post_type, kind="space_post").update(
        space_id=Subquery(Post.objects.filter(pk=OuterRef("post_id")).values("space_id"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("streams", "0002_notification_target"),
    ]

    operations = [migrations.RunPython(to_target, from_target)]
