"""ImportJob becomes Job, the one row for every kind of background work (issue #10): its rows are kept; the
import phases that were statuses (checking, writing) become status "running" with that phase."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import anquan.jobs.models


def phases_out_of_status(apps, schema_editor):
    Job = apps.get_model("jobs", "Job")
    for old in ("checking", "writing"):
        Job.objects.filter(status=old).update(status="running", phase=old)


def phases_back_into_status(apps, schema_editor):
    Job = apps.get_model("jobs", "Job")
    for old in ("checking", "writing"):
        Job.objects.filter(status="running", phase=old).update(status=old)
    Job.objects.filter(status="running").update(status="checking")


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel("ImportJob", "Job"),
        migrations.AlterField(
            model_name="job",
            name="owner",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="jobs", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AddField(
            model_name="job",
            name="phase",
            field=models.CharField(
                blank=True,
                choices=[("checking", "Checking rows"), ("writing", "Importing"), ("generating", "Generating")],
                max_length=12,
            ),
        ),
        migrations.RunPython(phases_out_of_status, phases_back_into_status),
        migrations.AlterField(
            model_name="job",
            name="kind",
            field=models.CharField(
                choices=[
                    ("enterprise_import", "Enterprise import"),
                    ("hazard_import", "Self-check ledger import"),
                    ("bulletin", "Bulletin"),
                    ("hazard_export", "Hazard ledger export"),
                    ("enterprise_export", "Enterprise list export"),
                ],
                max_length=30,
            ),
        ),
        migrations.AlterField(
            model_name="job",
            name="status",
            field=models.CharField(
                choices=[("queued", "Waiting"), ("running", "Running"), ("done", "Finished"), ("failed", "Failed")],
                default="queued",
                max_length=10,
            ),
        ),
        migrations.AlterField(model_name="job", name="mode", field=models.CharField(blank=True, max_length=20)),
        migrations.AddField(model_name="job", name="params", field=models.JSONField(blank=True, default=dict)),
        migrations.AddField(model_name="job", name="result", field=models.JSONField(blank=True, default=dict)),
        migrations.AddField(
            model_name="job",
            name="result_file",
            field=models.FileField(blank=True, max_length=200, upload_to=anquan.jobs.models.result_path),
        ),
        migrations.AddField(model_name="job", name="result_name", field=models.CharField(blank=True, max_length=200)),
        migrations.AddField(model_name="job", name="task_id", field=models.CharField(blank=True, max_length=64)),
        migrations.AddField(model_name="job", name="worker", field=models.CharField(blank=True, max_length=100)),
        migrations.AddField(model_name="job", name="started_at", field=models.DateTimeField(blank=True, null=True)),
        migrations.AddIndex(
            model_name="job", index=models.Index(fields=["status", "updated_at"], name="jobs_job_status_9ab298_idx")
        ),
    ]
