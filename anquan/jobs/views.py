"""Import pages share one way in (`handle_import`); every job has a page, a small JSON status the pages poll
(static/js/jobs.js) and, for an export, its download."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from anquan.core.imports import ImportRefused, check_size, read_sheet

from . import runner, services
from .models import Job


def handle_import(request, kind: str, modes) -> tuple[Any, str, HttpResponseRedirect | None]:
    """(result, error, redirect) for the POST of an import page: the file is checked (type, size, rows);
    a file of up to IMPORT_BACKGROUND_ROWS rows is imported at once (result), a larger one is queued for the
    worker and the caller answers with `redirect` to its progress page."""
    result, error, job = start_import(
        request.user, kind, request.POST.get("mode", modes[0]), modes, request.FILES.get("file")
    )
    return result, error, redirect("jobs:detail", pk=job.pk) if job is not None else None


def start_import(user, kind: str, mode: str, modes, upload) -> tuple[Any, str, Job | None]:
    """(result, error, queued job) of an uploaded import file, for a page or the API: the file is checked
    (type, size, rows); up to IMPORT_BACKGROUND_ROWS rows it is imported at once (result), above that a job
    is queued for the worker (the caller shows or answers with it)."""
    if upload is None or not (upload.name or "").lower().endswith(".xlsx"):
        return None, _("Choose an .xlsx file made from the template."), None
    if mode not in modes:
        return None, _("Choose an import mode."), None
    try:
        check_size(upload.size)
        data = upload.read()
        _header, rows = read_sheet(data)
    except ImportRefused as exc:
        return None, exc.message, None
    fields = {
        "owner": user,
        "mode": mode,
        "data": data,
        "file_name": upload.name,
        "total_rows": len(rows),
    }
    if len(rows) > settings.IMPORT_BACKGROUND_ROWS:
        with transaction.atomic():
            job = runner.submit(kind, **fields)
        return None, "", job
    job = runner.create(kind, **fields)
    result = runner.execute(job)
    if result is None:
        job.refresh_from_db()
        return None, job.file_error, None
    return result, "", None


@login_required
def detail(request, pk: int):
    job = services.get(request.user, pk)
    return render(request, "jobs/job.html", {"job": job, "result_url": services.result_url(job)})


@login_required
def progress(request, pk: int):
    """HTMX: an import's progress and outcome, polled every second while it runs."""
    return render(request, "jobs/_progress.html", {"job": services.get(request.user, pk)})


@login_required
def status(request, pk: int):
    """The job's status as JSON, polled by the page that started it (static/js/jobs.js)."""
    response = JsonResponse(services.out(services.get(request.user, pk)))
    response["Cache-Control"] = "no-store"
    return response


@login_required
def download(request, pk: int):
    return services.file_response(request.user, pk)


def box_context(request, pk) -> dict:
    """For a page that shows the progress of a job it started (`?job=ID`): the job, 404 if it is not the
    user's (or not a job id at all)."""
    if not pk:
        return {}
    if not (str(pk).isdigit() and 0 < int(pk) < 2**31):
        raise Http404
    job = services.get(request.user, int(pk))
    return {"job": job, "result_url": services.result_url(job)}
