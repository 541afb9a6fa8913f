"""PostgreSQL only: trigram indexes so that the customer search (icontains, which Django
writes as UPPER(col) LIKE UPPER('%term%')) does not scan the tables. SQLite skips this."""

from django.db import migrations

INDEXES = [
    ("customer_name_trgm", "customers_customer", 'UPPER("name"::text)'),
    ("customer_short_name_trgm", "customers_customer", 'UPPER("short_name"::text)'),
    ("contact_name_trgm", "customers_contact", 'UPPER("name"::text)'),
    ("contact_mobile_trgm", "customers_contact", '("mobile"::text)'),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, expression in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ({expression} gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _expression in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("customers", "0003_list_indexes")]
    operations = [migrations.RunPython(create, drop)]
