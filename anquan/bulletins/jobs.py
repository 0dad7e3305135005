"""A bulletin as a background job: the request checks what it asks for and queues it; the worker generates
the document and the job points at the stored bulletin."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from anquan.core.errors import NotPermitted, ValidationFailed
from anquan.jobs import runner, workflow
from anquan.jobs.models import Job, JobKind

from . import generate

FIELDS = ("kind", "region", "year", "month", "quarter", "issue_number", "confirm_incomplete")


def submit(user, raw: dict) -> Job:
    """Check the request (403 / 422 at once, as before) and queue the generation."""
    today = timezone.localdate()
    generate.check(user, raw, today)
    form = {name: str(raw[name]) for name in FIELDS if raw.get(name) not in (None, "")}
    return runner.submit(JobKind.BULLETIN, owner=user, params={"form": form, "today": today.isoformat()})


def run(job: Job, progress: runner.Progress):
    """Handler (anquan.jobs.runner.HANDLERS): generate as the job's owner, on the day it was asked for."""
    today = dt.date.fromisoformat(job.params["today"])

    def finished(bulletin) -> None:  # in the transaction that stores the bulletin
        done = workflow.finish(
            job,
            result={"bulletin": bulletin.pk},
            result_name=f"{bulletin.title}.docx",
            processed=generate.RENDER_STEPS,
        )
        if not done:  # failed meanwhile (its worker was taken for dead): keep no orphan bulletin
            raise runner.JobFailed(runner.WORKER_GONE)

    try:
        return generate.generate(job.owner, job.params["form"], today=today, progress=progress, then=finished)
    except ValidationFailed as exc:
        raise runner.JobFailed("；".join(e.message for e in exc.errors)) from exc
    except NotPermitted as exc:
        raise runner.JobFailed(exc.message) from exc
