"""A job's life: queued → running → done / failed, and nothing else.

Every status change goes through `transition`: a compare-and-set on the old status (two workers cannot both
start a job; a job already failed by the recovery is never marked done afterwards) and an audit entry in the
same transaction. The core workflow engine (issue #10 item 5) was not in main when this was written: these
three transitions are small enough to live here and move onto it later.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from anquan.core import audit
from anquan.core.models import AuditAction

from .models import Job, JobStatus

# action: (from-statuses, to-status, audit comment)
TRANSITIONS = {
    "start": ((JobStatus.QUEUED,), JobStatus.RUNNING, "后台任务开始"),
    "finish": ((JobStatus.RUNNING,), JobStatus.DONE, "后台任务完成"),
    "fail": ((JobStatus.QUEUED, JobStatus.RUNNING), JobStatus.FAILED, "后台任务失败"),
}
AUDITED_FIELDS = ("imported", "file_error", "result", "result_name", "worker", "total_rows")


def transition(job: Job, action: str, *, comment: str = "", **fields) -> bool:
    """Move `job` by `action` if its status still allows it, setting `fields` with it; False (nothing
    written) when another process moved it first."""
    sources, target, default_comment = TRANSITIONS[action]
    now = timezone.now()
    values = {**fields, "status": target, "updated_at": now}
    if action == "start":
        values["started_at"] = now
    else:
        values["finished_at"] = now
    with transaction.atomic():
        before = Job.objects.filter(pk=job.pk).values_list("status", flat=True).first()
        if not Job.objects.filter(pk=job.pk, status__in=sources).update(**values):
            return False
        for name, value in values.items():
            setattr(job, name, value)
        after = {"status": target} | {k: v for k, v in fields.items() if k in AUDITED_FIELDS}
        audit.record(
            AuditAction.UPDATE,
            job,
            actor=job.owner,
            before={"status": before},
            after=after,
            comment=comment or default_comment,
        )
    return True


def start(job: Job, *, worker: str) -> bool:
    return transition(job, "start", worker=worker)


def finish(job: Job, *, comment: str = "", **fields) -> bool:
    return transition(job, "finish", comment=comment, **fields)


def fail(job: Job, message: str, *, comment: str = "", **fields) -> bool:
    return transition(job, "fail", comment=comment, file_error=message, data=b"", created_ids=[], **fields)
