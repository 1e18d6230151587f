from django.db import migrations

# Stored data: keep it in step with workplace.roles.Role.CRISIS_COMMUNICATION.
ROLE = "Crisiscommunicatie"


def create_role_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=ROLE)


def remove_role_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=ROLE).delete()


class Migration(migrations.Migration):
    dependencies = [("alerts", "0001_initial"), ("workplace", "0002_role_groups")]

    operations = [migrations.RunPython(create_role_group, remove_role_group)]
