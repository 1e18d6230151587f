"""The notifications app takes over the tables streams created.

State only: ``streams.0005_move_notifications`` (which runs before this one) renamed
``streams_notification`` and ``streams_notificationpreference`` to this app's names
with every row in them. When streams' migrations are squashed one day, this
becomes a plain ``CreateModel``.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Notification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('mention', 'Someone mentions me'), ('reply', 'Someone replies to my post or comment'), ('reaction', 'Someone reacts to my post'), ('directive', 'A directive to acknowledge'), ('space_post', 'A new post in a space I manage'), ('survey', 'A new survey for me'), ('membership', 'Someone asks to join a space I manage')], max_length=12)),
                        ('actor_count', models.PositiveIntegerField(default=1)),
                        ('target_id', models.PositiveBigIntegerField(blank=True, null=True)),
                        ('title', models.CharField(blank=True, max_length=255)),
                        ('url', models.CharField(blank=True, max_length=255)),
                        ('group_key', models.CharField(blank=True, max_length=80)),
                        ('created', models.DateTimeField(default=django.utils.timezone.now)),
                        ('updated', models.DateTimeField(default=django.utils.timezone.now)),
                        ('read', models.DateTimeField(blank=True, null=True)),
                        ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('actors', models.ManyToManyField(blank=True, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                        ('target_type', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype')),
                    ],
                    options={
                        'verbose_name': 'notification',
                        'verbose_name_plural': 'notifications',
                        'ordering': ['-updated', '-id'],
                        'indexes': [models.Index(fields=['recipient', '-updated'], name='notification_recipient'), models.Index(fields=['recipient', 'read'], name='notification_unread'), models.Index(fields=['target_type', 'target_id'], name='notification_target')],
                    },
                ),
                migrations.CreateModel(
                    name='NotificationPreference',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('mention', 'Someone mentions me'), ('reply', 'Someone replies to my post or comment'), ('reaction', 'Someone reacts to my post'), ('directive', 'A directive to acknowledge'), ('space_post', 'A new post in a space I manage'), ('survey', 'A new survey for me'), ('membership', 'Someone asks to join a space I manage')], max_length=12)),
                        ('channel', models.CharField(choices=[('in_app', 'In Werkplek'), ('email_digest', 'E-mail digest'), ('push', 'Push message on my phone')], max_length=12)),
                        ('enabled', models.BooleanField()),
                        ('employee', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notification_preferences', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'notification preference',
                        'verbose_name_plural': 'notification preferences',
                        'constraints': [models.UniqueConstraint(fields=('employee', 'kind', 'channel'), name='unique_notification_preference')],
                    },
                ),
            ],
        ),
    ]
