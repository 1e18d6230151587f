"""Notifications point at their target (step 3 of 3: the streams columns go)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("streams", "0003_notification_target_data")]

    operations = [
        migrations.RemoveField(model_name="notification", name="comment"),
        migrations.RemoveField(model_name="notification", name="post"),
        migrations.RemoveField(model_name="notification", name="space"),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(fields=["target_type", "target_id"], name="notification_target"),
        ),
    ]
