"""The index of the ledger's `q=` search (anquan/hazards/text_index.py, docs/adr/0050): PostgreSQL a GIN index
on the character grams of number, description and place; SQLite a contentless FTS5 table of the same grams
kept by triggers. Both filled here from the existing hazards."""

from django.db import migrations

from anquan.hazards import text_index


def forward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS hazard_text_grams ON hazards_hazard USING gin ({text_index.EXPRESSION})"
        )
    else:
        text_index.ensure(connection)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS hazard_text_grams")
    else:
        text_index.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("hazards", "0010_ledger18_list_indexes"), ("enterprises", "0006_search18_grams")]
    operations = [migrations.RunPython(forward, backward)]
