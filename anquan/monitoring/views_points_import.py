"""Bulk registration of monitoring points from Excel: the template, and an upload that is either checked (a preview
of the rows and every row's errors) or imported (all or nothing)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from anquan.accounts.http import AuthedRequest
from anquan.core.imports import ImportRefused, check_size, page_context
from anquan.core.permissions import Perm, has_perm

from . import points, points_excel


def _configurer(request: AuthedRequest) -> None:
    if not has_perm(request.user, Perm.MONITORING_CONFIGURE):
        raise Http404


@login_required
def import_template(request: AuthedRequest) -> HttpResponse:
    _configurer(request)
    return points_excel.template_response()


@login_required
def point_import(request: AuthedRequest) -> HttpResponse:
    _configurer(request)
    result, error, status = None, "", 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error, status = "请选择要上传的 .xlsx 文件", 422
        else:
            dry_run = request.POST.get("mode") != "import"
            try:
                check_size(upload.size or 0)
                result = points_excel.import_workbook(upload.read(), actor=request.user, dry_run=dry_run)
                if result.file_error or result.errors:
                    status = 422
            except ImportRefused as exc:
                error, status = exc.message, 422
    return render(
        request,
        "monitoring/points_import.html",
        {"result": result, "error": error, "basis": points.SETPOINT_BASIS, **page_context()},
        status=status,
    )
