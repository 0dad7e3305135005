from django.db import migrations


def load(apps, schema_editor):
    from anquan.accidents.categories import load as load_categories

    load_categories(apps)


class Migration(migrations.Migration):
    dependencies = [("accidents", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
