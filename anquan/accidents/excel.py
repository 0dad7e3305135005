"""The accident register in Excel (issue #18): the register's rows under its filters, streamed as the hazard
ledger is (docs/adr/0052-streamed-exports.md): one `values_list` SELECT, labels from maps made once, no query
per row; above settings.EXPORT_BACKGROUND_ROWS rows a job (anquan.jobs.exports)."""

from __future__ import annotations

from types import SimpleNamespace

from django.http import HttpResponse
from django.utils import timezone

from anquan.core.scope import restrict
from anquan.core.xlsx import Column, minute, xlsx_response
from anquan.enterprises.excel import owner
from anquan.jobs import exports

from . import filters
from .choices import Grade, Status
from .models import Accident

TITLE = "生产安全事故登记台账"
COLUMNS = [
    Column("序号", 6),
    Column("发生时间", 17),
    Column("单位或场所", 26, wrap=True),
    Column("统一社会信用代码", 21),
    Column("区域", 22, wrap=True),
    Column("地点", 26, wrap=True),
    Column("行业", 14, wrap=True),
    Column("事故类别", 16, wrap=True),
    Column("死亡（人）", 8),
    Column("失踪（人）", 8),
    Column("重伤（人）", 8),
    Column("轻伤（人）", 8),
    Column("直接经济损失（元）", 16),
    Column("事故等级", 12),
    Column("状态", 12),
    Column("调查报告期限", 12),
    Column("调查是否超期", 9),
    Column("事故简要经过", 40, wrap=True),
]

FIELDS = (
    "occurred_at",
    "enterprise__name",
    "enterprise__uscc",
    "region__full_name",
    "address",
    "industry__name",
    "category__name",
    "deaths",
    "missing",
    "serious_injuries",
    "minor_injuries",
    "direct_loss_yuan",
    "grade",
    "status",
    "investigation_due",
    "summary",
)


def rows(queryset):
    """The register's rows as the register and the accident's page show them: the unit (or the address where
    there is none), region names, category and labels in Chinese, the loss in yuan as a number."""
    grades = {value: str(label) for value, label in Grade.choices}
    statuses = {value: str(label) for value, label in Status.choices}
    zone = timezone.get_current_timezone()
    today = timezone.localdate()
    values = queryset.values_list(*FIELDS).iterator(chunk_size=5000)
    for n, (
        occurred_at,
        enterprise,
        uscc,
        region,
        address,
        industry,
        category,
        deaths,
        missing,
        serious,
        minor,
        loss,
        grade,
        status,
        due,
        summary,
    ) in enumerate(values, start=1):
        yield [
            n,
            minute(occurred_at.astimezone(zone)),
            enterprise if enterprise is not None else address,
            uscc or "",
            region,
            address,
            industry or "",
            category,
            deaths,
            missing,
            serious,
            minor,
            float(loss),
            grades[grade],
            statuses[status],
            due.isoformat() if due else "",
            "是" if due and status == Status.INVESTIGATING and today > due else "否",
            summary,
        ]


def workbook(queryset, progress=None, *, user=None, params=None):
    """(write-only workbook, file name) of the register `user` sees under `params` (for the title's region)."""
    return exports.workbook(TITLE, COLUMNS, rows(queryset), owner=owner(user, params), progress=progress)


def export_response(queryset, user=None, params=None) -> HttpResponse:
    return xlsx_response(*workbook(queryset, user=user, params=params))


def stored_filters(qs, values: dict):
    """The accidents a queued export lists: the register page's filters (grade, year) and the API's (region,
    grade, from, to), as the request that queued it gave them (already checked there)."""
    qs, _errors = filters.register(qs, values)
    api = SimpleNamespace(
        region=values.get("region"), grade=None, date_from=values.get("from"), date_to=values.get("to")
    )
    return filters.apply(qs, api)


def run_export(job, progress) -> None:
    """Handler of a queued register export (anquan.jobs): the register its owner sees under the stored filters."""
    values = job.params["filters"]
    qs = stored_filters(restrict(Accident, job.owner), values)
    rows_ = exports.RowProgress(progress, qs.count())
    exports.finish(job, *workbook(qs, rows_, user=job.owner, params=values))
