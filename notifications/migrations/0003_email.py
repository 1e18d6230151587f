from django.db import migrations


def personal_email_to_profile(apps, schema_editor):
    """An opted-in personal address of the old profile form becomes a pending one.

    It was never confirmed: it stays unused until its owner clicks the link they ask
    for on the preferences page (double opt-in).
    """
    Employee = apps.get_model("workplace", "Employee")
    Profile = apps.get_model("notifications", "DeliveryProfile")
    rows = Employee.objects.filter(personal_email_opt_in=True).exclude(personal_email="")
    for employee_id, address in rows.values_list("pk", "personal_email").iterator():
        Profile.objects.update_or_create(
            employee_id=employee_id,
            defaults={
                "personal_email": address,
                "personal_email_confirmed": None,
                "use_personal_email": False,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_delivery"),
        ("workplace", "0007_jobfailure"),
    ]

    operations = [
        migrations.RunPython(personal_email_to_profile, migrations.RunPython.noop),
    ]
