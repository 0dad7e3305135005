"""An import's uploaded file moves from a column of the job (read with every poll of its status, and not
something an audit snapshot can hold) to a file under MEDIA_ROOT that the job refers to until it ends."""

import uuid

from django.core.files.base import ContentFile
from django.db import migrations, models

import anquan.jobs.models


def blobs_to_files(apps, schema_editor):
    Job = apps.get_model("jobs", "Job")
    for job in Job.objects.exclude(data=b"").iterator():
        data = bytes(job.data)
        if data:
            name = f"jobs/uploads/{job.region_code or 'none'}/{uuid.uuid4().hex}.xlsx"
            job.upload.save(name, ContentFile(data), save=False)
            Job.objects.filter(pk=job.pk).update(upload=job.upload.name)


def files_to_blobs(apps, schema_editor):
    Job = apps.get_model("jobs", "Job")
    for job in Job.objects.exclude(upload="").iterator():
        with job.upload.open("rb") as handle:
            Job.objects.filter(pk=job.pk).update(data=handle.read())


class Migration(migrations.Migration):
    dependencies = [("jobs", "0002_one_job_model_for_all_background_work")]

    operations = [
        migrations.AddField(
            model_name="job",
            name="upload",
            field=models.FileField(blank=True, max_length=200, upload_to=anquan.jobs.models.upload_path),
        ),
        migrations.RunPython(blobs_to_files, files_to_blobs),
        migrations.RemoveField(model_name="job", name="data"),
    ]
