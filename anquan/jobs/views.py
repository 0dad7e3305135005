"""Import pages share one way in (`handle_import`) and one progress page per job."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from anquan.accounts.scope import get_in_scope
from anquan.core.imports import ImportRefused, check_size, read_sheet

from . import runner
from .models import ImportJob


def handle_import(request, kind: str, modes) -> tuple[object | None, str, object | None]:
    """(result, error, redirect) for the POST of an import page: the file is checked (type, size, rows);
    a file of up to IMPORT_BACKGROUND_ROWS rows is imported at once (result), a larger one starts a
    background job and the caller answers with `redirect` to its progress page."""
    upload = request.FILES.get("file")
    mode = request.POST.get("mode", modes[0])
    if upload is None or not upload.name.lower().endswith(".xlsx"):
        return None, _("Choose an .xlsx file made from the template."), None
    if mode not in modes:
        return None, _("Choose an import mode."), None
    try:
        check_size(upload.size)
        data = upload.read()
        _header, rows = read_sheet(data)
    except ImportRefused as exc:
        return None, exc.message, None
    runner.recover_stale()
    job = runner.create(
        kind, owner=request.user, mode=mode, data=data, file_name=upload.name, total_rows=len(rows)
    )
    if len(rows) <= settings.IMPORT_BACKGROUND_ROWS:
        try:
            return runner.execute(job), "", None
        except Exception:
            job.refresh_from_db()
            return None, job.file_error, None
    runner.start(job)
    return None, "", redirect("jobs:detail", pk=job.pk)


def _job(request, pk: int) -> ImportJob:
    runner.recover_stale()
    # through the scoping function like every read, narrowed to one's own jobs
    return get_in_scope(ImportJob.objects.filter(owner=request.user), request.user, pk=pk)


@login_required
def detail(request, pk: int):
    return render(request, "jobs/job.html", {"job": _job(request, pk)})


@login_required
def progress(request, pk: int):
    """HTMX: the job's progress, polled every second while it runs."""
    return render(request, "jobs/_progress.html", {"job": _job(request, pk)})


app_name = "jobs"
urlpatterns = [
    path("<int:pk>/", detail, name="detail"),
    path("<int:pk>/progress", progress, name="progress"),
]
