"""Live rows updated in place (HOT): the `offline_due` index dropped and, on PostgreSQL, the table's fill factor set
to 70 so that an updated row version finds room on its own page (docs/adr/0044-monitoring-scale.md, "Later")."""

from django.db import migrations, models


def fillfactor(value: int):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE monitoring_pointlive SET (fillfactor = {value})")

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0004_labels"),
    ]

    operations = [
        migrations.AlterField(
            model_name="pointlive",
            name="offline_due",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(fillfactor(70), fillfactor(100)),
    ]
