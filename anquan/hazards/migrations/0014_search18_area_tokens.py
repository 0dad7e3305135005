"""SQLite: the text index's documents carry the areas each hazard lies in (anquan/core/grams.area_tokens), and
its update trigger follows a hazard's region; the triggers are made again and the index refilled. Nothing on
PostgreSQL."""

from django.db import migrations


def remake(apps, schema_editor):
    from anquan.hazards import text_index

    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        text_index.drop(connection)
        text_index.ensure(connection)


class Migration(migrations.Migration):
    dependencies = [("hazards", "0013_search18_enterprise_region")]

    operations = [migrations.RunPython(remake, remake)]
