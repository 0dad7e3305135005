from django.db import migrations


def load(apps, schema_editor):
    from anquan.hazards.standards import load as load_standards

    load_standards(apps)


class Migration(migrations.Migration):
    dependencies = [("hazards", "0001_initial"), ("orgs", "0002_reference_data")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
