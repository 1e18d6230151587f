from django.db import migrations, models


class Migration(migrations.Migration):
    # The personal address lives on notifications.DeliveryProfile now (double opt-in);
    # notifications 0003 copied the opted-in ones there first.
    dependencies = [
        ("workplace", "0008_shift_pattern"),
        ("notifications", "0003_email"),
    ]

    operations = [
        # State only: when this migration is undone the columns come back with a
        # database default, so that code of today can still add employees under the
        # old schema (the migration tests do).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="employee",
                    name="personal_email",
                    field=models.EmailField(
                        blank=True, db_default="", max_length=254, verbose_name="personal e-mail"
                    ),
                ),
                migrations.AlterField(
                    model_name="employee",
                    name="personal_email_opt_in",
                    field=models.BooleanField(
                        db_default=False, default=False, verbose_name="send to my personal e-mail"
                    ),
                ),
            ]
        ),
        migrations.RemoveField(model_name="employee", name="personal_email"),
        migrations.RemoveField(model_name="employee", name="personal_email_opt_in"),
    ]
