"""The one task of the queue: run a job. Everything about the job is in its row (`anquan.jobs.models.Job`);
the task only carries its id."""

from django_tasks import task


@task()
def run_job(job_id: int) -> str:
    from . import runner
    from .models import Job

    job = Job.objects.select_related("owner").filter(pk=job_id).first()
    if job is None:
        return "missing"
    runner.execute(job)
    job.refresh_from_db()
    return job.status
