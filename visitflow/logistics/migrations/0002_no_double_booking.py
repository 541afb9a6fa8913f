"""PostgreSQL: the database itself refuses two active bookings of the same vehicle, room
or person whose times overlap (btree_gist exclusion constraints). SQLite has no such
constraint; there the booking service checks inside an IMMEDIATE transaction."""

from django.db import migrations

RESOURCES = ("vehicle", "room", "person")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for resource in RESOURCES:
        schema_editor.execute(
            f'ALTER TABLE "logistics_booking" ADD CONSTRAINT "booking_no_overlap_{resource}" '
            f'EXCLUDE USING gist ("{resource}_id" WITH =, '
            f'tstzrange("starts_at", "ends_at", \'[)\') WITH &&) '
            f"WHERE (\"status\" = 'active' AND \"{resource}_id\" IS NOT NULL)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for resource in RESOURCES:
        schema_editor.execute(
            f'ALTER TABLE "logistics_booking" DROP CONSTRAINT IF EXISTS "booking_no_overlap_{resource}"'
        )


class Migration(migrations.Migration):
    dependencies = [("logistics", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
