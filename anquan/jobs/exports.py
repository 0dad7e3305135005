"""Large Excel exports as jobs: above EXPORT_BACKGROUND_ROWS rows a list's export is queued instead of built in
the request; the worker writes the (streaming, write-only) workbook to a file the job keeps for download."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.files import File
from openpyxl import Workbook

from anquan.core import xlsx
from anquan.core.xlsx import Column, export_filename, export_workbook, ledger_sheet

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


def workbook(
    title: str,
    columns: list[Column],
    rows: Iterable[list[Any]],
    *,
    owner: str,
    progress: RowProgress | None = None,
) -> tuple[Workbook, str]:
    """(write-only workbook, file name) of a list ready to file: `rows` (value lists, streamed) in a ledger sheet
    titled "<owner><title>"; `progress` (a job's RowProgress) hears each row."""
    wb = export_workbook()
    ws = ledger_sheet(wb, title, owner=owner, title=title, columns=columns)
    for row in rows:
        ws.append(row)
        if progress:
            progress.row()
    ws.close()
    return wb, export_filename(owner, title)


def finish(job: Job, workbook, filename: str) -> None:
    """Save `workbook` as the job's result file and finish the job."""
    with tempfile.TemporaryFile() as handle:
        xlsx.save(workbook, handle)
        handle.seek(0)
        job.result_file.save(filename, File(handle), save=False)
    if not workflow.finish(
        job, result_file=job.result_file.name, result_name=filename, processed=job.total_rows
    ):
        job.result_file.delete(save=False)  # failed meanwhile: no orphan file
