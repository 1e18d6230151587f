"""Notifications point at their target through a generic key (step 1 of 3: the columns).

The first step of moving notifications to their own app: ``post``, ``comment`` and
``space`` become ``target_type``/``target_id`` (0003 copies them, 0004 drops the old
columns), so that the model no longer refers to any streams model. Three migrations,
not one: PostgreSQL refuses to alter a table in the transaction that just updated
its foreign keys.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("streams", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="target_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AddField(
            model_name="notification",
            name="target_id",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
    ]
