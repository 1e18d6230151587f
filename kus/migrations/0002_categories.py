from django.db import migrations

CATEGORIES = [
    ("Personeel", "personeel"),
    ("Financiën", "financien"),
    ("ICT", "ict"),
    ("Veiligheid & welzijn", "veiligheid-welzijn"),
    ("Facility", "facility"),
    ("Communicatie", "communicatie"),
    ("Juridisch", "juridisch"),
    ("Dienstverlening", "dienstverlening"),
]


def add_categories(apps, schema_editor):
    Category = apps.get_model("kus", "Category")
    for order, (name, slug) in enumerate(CATEGORIES):
        Category.objects.update_or_create(slug=slug, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("kus", "0001_initial")]

    operations = [migrations.RunPython(add_categories, migrations.RunPython.noop)]
