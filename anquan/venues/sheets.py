"""A large QR label sheet as a job (anquan/jobs): the worker writes the PDF page by page to the job's file."""

from __future__ import annotations

import json
import tempfile
from typing import Any

from django.core.files import File

from anquan.core.scope import restrict
from anquan.jobs import runner, workflow
from anquan.jobs.models import Job, JobKind, JobPhase

from . import filters, labels, services
from .models import SmallVenue


def submit(user: Any, params: Any, base: str) -> Job:
    values = {k: params.get(k) for k in filters.KEYS if params.get(k)}
    values = json.loads(json.dumps(values, default=str))
    return runner.submit(JobKind.VENUE_LABELS, owner=user, params={"filters": values, "base": base})


def run(job: Job, progress: runner.Progress) -> None:
    qs = filters.apply(restrict(SmallVenue, job.owner), job.params["filters"]).order_by(
        "region_code", "name", "id"
    )
    total = qs.count()
    progress.phase(JobPhase.GENERATING, total)
    base = job.params.get("base", "") or services.public_base()
    pairs = ((v, base + services.public_path(v)) for v in qs.iterator(chunk_size=500))
    name = "九小场所二维码标签.pdf"
    with tempfile.TemporaryFile() as handle:
        labels.write_sheet(pairs, handle, progress=lambda n: progress.step(n) if n % 240 == 0 else None)
        handle.seek(0)
        job.result_file.save("venue-labels.pdf", File(handle), save=False)
    if not workflow.finish(job, result_file=job.result_file.name, result_name=name, processed=total):
        job.result_file.delete(save=False)


def register() -> None:
    from . import excel

    runner.register(JobKind.VENUE_LABELS, run)
    runner.register(JobKind.VENUE_IMPORT, runner.import_handler(excel.import_workbook))
