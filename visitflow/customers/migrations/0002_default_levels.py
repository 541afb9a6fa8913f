from django.db import migrations

DEFAULT_LEVELS = [("VIP", "VIP", 10), ("A", "A", 20), ("B", "B", 30), ("C", "C", 40)]


def add_levels(apps, schema_editor):
    CustomerLevel = apps.get_model("customers", "CustomerLevel")
    for code, name, rank in DEFAULT_LEVELS:
        CustomerLevel.objects.get_or_create(code=code, defaults={"name": name, "rank": rank})


class Migration(migrations.Migration):
    dependencies = [("customers", "0001_initial")]
    operations = [migrations.RunPython(add_levels, migrations.RunPython.noop)]
