"""Notifications and their preferences leave streams for the ``notifications`` app.

Only the state moves: the tables are renamed (with the actors' many-to-many table)
and keep every row, id and foreign key. The content types follow, so that
permissions granted on them stay granted. ``notifications.0001_initial`` takes the
models over in the state; it runs after this one.
"""

from django.db import migrations

MODELS = ("notification", "notificationpreference")


def move_content_types(apps, schema_editor, source="streams", destination="notifications"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.db_manager(schema_editor.connection.alias)
    for model in MODELS:
        if not types.filter(app_label=destination, model=model).exists():
            types.filter(app_label=source, model=model).update(app_label=destination)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, source="notifications", destination="streams")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("streams", "0004_notification_target_only"),
    ]
    run_before = [("notifications", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable("notification", "notifications_notification"),
                migrations.AlterModelTable(
                    "notificationpreference", "notifications_notificationpreference"
                ),
            ],
            state_operations=[
                migrations.DeleteModel("Notification"),
                migrations.DeleteModel("NotificationPreference"),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
