"""A job's life: queued → running → done / failed, and nothing else — a workflow of the core engine.

The worker (or a request running a small import inline) takes these steps as the system: the engine performs
the compare-and-set on the old status (two workers cannot both start a job; a job already failed by the
recovery is never marked done afterwards) and writes the audit entry in the same transaction. A job has no
typed event rows: its audit entries are its history, and the row itself holds the outcome.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from anquan.core.errors import Conflict
from anquan.core.workflow import SYSTEM, Transition, Workflow

from .choices import JobStatus
from .models import Job

WORKFLOW = Workflow(
    model=Job,
    event_model=None,
    event_parent="",
    transitions={
        "start": Transition("开始", (JobStatus.QUEUED,), JobStatus.RUNNING, who={SYSTEM}),
        "finish": Transition("完成", (JobStatus.RUNNING,), JobStatus.DONE, who={SYSTEM}),
        "fail": Transition("失败", (JobStatus.QUEUED, JobStatus.RUNNING), JobStatus.FAILED, who={SYSTEM}),
    },
    status_labels=dict(JobStatus.choices),
    stale_message="后台任务已被其他进程处理",
    select_related=("owner",),
)
COMMENTS = {"start": "后台任务开始", "finish": "后台任务完成", "fail": "后台任务失败"}


def transition(job: Job, action: str, *, comment: str = "", **changes) -> bool:
    """Take `action` on `job` with `changes`; False (nothing written) when another process moved it first.
    `job` is refreshed to the stored row either way."""
    now = timezone.now()
    changes["started_at" if action == "start" else "finished_at"] = now
    job.refresh_from_db()
    try:
        fresh, _event = WORKFLOW.apply(
            job, action, actor=None, changes=changes, now=now, audit_comment=comment or COMMENTS[action]
        )
    except Conflict:
        job.refresh_from_db()
        return False
    for field in Job._meta.concrete_fields:
        setattr(job, field.attname, getattr(fresh, field.attname))
    return True


def start(job: Job, *, worker: str) -> bool:
    return transition(job, "start", worker=worker)


def finish(job: Job, *, comment: str = "", **changes) -> bool:
    """Done; an import's uploaded file is removed once that is committed."""
    upload = job.upload.name
    done = transition(job, "finish", comment=comment, upload="", created_ids=[], **changes)
    if done:
        _remove_after_commit(job, upload)
    return done


def fail(job: Job, message: str, *, comment: str = "", **changes) -> bool:
    upload = job.upload.name
    failed = transition(
        job, "fail", comment=comment, file_error=message, upload="", created_ids=[], **changes
    )
    if failed:
        _remove_after_commit(job, upload)
    return failed


def _remove_after_commit(job: Job, name: str) -> None:
    if name:
        storage = job.upload.storage
        transaction.on_commit(lambda: storage.delete(name))
