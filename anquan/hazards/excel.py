"""The hazard ledger in Excel: export in the usual ledger columns, and import of an enterprise's
self-check ledger with a per-row error report ("all or nothing" or "valid rows only")."""

from __future__ import annotations

import io

from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from anquan.core.errors import ValidationFailed
from anquan.core.xlsx import xlsx_response
from anquan.enterprises.excel import ImportMode, ImportResult, RowError

from . import actions, reporting
from .choices import Action, Level, Source, Status
from .filters import with_listing

LEDGER_COLUMNS = [
    "序号",
    "单位",
    "区域",
    "行业",
    "隐患描述",
    "等级",
    "来源",
    "发现时间",
    "整改措施",
    "责任人",
    "资金（元）",
    "期限",
    "完成时间",
    "验收人",
    "状态",
    "是否超期",
    "是否挂牌",
]


def _local(value, fmt="%Y-%m-%d %H:%M"):
    return timezone.localtime(value).strftime(fmt) if value else ""


def ledger_rows(queryset):
    qs = with_listing(queryset).select_related("enterprise", "region", "industry", "accepted_by")
    for n, h in enumerate(qs.iterator(chunk_size=2000), start=1):
        yield [
            n,
            h.enterprise.name if h.enterprise_id else h.address,
            h.region.full_name,
            h.industry.name if h.industry_id else "",
            h.description,
            str(Level(h.level).label),
            str(Source(h.source).label),
            _local(h.found_at),
            h.measures,
            h.responsible_party,
            float(h.funds_yuan) if h.funds_yuan is not None else "",
            h.deadline.isoformat() if h.deadline else "",
            _local(h.accepted_at),
            (h.accepted_by.get_full_name() or h.accepted_by.username) if h.accepted_by_id else "",
            str(Status(h.status).label),
            "是" if h.overdue else "否",
            "是" if h.is_listed else "否",
        ]


def export_response(queryset) -> HttpResponse:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("隐患排查治理台账")
    ws.append(LEDGER_COLUMNS)
    for row in ledger_rows(queryset):
        ws.append(row)
    return xlsx_response(wb, f"hazard_ledger_{timezone.localtime():%Y%m%d%H%M}.xlsx")


# ---- import of a self-check ledger ----------------------------------------------------------------

IMPORT_COLUMNS = [  # (header, field, required)
    ("统一社会信用代码", "enterprise", False),
    ("隐患描述", "description", True),
    ("发现时间", "found_at", False),
    ("判定依据", "judgement_note", False),
    ("整改措施", "measures", False),
    ("责任人", "responsible_party", False),
    ("资金（元）", "funds_yuan", False),
    ("期限", "deadline", False),
]
FIELD_LABEL = {field: header for header, field, _ in IMPORT_COLUMNS} | {
    "deadline_working_days": "期限",
    "region": "统一社会信用代码",
    "source": "统一社会信用代码",
    "level": "判定依据",
    "judgement_item": "判定依据",
    "reason": "隐患描述",
    "plan": "整改措施",
    "contingency_plan": "整改措施",
}


def template_response() -> HttpResponse:
    wb = Workbook()
    ws = wb.active
    ws.title = "隐患自查台账"
    ws.append([h + ("*" if required else "") for h, _, required in IMPORT_COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.append(
        [
            "（企业账号可不填）",
            "二楼配电室门口堆放杂物",
            "2026-11-20 09:30",
            "（一般隐患留空）",
            "清理杂物，设置警示标识",
            "张三",
            "500",
            "2026-11-30",
        ]
    )
    return xlsx_response(wb, "self_check_template.xlsx")


def import_self_check(data: bytes, *, actor, mode: str) -> ImportResult:
    """Each row becomes a self-check hazard (`report`), and, when it carries measures, a responsible person
    and a deadline, also an `assign` — through the same functions as the UI and API. Closures are not
    imported: closing needs rectification evidence and an acceptance."""
    result = ImportResult(mode=mode)
    if mode not in ImportMode.CHOICES:
        result.file_error = "导入方式无效"
        return result
    try:
        ws = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        result.file_error = "文件无法读取：请上传由模板填写的 .xlsx 文件"
        return result
    rows = ws.iter_rows(values_only=True)
    header = [str(h or "").strip().rstrip("*") for h in (next(rows, None) or [])]
    known = {h: f for h, f, _ in IMPORT_COLUMNS}
    unknown = [h for h in header if h and h not in known]
    if unknown:
        result.file_error = f"无法识别的列：{'、'.join(unknown)}"
        return result
    if "隐患描述" not in header:
        result.file_error = "缺少必填列：隐患描述"
        return result
    with transaction.atomic():
        for number, values in enumerate(rows, start=2):
            if not values or all(v is None or str(v).strip() == "" for v in values):
                continue
            result.total_rows += 1
            raw = {
                known[h]: values[i]
                for i, h in enumerate(header)
                if h and i < len(values) and values[i] is not None
            }
            if raw.get("enterprise") and str(raw["enterprise"]).startswith("（"):
                raw.pop("enterprise")
            try:
                with transaction.atomic():
                    _import_row(raw, actor)
                result.imported += 1
            except ValidationFailed as exc:
                result.errors.extend(
                    RowError(number, FIELD_LABEL.get(e.field, e.field), e.message) for e in exc.errors
                )
            except actions.RoleRefused as exc:
                result.errors.append(RowError(number, "统一社会信用代码", exc.message))
        if result.errors and mode == ImportMode.ALL_OR_NOTHING:
            transaction.set_rollback(True)
            result.imported = 0
    return result


def _import_row(raw: dict, actor) -> None:
    found_at = raw.get("found_at")
    if hasattr(found_at, "isoformat"):
        raw["found_at"] = timezone.make_aware(found_at) if timezone.is_naive(found_at) else found_at
    note = str(raw.get("judgement_note") or "").strip()
    hazard = reporting.report_hazard(
        {
            "enterprise": raw.get("enterprise"),
            "source": Source.SELF_CHECK,
            "description": raw.get("description"),
            "found_at": raw.get("found_at"),
            "level": Level.MAJOR if note else Level.GENERAL,
            "judgement_note": note,
        },
        actor=actor,
    )
    plan = {k: raw.get(k) for k in ("measures", "responsible_party", "funds_yuan", "deadline") if raw.get(k)}
    if plan:
        deadline = plan.get("deadline")
        if hasattr(deadline, "date"):
            plan["deadline"] = deadline.date().isoformat()
        actions.transition(hazard, Action.ASSIGN, actor=actor, **plan)
