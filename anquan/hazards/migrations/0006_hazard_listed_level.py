"""Hazard.listed_level: the level of the supervision listing in force, so that listing and delisting are
guarded inside the workflow's compare-and-set (anquan/hazards/workflow.py). Filled from the listings in force."""

from django.db import migrations, models


def fill(apps, schema_editor):
    Hazard = apps.get_model("hazards", "Hazard")
    Listing = apps.get_model("hazards", "Listing")
    for level in ("province", "city", "county"):
        active = Listing.objects.filter(level=level, delisted_at__isnull=True).values("hazard_id")
        Hazard.objects.filter(pk__in=active).update(listed_level=level)


class Migration(migrations.Migration):
    dependencies = [
        ("hazards", "0005_risk_point"),
    ]

    operations = [
        migrations.AddField(
            model_name="hazard",
            name="listed_level",
            field=models.CharField(
                blank=True,
                choices=[("province", "Province"), ("city", "City"), ("county", "County")],
                editable=False,
                max_length=10,
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
