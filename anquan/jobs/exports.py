"""Large Excel exports as jobs: above EXPORT_BACKGROUND_ROWS rows a list's export is queued instead of built in
the request; the worker writes the (streaming, write-only) workbook to a file the job keeps for download."""

from __future__ import annotations

import json
import tempfile

from django.conf import settings
from django.core.files import File

from . import runner, workflow
from .choices import JobPhase
from .models import Job

STEP_ROWS = 500  # progress (and heartbeat) every this many rows


def too_large(queryset) -> bool:
    return queryset.count() > settings.EXPORT_BACKGROUND_ROWS


def submit(kind: str, user, filters) -> Job:
    """Queue the export of the list `user` sees under `filters` (request.GET or the API's query)."""
    values = filters.dict() if hasattr(filters, "dict") and not isinstance(filters, dict) else dict(filters)
    values = json.loads(json.dumps(values, default=str))  # dates and the like as the text a filter reads
    return runner.submit(kind, owner=user, params={"filters": values})


class RowProgress:
    """Counts rows into the job's progress."""

    def __init__(self, progress: runner.Progress, total: int):
        self.progress, self.done = progress, 0
        progress.phase(JobPhase.GENERATING, total)

    def row(self) -> None:
        self.done += 1
        if self.done % STEP_ROWS == 0:
            self.progress.step(self.done)


def finish(job: Job, workbook, filename: str) -> None:
    """Save `workbook` as the job's result file and finish the job."""
    with tempfile.TemporaryFile() as handle:
        workbook.save(handle)
        handle.seek(0)
        job.result_file.save(filename, File(handle), save=False)
    if not workflow.finish(
        job, result_file=job.result_file.name, result_name=filename, processed=job.total_rows
    ):
        job.result_file.delete(save=False)  # failed meanwhile: no orphan file
