"""Creating, queueing and running jobs; recovering those whose worker died.

A job is created and queued in one transaction (the queue is a table of the same database, so the worker never
sees a task without its job, nor a job without its task). The worker (`anquan worker`, or the one `anquan
serve` starts) calls `execute`, which starts the job, runs the handler of its kind and finishes or fails it.
A small import still runs inside its request through the same `execute`.

docs/adr/0005-task-queue.md says why this queue; docs/adr/0002-background-imports.md what "all or nothing" means
for an import: a job that does not finish leaves nothing of its file behind — what it wrote so far is undone.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from anquan.core import audit
from anquan.core.models import AuditAction

from . import workflow
from .choices import IMPORTS, JobStatus
from .models import Job

logger = logging.getLogger(__name__)

INTERRUPTED = "导入中断（服务器重启或出错），本次导入已写入的记录已全部撤销，请重新导入"
WORKER_GONE = "后台任务中断（处理它的进程已停止），请重新提交"
FAILED = "后台任务出错，未能完成，请稍后重试；多次失败请联系系统管理员"

# kind → the function that does the work: handler(job, progress), which finishes the job or raises JobFailed;
# kind → undo(ids, actor=, comment=): removes the rows an interrupted import wrote. The app that owns a kind
# registers them in its AppConfig.ready() (`register`): this framework sits below the apps whose work it runs
# (docs/adr/0014-layers-and-hooks.md).
HANDLERS: dict[str, Callable[[Job, Progress], Any]] = {}
UNDO: dict[str, Callable[..., int]] = {}


def register(kind: str, handler: Callable[[Job, Progress], Any], *, undo: Callable[..., int] | None = None):
    """Hook `jobs.runner.handlers`: the handler (and the undo of a partly written import) of job `kind`."""
    HANDLERS[kind] = handler
    if undo is not None:
        UNDO[kind] = undo


class JobFailed(Exception):
    """The job cannot finish; `message` (Chinese) is what its page shows."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _started(pid: int) -> str:
    """When process `pid` started (clock ticks since boot, /proc/PID/stat field 22; "" where there is no
    /proc): with the pid it names one process, even after the pid is reused."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


def worker_id() -> str:
    """host:pid:start of this process (read at each call: gunicorn and the embedded worker fork)."""
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_started(pid)}"


def stale_after() -> dt.timedelta:
    return dt.timedelta(minutes=settings.JOB_STALE_MINUTES)


class Progress:
    """What a handler reports while it runs; every report is saved to the job (the heartbeat)."""

    def __init__(self, job: Job | None = None):
        self.job = job

    def phase(self, phase: str, total: int) -> None:
        if self.job:
            self.job.phase, self.job.total_rows, self.job.processed = phase, total, 0
            self.job.save(update_fields=["phase", "total_rows", "processed", "updated_at"])

    def step(self, processed: int) -> None:
        if self.job:
            self.job.processed = processed
            self.job.save(update_fields=["processed", "updated_at"])

    def written(self, ids: list[int], processed: int) -> None:
        """Rows written by a batch; call inside the batch's transaction, so the record and the rows commit
        together and an interrupted job knows exactly what to undo."""
        if self.job:
            self.job.created_ids = [*self.job.created_ids, *ids]
            self.job.processed = processed
            self.job.save(update_fields=["created_ids", "processed", "updated_at"])


# ------------------------------------------------------------------------------------------ creating


def create(
    kind: str,
    *,
    owner,
    params: dict | None = None,
    mode: str = "",
    data: bytes = b"",
    file_name: str = "",
    total_rows: int = 0,
) -> Job:
    """A queued job row, audited (not yet in the queue: `submit` queues it, a small import runs inline).
    `data`: an import's file, kept under MEDIA_ROOT until the job ends."""
    job = Job(
        kind=kind,
        owner=owner,
        region_code=getattr(owner, "region_code", "") or "",
        params=params or {},
        mode=mode,
        file_name=file_name[:200],
        total_rows=total_rows,
    )
    if data:
        job.upload.save("import.xlsx", ContentFile(data), save=False)
    with transaction.atomic():
        job.save()
        after = {"kind": kind, "status": job.status, "params": job.params}
        if job.is_import:
            after |= {"mode": mode, "file_name": job.file_name, "total_rows": total_rows}
        audit.record(AuditAction.CREATE, job, actor=owner, after=after, comment="提交后台任务")
    return job


def enqueue(job: Job) -> None:
    """Put `job` in the task queue (in the caller's transaction: both commit or neither)."""
    from .tasks import run_job

    with transaction.atomic():
        result = run_job.enqueue(job.pk)
        job.task_id = str(result.id)
        Job.objects.filter(pk=job.pk).update(task_id=job.task_id)


def submit(kind: str, *, owner, **fields) -> Job:
    """Create and queue a job in one transaction; the worker runs it."""
    with transaction.atomic():
        job = create(kind, owner=owner, **fields)
        enqueue(job)
    return job


# ------------------------------------------------------------------------------------------- running


def execute(job: Job):
    """Start `job` here and now and run it to its end; the handler's return value (None if the job was
    already started elsewhere or failed — the job row says why)."""
    if not workflow.start(job, worker=worker_id()):
        return None
    handler = HANDLERS[job.kind]
    try:
        return handler(job, Progress(job))
    except JobFailed as exc:
        fail(job, exc.message)
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        fail(job, INTERRUPTED if job.is_import else FAILED)
    return None


def fail(job: Job, message: str) -> bool:
    """Mark `job` failed with `message`; an import's rows written so far are undone in the same transaction."""
    job.refresh_from_db()
    with transaction.atomic():
        undo(job)  # each removal audited
        comment = "导入失败，已撤销" if job.is_import else ""
        return workflow.fail(job, message, comment=comment, imported=0)


def undo(job: Job) -> int:
    """Remove the rows `job` wrote (hazard imports commit batch by batch; enterprise imports write in one
    transaction and never leave rows behind)."""
    undo_import = UNDO.get(job.kind)
    if undo_import is None or not job.created_ids:
        return 0
    return undo_import(job.created_ids, actor=job.owner, comment=f"撤销未完成的导入#{job.pk}")


def import_handler(importer: Callable[..., Any], interrupted: tuple[type[Exception], ...] = ()):
    """The handler of an import kind: `importer(data, actor=, mode=, progress=)` over the uploaded file; an
    exception of `interrupted` fails the job with its (Chinese) message."""

    def run_import(job: Job, progress: Progress):
        try:
            with job.upload.open("rb") as handle:
                data = handle.read()
            result = importer(data, actor=job.owner, mode=job.mode, progress=progress)
        except interrupted as exc:
            raise JobFailed(str(exc)) from exc
        return _finish_import(job, result)

    return run_import


def _finish_import(job: Job, result):
    """The job done with the import's outcome; `result.created` (if the import has it) counts what it made of
    each kind, e.g. {"people": 3, "certificates": 5}, for the job's page."""
    total = result.total_rows or job.total_rows
    workflow.finish(
        job,
        comment="导入结束",
        imported=result.imported,
        total_rows=total,
        processed=total,
        errors=[[e.row, e.column, e.message] for e in result.errors],
        file_error=result.file_error,
        result=dict(getattr(result, "created", {})),
    )
    return result


# ------------------------------------------------------------------------------------------ recovery


def _process_alive(pid: int, started: str) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, another user's
        pass
    return not started or _started(pid) == started  # the same process, not a new one with its pid


def _worker_gone(job: Job, now) -> bool:
    host, pid, started = ([*job.worker.split(":"), "", ""])[:3]
    if host == socket.gethostname() and pid.isdigit():
        return not _process_alive(int(pid), started)  # on this machine we can tell for sure
    return job.updated_at < now - stale_after()  # elsewhere: the heartbeat went stale


def recover_stale() -> int:
    """Fail the running jobs whose worker died (undoing what an import wrote): never 'running' forever."""
    now = timezone.now()
    count = 0
    for job in Job.objects.filter(status=JobStatus.RUNNING).select_related("owner"):
        if _worker_gone(job, now):
            if fail(job, INTERRUPTED if job.kind in IMPORTS else WORKER_GONE):
                count += 1
    return count
