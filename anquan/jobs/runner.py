"""Running an import job: inline for a small file, in a thread started after commit for a large one.

docs/adr/0002-background-imports.md says why a thread (for now) and what "all or nothing" means here:
a job that does not finish leaves nothing of its file behind — what it wrote so far is undone.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from anquan.core import audit
from anquan.core.models import AuditAction

from .models import ACTIVE, ImportJob, JobKind, JobStatus

logger = logging.getLogger(__name__)

# a job whose heartbeat (saved after every batch) is older than this died with its process
STALE_AFTER = dt.timedelta(minutes=5)
INTERRUPTED = "导入中断（服务器重启或出错），本次导入已写入的记录已全部撤销，请重新导入"

_threads: dict[int, threading.Thread] = {}


class Progress:
    """What an importer reports while it runs; every report is saved to the job (the heartbeat)."""

    def __init__(self, job: ImportJob | None = None):
        self.job = job

    def phase(self, status: str, total: int) -> None:
        if self.job:
            self.job.status, self.job.total_rows, self.job.processed = status, total, 0
            self.job.save(update_fields=["status", "total_rows", "processed", "updated_at"])

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


def _importer(kind: str):
    if kind == JobKind.HAZARD_IMPORT:
        from anquan.hazards.excel import import_self_check

        return import_self_check
    from anquan.enterprises.excel import import_workbook

    return import_workbook


def create(kind: str, *, owner, mode: str, data: bytes, file_name: str, total_rows: int) -> ImportJob:
    job = ImportJob.objects.create(
        kind=kind,
        owner=owner,
        region_code=getattr(owner, "region_code", "") or "",
        mode=mode,
        data=data,
        file_name=file_name[:200],
        total_rows=total_rows,
    )
    audit.record(
        AuditAction.CREATE,
        job,
        actor=owner,
        after={"kind": kind, "mode": mode, "file_name": job.file_name, "total_rows": total_rows},
        comment="开始导入",
    )
    return job


def execute(job: ImportJob):
    """Run `job` here and now; returns the importer's result (the job row holds it too)."""
    from anquan.hazards.excel import ImportInterrupted

    try:
        result = _importer(job.kind)(bytes(job.data), actor=job.owner, mode=job.mode, progress=Progress(job))
    except ImportInterrupted as exc:
        fail(job, str(exc))
        raise
    except Exception:
        logger.exception("import job %s failed", job.pk)
        fail(job, INTERRUPTED)
        raise
    finish(job, result)
    return result


def start(job: ImportJob) -> None:
    """Run `job` in a thread once the current transaction commits (the request answers at once)."""
    transaction.on_commit(lambda: _spawn(job.pk))


def _spawn(pk: int) -> None:
    thread = threading.Thread(target=_run, args=(pk,), name=f"import-job-{pk}", daemon=True)
    _threads[pk] = thread
    thread.start()


def _run(pk: int) -> None:
    close_old_connections()
    try:
        execute(ImportJob.objects.select_related("owner").get(pk=pk))
    except Exception:  # already recorded on the job; a thread has no one else to tell
        pass
    finally:
        connection.close()


def join(pk: int | None = None, timeout: float | None = None) -> None:
    """Wait for background jobs of this process (tests; a clean shutdown)."""
    for key, thread in list(_threads.items()):
        if pk is None or key == pk:
            thread.join(timeout)
            if not thread.is_alive():
                _threads.pop(key, None)


def finish(job: ImportJob, result) -> None:
    job.status = JobStatus.DONE
    job.imported = result.imported
    job.total_rows = result.total_rows or job.total_rows
    job.processed = job.total_rows
    job.errors = [[e.row, e.column, e.message] for e in result.errors]
    job.file_error = result.file_error
    job.data = b""
    job.created_ids = []
    job.finished_at = timezone.now()
    with transaction.atomic():
        job.save()
        audit.record(
            AuditAction.UPDATE,
            job,
            actor=job.owner,
            after={"status": job.status, "imported": job.imported, "errors": len(job.errors)},
            comment="导入结束",
        )


def fail(job: ImportJob, message: str) -> None:
    """Undo what `job` wrote and mark it failed."""
    job.refresh_from_db()
    with transaction.atomic():
        undone = undo(job)
        job.status = JobStatus.FAILED
        job.file_error = message
        job.imported = 0
        job.data = b""
        job.created_ids = []
        job.finished_at = timezone.now()
        job.save()
        audit.record(
            AuditAction.UPDATE,
            job,
            actor=job.owner,
            after={"status": job.status, "undone": undone},
            comment="导入失败，已撤销",
        )


def undo(job: ImportJob) -> int:
    """Remove the rows `job` wrote (hazard imports commit batch by batch; enterprise imports write in one
    transaction and never leave rows behind)."""
    if job.kind != JobKind.HAZARD_IMPORT or not job.created_ids:
        return 0
    from anquan.hazards.excel import undo_import

    return undo_import(job.created_ids, actor=job.owner, comment=f"撤销未完成的导入#{job.pk}")


def recover_stale() -> int:
    """Fail (and undo) the jobs whose process died: no heartbeat for STALE_AFTER."""
    stale = ImportJob.objects.filter(status__in=ACTIVE, updated_at__lt=timezone.now() - STALE_AFTER)
    count = 0
    for job in stale.select_related("owner"):
        if job.pk in _threads and _threads[job.pk].is_alive():
            continue
        fail(job, INTERRUPTED)
        count += 1
    return count
