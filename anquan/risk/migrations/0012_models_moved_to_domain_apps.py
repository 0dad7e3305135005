"""The risk app's models now live in the domain apps (docs/adr/0015-risk-split.md): standards, riskpoints,
majorhazards, checks, riskreports. Their tables keep their names (each model's db_table) and their rows: this
migration only removes the models from the risk app's state, after the new apps took them over in theirs.
The content types follow (same ids, new app label), so anything keyed by content type keeps pointing at them."""

from django.db import migrations

MOVED = {'standards': 'riskbandtable riskfactorvalue riskband substancecategory riskmaprule', 'riskpoints': 'riskpoint riskassessment controlmeasure riskpointphoto siteplan pointplacement', 'majorhazards': 'majorhazardinstallation installationsubstance', 'checks': 'checkschedule checktask checktaskevent', 'riskreports': 'riskreport riskreportevent'}


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for app_label, models in MOVED.items():
        for model in models.split():
            if not ContentType.objects.filter(app_label=app_label, model=model).exists():
                ContentType.objects.filter(app_label="risk", model=model).update(app_label=app_label)


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for app_label, models in MOVED.items():
        ContentType.objects.filter(app_label=app_label, model__in=models.split()).update(app_label="risk")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('risk', '0011_risk_report_people_labelled'),
        ('standards', '0001_moved_from_risk'),
        ('riskpoints', '0001_moved_from_risk'),
        ('majorhazards', '0001_moved_from_risk'),
        ('checks', '0001_moved_from_risk'),
        ('checks', '0002_moved_from_risk_relations'),
        ('riskreports', '0001_moved_from_risk'),
        ('hazards', '0007_risk_point_in_riskpoints_app'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.RemoveField(
            model_name='checkschedule',
            name='created_by',
        ),
        migrations.RemoveField(
            model_name='checkschedule',
            name='point',
        ),
        migrations.RemoveField(
            model_name='checktask',
            name='schedule',
        ),
        migrations.RemoveField(
            model_name='checktask',
            name='done_by',
        ),
        migrations.RemoveField(
            model_name='checktask',
            name='enterprise',
        ),
        migrations.RemoveField(
            model_name='checktask',
            name='hazard',
        ),
        migrations.RemoveField(
            model_name='checktask',
            name='point',
        ),
        migrations.RemoveField(
            model_name='checktask',
            name='supervising_department',
        ),
        migrations.RemoveField(
            model_name='checktaskevent',
            name='task',
        ),
        migrations.RemoveField(
            model_name='checktaskevent',
            name='actor',
        ),
        migrations.RemoveField(
            model_name='controlmeasure',
            name='point',
        ),
        migrations.RemoveField(
            model_name='installationsubstance',
            name='installation',
        ),
        migrations.RemoveField(
            model_name='majorhazardinstallation',
            name='enterprise',
        ),
        migrations.RemoveField(
            model_name='majorhazardinstallation',
            name='supervising_department',
        ),
        migrations.RemoveField(
            model_name='pointplacement',
            name='placed_by',
        ),
        migrations.RemoveField(
            model_name='pointplacement',
            name='plan',
        ),
        migrations.RemoveField(
            model_name='pointplacement',
            name='point',
        ),
        migrations.RemoveField(
            model_name='riskassessment',
            name='assessor',
        ),
        migrations.RemoveField(
            model_name='riskassessment',
            name='band_table',
        ),
        migrations.RemoveField(
            model_name='riskassessment',
            name='point',
        ),
        migrations.RemoveField(
            model_name='riskband',
            name='table',
        ),
        migrations.RemoveField(
            model_name='riskbandtable',
            name='created_by',
        ),
        migrations.RemoveField(
            model_name='riskbandtable',
            name='supersedes',
        ),
        migrations.RemoveField(
            model_name='riskfactorvalue',
            name='table',
        ),
        migrations.RemoveField(
            model_name='riskmaprule',
            name='created_by',
        ),
        migrations.RemoveField(
            model_name='riskmaprule',
            name='supersedes',
        ),
        migrations.RemoveField(
            model_name='riskpoint',
            name='accident_categories',
        ),
        migrations.RemoveField(
            model_name='riskpoint',
            name='created_by',
        ),
        migrations.RemoveField(
            model_name='riskpoint',
            name='enterprise',
        ),
        migrations.RemoveField(
            model_name='riskpoint',
            name='supervising_department',
        ),
        migrations.RemoveField(
            model_name='riskpointphoto',
            name='point',
        ),
        migrations.RemoveField(
            model_name='riskpointphoto',
            name='uploaded_by',
        ),
        migrations.RemoveField(
            model_name='riskreport',
            name='created_by',
        ),
        migrations.RemoveField(
            model_name='riskreport',
            name='enterprise',
        ),
        migrations.RemoveField(
            model_name='riskreport',
            name='reviewed_by',
        ),
        migrations.RemoveField(
            model_name='riskreport',
            name='submitted_by',
        ),
        migrations.RemoveField(
            model_name='riskreport',
            name='supervising_department',
        ),
        migrations.RemoveField(
            model_name='riskreportevent',
            name='report',
        ),
        migrations.RemoveField(
            model_name='riskreportevent',
            name='actor',
        ),
        migrations.RemoveField(
            model_name='siteplan',
            name='enterprise',
        ),
        migrations.RemoveField(
            model_name='siteplan',
            name='supervising_department',
        ),
        migrations.RemoveField(
            model_name='siteplan',
            name='uploaded_by',
        ),
        migrations.DeleteModel(
            name='SubstanceCategory',
        ),
        migrations.DeleteModel(
            name='CheckSchedule',
        ),
        migrations.DeleteModel(
            name='CheckTask',
        ),
        migrations.DeleteModel(
            name='CheckTaskEvent',
        ),
        migrations.DeleteModel(
            name='ControlMeasure',
        ),
        migrations.DeleteModel(
            name='InstallationSubstance',
        ),
        migrations.DeleteModel(
            name='MajorHazardInstallation',
        ),
        migrations.DeleteModel(
            name='PointPlacement',
        ),
        migrations.DeleteModel(
            name='RiskAssessment',
        ),
        migrations.DeleteModel(
            name='RiskBand',
        ),
        migrations.DeleteModel(
            name='RiskBandTable',
        ),
        migrations.DeleteModel(
            name='RiskFactorValue',
        ),
        migrations.DeleteModel(
            name='RiskMapRule',
        ),
        migrations.DeleteModel(
            name='RiskPoint',
        ),
        migrations.DeleteModel(
            name='RiskPointPhoto',
        ),
        migrations.DeleteModel(
            name='RiskReport',
        ),
        migrations.DeleteModel(
            name='RiskReportEvent',
        ),
        migrations.DeleteModel(
            name='SitePlan',
        ),
            ],
        ),
        migrations.RunPython(move_content_types, restore_content_types),
    ]
