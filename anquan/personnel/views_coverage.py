"""The coverage page (region, industry, day; the enterprises below 100 %), its Excel export, and the Excel import
of personnel with certificates (template, check, all-or-nothing import)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import render

from anquan.accounts.http import AuthedRequest
from anquan.core.imports import page_context
from anquan.core.scope import CHANGE, role_may
from anquan.core.xlsx import Column, Ledger, export_filename, export_workbook, owner_name, xlsx_response
from anquan.jobs.models import JobKind
from anquan.jobs.views import handle_import
from anquan.orgs.models import Industry
from anquan.regions.models import Region

from . import excel, filters
from .models import Person
from .stats import MEASURE_LABELS, MEASURES, Coverage, Share


def _params(request: AuthedRequest) -> tuple[Coverage, Region]:
    on = None
    if request.GET.get("on"):
        try:
            on = dt.date.fromisoformat(request.GET["on"])
        except ValueError:
            # a day that is not a date: today's figures, and the page says why
            messages.error(request, "统计日期应为2026-01-31格式的日期，已按今天统计")
        if on is not None and not dt.date(2000, 1, 1) <= on <= dt.date(2100, 12, 31):
            messages.error(request, "统计日期超出可统计的范围，已按今天统计")
            on = None
    return filters.coverage_for(
        request.user,
        region=request.GET.get("region") or None,
        industry=request.GET.get("industry") or None,
        on=on,
    )


def _pct(share: Share) -> str:
    return "—" if share.rate is None else f"{share.rate * 100:.1f}%"


@login_required
def coverage_page(request: AuthedRequest) -> HttpResponse:
    result, place = _params(request)
    totals = [(MEASURE_LABELS[m], result.totals[m], _pct(result.totals[m])) for m in MEASURES]
    below = [(e, [(e.shares[m], _pct(e.shares[m])) for m in MEASURES]) for e in result.below]
    return render(
        request,
        "personnel/coverage.html",
        {
            "result": result,
            "place": place,
            "totals": totals,
            "below": below,
            "labels": [MEASURE_LABELS[m] for m in MEASURES],
            "industries": Industry.objects.filter(kind="category"),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def coverage_export(request: AuthedRequest) -> HttpResponse:
    result, place = _params(request)
    wb = export_workbook()
    columns = [Column("企业", 30), Column("区划代码", 12)] + [Column(MEASURE_LABELS[m], 20) for m in MEASURES]
    sheet = Ledger(
        wb,
        "未达100%企业",
        title=f"{place.name}三项岗位人员持证和培训未达100%的企业（{result.on:%Y-%m-%d}）",
        columns=columns,
    )
    for e in result.below:
        sheet.append(
            [e.name, e.region_code]
            + [f"{e.shares[m].covered}/{e.shares[m].total}（{_pct(e.shares[m])}）" for m in MEASURES]
        )
    sheet.close()
    return xlsx_response(wb, export_filename(owner_name(request.user, place), "三项岗位人员覆盖情况"))


def _importer(request: AuthedRequest) -> None:
    if not role_may(request.user, Person, CHANGE):
        raise Http404


@login_required
def import_template(request: AuthedRequest) -> HttpResponse:
    _importer(request)
    return excel.template_response()


@login_required
@transaction.non_atomic_requests  # an import job is committed before it runs (anquan/jobs)
def import_page(request: AuthedRequest) -> HttpResponse:
    """Check or import a file; above IMPORT_BACKGROUND_ROWS rows the worker does it and the job's page shows its
    progress and outcome."""
    _importer(request)
    result, error, status = None, "", 200
    if request.method == "POST":
        result, error, moved = handle_import(request, JobKind.PERSONNEL_IMPORT, excel.ImportMode.CHOICES)
        if moved:
            return moved
        if error or result.file_error or result.errors:
            status = 422
    return render(
        request, "personnel/import.html", {"result": result, "error": error, **page_context()}, status=status
    )
