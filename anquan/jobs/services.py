"""Reading jobs: always the caller's own, through the scoping function; the status shape the page's script
and the API share; the result file."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.urls import reverse

from anquan.core import uploads
from anquan.core.scope import get_in_scope, restrict
from anquan.core.xlsx import XLSX

from . import runner
from .choices import EXPORTS, JobKind, JobStatus
from .models import Job


def scoped(user) -> QuerySet:
    """The jobs `user` may see: through `restrict` like every read, narrowed to the ones they started."""
    return restrict(Job, user).filter(owner=user).select_related("owner")


def get(user, pk: int) -> Job:
    """The caller's job (404 otherwise); jobs whose worker died are marked failed first."""
    runner.recover_stale()
    return get_in_scope(scoped(user), user, pk=pk)


def result_url(job: Job, *, api: bool = False) -> str | None:
    if job.status != JobStatus.DONE:
        return None
    if job.kind == JobKind.BULLETIN and job.result.get("bulletin"):
        if api:
            return reverse("api:bulletin_download", kwargs={"bulletin_id": job.result["bulletin"]})
        return reverse("bulletins:download", kwargs={"pk": job.result["bulletin"]})
    if job.kind in EXPORTS and job.result_file:
        return (
            reverse("api:job_download", kwargs={"job_id": job.pk})
            if api
            else reverse("jobs:download", args=[job.pk])
        )
    return None


def out(job: Job, *, api: bool = False) -> dict:
    return {
        "id": job.pk,
        "kind": job.kind,
        "kind_name": str(job.get_kind_display()),
        "status": job.status,
        "status_name": job.stage_name,
        "percent": job.percent,
        "processed": job.processed,
        "total": job.total_rows,
        "error": job.file_error if job.status == JobStatus.FAILED else "",
        "imported": job.imported,
        "errors": [{"row": row, "column": column, "message": message} for row, column, message in job.errors],
        "created": {k: v for k, v in job.result.items() if isinstance(v, int)} if job.is_import else {},
        "result_url": result_url(job, api=api),
        "result_name": job.result_name,
        "url": reverse("api:get_job", kwargs={"job_id": job.pk})
        if api
        else reverse("jobs:detail", args=[job.pk]),
        "created_at": job.created_at.isoformat(),
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }


def file_response(user, pk: int) -> FileResponse:
    """An export job's workbook, named as the export names it; 404 out of scope, unfinished or gone."""
    job = get(user, pk)
    if job.kind not in EXPORTS or job.status != JobStatus.DONE or not job.result_file:
        raise Http404
    pdf = job.result_name.lower().endswith(".pdf")  # a label sheet (venues); every other result is a workbook
    return uploads.file_response(
        job.result_file, content_type="application/pdf" if pdf else XLSX, name=job.result_name
    )
