"""Registering monitoring points in bulk from Excel (docs/adr/0002: a template to download, every row checked
before anything is written, row-level Chinese errors): a check (preview: what would be registered, what is wrong)
and an import that is all or nothing — one bad row and no point is registered. Each row goes through the same
`points.clean` as the form and the API; duplicate device ids within the file are refused as well."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.http import HttpResponse
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from anquan.core import audit, imports
from anquan.core.errors import FieldError, ValidationFailed
from anquan.core.imports import ImportRefused, read_sheet
from anquan.core.models import AuditAction
from anquan.core.scope import CHANGE, role_may
from anquan.core.xlsx import add_sheet, template_workbook, xlsx_response
from anquan.enterprises.excel import RowError
from anquan.majorhazards.models import MajorHazardInstallation
from anquan.riskpoints.services import resolve_enterprise

from . import catalogue, points
from .choices import PointKind
from .models import MonitoringPoint

TITLE = "监测点批量登记"
TEMPLATE_ROWS = 2000
# (field, column title, required)
COLUMNS = (
    ("enterprise", "企业统一社会信用代码", False),
    ("installation", "重大危险源名称", False),
    ("device_id", "设备编号", True),
    ("name", "监测点名称", True),
    ("kind", "监测类型", True),
    ("location", "安装位置", False),
    ("unit", "计量单位", False),
    ("low_low", "低低报阈值", False),
    ("low", "低报阈值", False),
    ("high", "高报阈值", False),
    ("high_high", "高高报阈值", False),
    ("expected_interval_s", "采集周期（秒）", False),
    ("oel", "职业接触限值（OEL）", False),
)
KIND_NAMES = {
    "可燃气体": PointKind.COMBUSTIBLE_GAS,
    "有毒气体": PointKind.TOXIC_GAS,
    "氧气": PointKind.OXYGEN,
    "温度": PointKind.TEMPERATURE,
    "压力": PointKind.PRESSURE,
    "液位": PointKind.LIQUID_LEVEL,
    "流量": PointKind.FLOW,
    "视频通道状态": PointKind.VIDEO,
}
TITLE_OF = {name: title for name, title, _ in COLUMNS}


def template_response() -> HttpResponse:
    wb = template_workbook()
    ws = wb.active
    ws.title = TITLE
    for col, (name, title, required) in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=col, value=title + ("*" if required else ""))
        cell.font = Font(bold=True)
        if required:
            cell.fill = PatternFill("solid", fgColor="FFF2CC")
        ws.column_dimensions[get_column_letter(col)].width = max(12, len(title) * 2 + 2)
        if name == "kind":
            dv = DataValidation(type="list", formula1='"' + ",".join(KIND_NAMES) + '"', allow_blank=False)
            dv.error = "请选择：" + "、".join(KIND_NAMES)
            ws.add_data_validation(dv)
            letter = get_column_letter(col)
            dv.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
    notes = add_sheet(wb, "填写说明")
    for line in (
        "每行一个监测点；带*的列必填。企业用户可不填统一社会信用代码。",
        "监测类型：" + "、".join(KIND_NAMES) + "。",
        "阈值全部留空时按类型带出默认值：" + points.SETPOINT_BASIS + "；可燃气体高报25、高高报50（%LEL），"
        "氧气过氧23.5、欠氧19.5（%VOL），有毒气体按职业接触限值的100%、200%（须填写OEL）。",
        "阈值须满足：低低报 ≤ 低报 < 高报 ≤ 高高报；采集周期1至86400秒；设备编号在企业内不得重复。",
        "任一行有错误时整个文件都不导入，请按提示修改后重新上传。",
    ):
        notes.append([line])
    notes.worksheet.column_dimensions["A"].width = 120
    ws.freeze_panes = "A2"
    return xlsx_response(wb, "监测点导入模板.xlsx")


@dataclass
class PointsImport:
    total_rows: int = 0
    imported: int = 0
    dry_run: bool = True
    errors: list[RowError] = field(default_factory=list)
    file_error: str = ""
    preview: list[dict[str, Any]] = field(default_factory=list)  # the rows that would be registered

    @property
    def bad_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors})


def _kind(value: Any) -> str:
    text = str(value or "").strip()
    if text in KIND_NAMES:
        return str(KIND_NAMES[text])
    return text


def _row(
    number: int, raw: dict[str, Any], actor: Any, seen: set[tuple[int, str]], result: PointsImport
) -> dict[str, Any] | None:
    found: list[FieldError] = []
    enterprise = resolve_enterprise(str(raw.get("enterprise") or ""), actor, found)
    if enterprise is not None and not points.can_configure(actor, enterprise):
        found.append(FieldError("enterprise", "not_permitted", "您无权为该企业登记监测点"))
    name = str(raw.get("installation") or "").strip()
    if enterprise is not None and name:
        inst = MajorHazardInstallation.objects.filter(enterprise=enterprise, name=name).first()
        if inst is None:
            found.append(
                FieldError("installation", "unknown_installation", f"该企业没有名为“{name}”的重大危险源")
            )
        raw["installation"] = inst
    raw["kind"] = _kind(raw.get("kind"))
    values: dict[str, Any] = {}
    try:
        values = points.clean(raw, enterprise)
    except ValidationFailed as exc:
        found.extend(e for e in exc.errors if e.field != "installation" or not name)
    if enterprise is not None and values.get("device_id"):
        key = (enterprise.pk, values["device_id"])
        if key in seen:
            found.append(FieldError("device_id", "duplicate", f"设备编号“{values['device_id']}”在文件中重复"))
        seen.add(key)
    if found:
        result.errors.extend(RowError(number, TITLE_OF.get(e.field, e.field), e.message) for e in found)
        return None
    assert enterprise is not None
    return {"enterprise": enterprise, **values}


def import_workbook(data: bytes, *, actor: Any, dry_run: bool) -> PointsImport:
    """Check every row; unless `dry_run`, and only when no row has an error, register them all."""
    result = PointsImport(dry_run=dry_run)
    if not role_may(actor, MonitoringPoint, CHANGE):
        result.file_error = "您的角色不能登记监测点"
        return result
    try:
        header, rows = read_sheet(data)
    except ImportRefused as exc:
        result.file_error = exc.message
        return result
    by_label = {title: name for name, title, _ in COLUMNS} | {name: name for name, _, _ in COLUMNS}
    mapping, unknown = imports.header_map(header, by_label, set())
    if unknown:
        result.file_error = f"无法识别的列：{'、'.join(unknown)}"
        return result
    missing = [title for name, title, required in COLUMNS if required and name not in mapping.values()]
    if missing:
        result.file_error = f"缺少必填列：{'、'.join(missing)}"
        return result
    result.total_rows = len(rows)
    seen: set[tuple[int, str]] = set()
    good = []
    for number, cells in rows:
        raw = {name: ("" if i >= len(cells) or cells[i] is None else cells[i]) for i, name in mapping.items()}
        row = _row(number, raw, actor, seen, result)
        if row is not None:
            good.append(row)
    result.preview = good
    if dry_run or result.errors or not good:
        return result
    result.imported = _create_all(good, actor)
    return result


@transaction.atomic
def _create_all(good: list[dict[str, Any]], actor: Any) -> int:
    created = []
    for values in good:
        enterprise = values.pop("enterprise")
        created.append(
            MonitoringPoint.objects.create(
                enterprise=enterprise,
                region_code=enterprise.region_code,
                supervising_department_id=enterprise.supervising_department_id,
                **values,
            )
        )
    audit.record_many(AuditAction.IMPORT, created, actor=actor, comment="Excel导入监测点")
    for enterprise_id in {p.enterprise_id for p in created}:
        catalogue.forget(enterprise_id)
    return len(created)
