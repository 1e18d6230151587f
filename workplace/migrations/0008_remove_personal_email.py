from django.db import migrations


class Migration(migrations.Migration):
    # The personal address lives on notifications.DeliveryProfile now (double opt-in);
    # notifications 0003 copied the opted-in ones there first.
    dependencies = [
        ("workplace", "0007_jobfailure"),
        ("notifications", "0003_email"),
    ]

    operations = [
        migrations.RemoveField(model_name="employee", name="personal_email"),
        migrations.RemoveField(model_name="employee", name="personal_email_opt_in"),
    ]
