from django.db import migrations


def seed(apps, schema_editor):
    from anquan.inspections.templates import seed as seed_templates

    seed_templates(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0001_inspections_and_checklists"),
        ("hazards", "0002_judgement_standards"),
        ("orgs", "0002_reference_data"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
