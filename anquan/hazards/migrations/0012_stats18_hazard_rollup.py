"""The hazard statistics' roll-up (ADR 0051): its table, the triggers that keep it in every write's transaction,
and its first count. Two tables of the same cells: keyed by the hazard's own region code, and by its
county's (province and city views). The trigger SQL is the application's (anquan.hazards.rollup), so a later change to it comes
with a migration that calls `install` again."""

from django.db import migrations, models


def install(apps, schema_editor):
    from anquan.hazards import rollup

    rollup.install()
    rollup.rebuild()


def uninstall(apps, schema_editor):
    from anquan.hazards import rollup

    rollup.uninstall()


class Migration(migrations.Migration):
    dependencies = [("hazards", "0011_search18_text_index")]

    operations = [
        migrations.CreateModel(
            name="HazardRollup",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("region_code", models.CharField(max_length=12)),
                ("month", models.DateField()),
                ("industry_id", models.IntegerField()),
                ("department_id", models.IntegerField()),
                ("level", models.CharField(max_length=10)),
                ("source", models.CharField(max_length=20)),
                ("status", models.CharField(max_length=12)),
                ("overdue", models.BooleanField()),
                ("n", models.BigIntegerField(default=0)),
                ("timed", models.BigIntegerField(default=0)),
                ("close_ms", models.BigIntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=(
                            "region_code",
                            "month",
                            "industry_id",
                            "department_id",
                            "level",
                            "source",
                            "status",
                            "overdue",
                        ),
                        name="one_hazard_rollup_cell",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="HazardCountyRollup",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("region_code", models.CharField(max_length=12)),
                ("month", models.DateField()),
                ("industry_id", models.IntegerField()),
                ("department_id", models.IntegerField()),
                ("level", models.CharField(max_length=10)),
                ("source", models.CharField(max_length=20)),
                ("status", models.CharField(max_length=12)),
                ("overdue", models.BooleanField()),
                ("n", models.BigIntegerField(default=0)),
                ("timed", models.BigIntegerField(default=0)),
                ("close_ms", models.BigIntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=(
                            "region_code",
                            "month",
                            "industry_id",
                            "department_id",
                            "level",
                            "source",
                            "status",
                            "overdue",
                        ),
                        name="one_hazard_county_rollup_cell",
                    )
                ],
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
