"""Coverage of the yearly risk reports (风险报告制度全覆盖): for a region and a year, the enterprises in the
user's scope that must report, how many have reported (submitted or accepted) and had their report
accepted, per child region; and the enterprises that have not reported yet, with an Excel export.

Who must report: every enterprise in the user's scope inside the region that is not closed; with
sector "industrial", only those of GB/T 4754-2017 sections B, C and D (采矿业、制造业、电力热力燃气及水
生产和供应业 — 工业 in the statistical sense, as the seeds' "工业企业" means). A draft or a returned
report does not count as reported.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Substr
from django.http import Http404, HttpResponse
from django.utils import timezone

from anquan.accounts.models import User
from anquan.core.errors import FieldError, ValidationFailed
from anquan.core.scope import region_in_scope, restrict, within
from anquan.core.xlsx import Column, export_filename, export_workbook, ledger_sheet, xlsx_response
from anquan.enterprises import filters as enterprise_filters
from anquan.enterprises.choices import Status
from anquan.enterprises.models import Enterprise
from anquan.regions.models import Region

from . import actions as reports
from .choices import ReportStatus
from .models import RiskReport

INDUSTRIAL_SECTIONS = ("B", "C", "D")
SECTORS = ("", "industrial")
REGION_RE = re.compile(r"^\d{6}(\d{3}(\d{3})?)?$")
NOT_REPORTED_COLUMNS = [
    Column("序号", 6),
    Column("单位名称", 30, wrap=True),
    Column("统一社会信用代码", 21),
    Column("所在区域", 24, wrap=True),
    Column("行业类别", 14, wrap=True),
    Column("行业监管部门", 16, wrap=True),
    Column("主要负责人", 11),
    Column("主要负责人电话", 15),
    Column("安全管理人员", 11),
    Column("安全管理人员电话", 15),
    Column("报告状态", 10),
]
REGION_COLUMNS = [
    Column("区域", 20, wrap=True),
    Column("区划代码", 13),
    Column("应报告企业", 11),
    Column("已报告", 9),
    Column("已审核通过", 11),
    Column("未报告", 9),
    Column("覆盖率（%）", 11),
]


def resolve(
    user: User, raw_region: object, raw_year: object, raw_sector: str | None = ""
) -> tuple[Region, int, str]:
    """Region (default: the user's own), year (default: this year) and sector from request input.
    A malformed or unknown value is a 422 naming its field; a region outside the user's scope is 404."""
    errors: list[FieldError] = []
    code = str(raw_region or "").strip() or (user.region.code if user.region else "")
    region = None
    if not REGION_RE.match(code):
        errors.append(FieldError("region", "invalid", "区划代码须为 6、9 或 12 位数字"))
    else:
        region = Region.objects.filter(code=code).first()
        if region is None:
            errors.append(FieldError("region", "unknown_region", f"区划代码{code}不存在"))
    year = reports.parse_year(raw_year or timezone.localdate().year, errors)
    sector = str(raw_sector or "").strip()
    if sector not in SECTORS:
        errors.append(
            FieldError("sector", "invalid_choice", "行业范围须为空（全部）或 industrial（工业企业）")
        )
    if errors:
        raise ValidationFailed(errors)
    assert region is not None and year is not None  # each missing one was refused above
    if not region_in_scope(user, region.code):
        raise Http404
    return region, year, sector


def obliged(user: User, region: Region, sector: str = "") -> QuerySet[Enterprise]:
    """The enterprises in the user's scope inside `region` that must report."""
    qs = restrict(Enterprise, user).filter(within(region.prefix)).exclude(status=Status.CLOSED)
    if sector == "industrial":
        qs = qs.filter(industry__gb_section__in=INDUSTRIAL_SECTIONS)
    return qs


def with_report_status(qs: QuerySet[Enterprise], year: int) -> QuerySet[Enterprise]:
    """Each enterprise with the status of its report of `year` (None: no report)."""
    status = RiskReport.objects.filter(enterprise=OuterRef("pk"), year=year).values("status")[:1]
    return qs.annotate(report_status=Subquery(status))


METRICS = dict(
    enterprises=Count("pk"),
    reported=Count("pk", filter=Q(report_status__in=reports.REPORTED)),
    accepted=Count("pk", filter=Q(report_status=ReportStatus.ACCEPTED)),
)


def _row(key: str, label: str, values: dict[str, Any]) -> dict[str, Any]:
    enterprises, reported = values["enterprises"], values["reported"]
    return {
        "region": key,
        "name": label,
        "enterprises": enterprises,
        "reported": reported,
        "accepted": values["accepted"],
        "not_reported": enterprises - reported,
        # 覆盖率 = reported ÷ enterprises that must report, one decimal; none to report → no rate
        "coverage": round(reported * 100 / enterprises, 1) if enterprises else None,
    }


def coverage_total(user: User, region: Region, year: int, sector: str = "") -> dict[str, Any]:
    """The total row alone (one query), e.g. for the overview page."""
    qs = with_report_status(obliged(user, region, sector), year).order_by()
    return _row(region.code, "合计", qs.aggregate(**METRICS))


def coverage(user: User, region: Region, year: int, sector: str = "") -> dict[str, Any]:
    """Counts per child region of `region` (two grouped queries in all) and the total."""
    qs = with_report_status(obliged(user, region, sector), year).order_by()
    items = []
    children = list(Region.objects.filter(parent=region))
    if children:
        length = len(children[0].prefix)  # siblings share a level, so their prefixes share a length
        grouped = {
            r["k"]: r for r in qs.annotate(k=Substr("region_code", 1, length)).values("k").annotate(**METRICS)
        }
        empty = dict.fromkeys(METRICS, 0)
        items = [_row(c.code, c.name, grouped.get(c.prefix, empty)) for c in children]
    return {
        "region": region.code,
        "region_name": region.full_name,
        "year": year,
        "sector": sector,
        "items": items,
        "total": _row(region.code, "合计", qs.aggregate(**METRICS)),
    }


def not_reported(
    user: User, region: Region, year: int, sector: str = "", params: Mapping[str, Any] | None = None
) -> QuerySet[Enterprise]:
    """The enterprises that must report and have not (no report, a draft or a returned one), filtered by
    the enterprise list's own filters (q, industry, department, key_supervision …; not region)."""
    qs = with_report_status(obliged(user, region, sector), year).filter(
        Q(report_status__isnull=True) | ~Q(report_status__in=reports.REPORTED)
    )
    params = {
        k: v for k, v in (params or {}).items() if k in enterprise_filters.FILTER_KEYS and k != "region"
    }
    return enterprise_filters.apply(qs, params).select_related("region", "industry", "supervising_department")


def status_label(status: str | None) -> str:
    return str(ReportStatus(status).label) if status else "未编制"


def export_response(
    user: User, region: Region, year: int, sector: str, params: Mapping[str, Any]
) -> HttpResponse:
    wb = export_workbook()
    sector_name = "工业企业" if sector == "industrial" else ""
    title = f"{year}年度安全风险报告未报告{sector_name or '企业'}名单"
    ws = ledger_sheet(wb, "未报告企业", owner=region.name, title=title, columns=NOT_REPORTED_COLUMNS)
    for n, e in enumerate(not_reported(user, region, year, sector, params).iterator(chunk_size=2000), 1):
        ws.append(
            [
                n,
                e.name,
                e.uscc,
                e.region.full_name,
                e.industry.name,
                e.supervising_department.name if e.supervising_department else "",
                e.principal_name,
                e.principal_phone,
                e.safety_manager_name,
                e.safety_manager_phone,
                status_label(e.report_status),  # type: ignore[attr-defined]  # annotated by with_report_status
            ]
        )
    ws.close()
    data = coverage(user, region, year, sector)
    title = f"{year}年度{sector_name}安全风险报告分地区覆盖率"
    ws = ledger_sheet(wb, "分地区覆盖率", owner=region.name, title=title, columns=REGION_COLUMNS)
    for r in [*data["items"], data["total"]]:
        ws.append(
            [
                r["name"],
                r["region"],
                r["enterprises"],
                r["reported"],
                r["accepted"],
                r["not_reported"],
                r["coverage"] if r["coverage"] is not None else "",
            ]
        )
    ws.close()
    return xlsx_response(wb, export_filename(region.name, f"{year}年度安全风险报告未报告名单"))
