"""The enforcement statistics page /enforcement/stats/ (region and period pickers, the seeds' sentences, the
figures of each child area) and its Excel export /enforcement/stats/export/ with the same choices."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from anquan.accounts.http import AuthedRequest
from anquan.core.errors import ValidationFailed
from anquan.core.xlsx import Column, export_filename, export_workbook, ledger_sheet, xlsx_response

from . import stats

COLUMNS = [
    Column("区域", 16, wrap=True),
    Column("检查生产经营单位（家）", 12),
    Column("查处问题隐患（处）", 12),
    Column("下达执法文书（份）", 12),
    Column("立案（起）", 9),
    Column("责令停产整顿企业（家）", 12),
    Column("关闭取缔企业（家）", 11),
    Column("罚款（万元）", 11),
    Column("移送司法机关（人）", 11),
    Column("联合惩戒企业（家）", 11),
    Column("计划重点企业（家）", 11),
    Column("已检查（家）", 9),
    Column("覆盖率（%）", 9),
]
FIGURES = (
    "inspected_enterprises",
    "inspection_hazards",
    "documents",
    "cases_opened",
    "suspended_enterprises",
    "closed_enterprises",
    "fines_wan_yuan",
    "referred_people",
    "listed_enterprises",
    "plan_enterprises",
    "plan_covered",
    "coverage_rate",
)


def _data(request: AuthedRequest) -> dict[str, Any]:
    """The figures the query asks for (404 for a region outside the user's scope); dates it cannot read are shown
    as an error and the default period (1 January to today) is used instead."""
    get = request.GET
    try:
        return stats.compute(request.user, get.get("region"), get.get("from") or None, get.get("to") or None)
    except ValidationFailed as exc:
        messages.error(request, "；".join(e.message for e in exc.errors))
        return stats.compute(request.user, get.get("region"))


@login_required
@require_GET
def stats_page(request: AuthedRequest) -> HttpResponse:
    data = _data(request)
    rows = [(r["name"], r) for r in data["items"]]
    return render(
        request, "enforcement/stats.html", {"data": data, "rows": rows, "query": request.GET.urlencode()}
    )


@login_required
@require_GET
def stats_export(request: AuthedRequest) -> HttpResponse:
    """The page's table as a sheet ready to file: one row per child area and the total."""
    data = _data(request)
    title = f"{data['label']}执法工作情况统计表"
    owner = data["region_name"]
    wb = export_workbook()
    sheet = ledger_sheet(wb, "执法统计", owner=owner, title=title, columns=COLUMNS, note=data["summary"])
    for row in [*data["items"], {"name": "合计", **data["total"]}]:
        sheet.append([row["name"], *(_cell(row[name]) for name in FIGURES)])
    sheet.close()
    return xlsx_response(wb, export_filename(owner, title))


def _cell(value: Any) -> Any:
    if value is None:
        return "—"
    return float(value) if isinstance(value, str) else value
