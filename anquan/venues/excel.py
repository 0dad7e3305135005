"""Small venues in Excel: the import template, the import with a per-row error report (the enterprises' modes:
all or nothing, or the valid rows only; a large file runs as a job, anquan/jobs) and the export of any list."""

from __future__ import annotations

import io
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.http import HttpResponse
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from anquan.core import audit, imports
from anquan.core.imports import ImportRefused, read_sheet
from anquan.core.models import AuditAction
from anquan.core.scope import role_may
from anquan.core.xlsx import (
    Column,
    export_filename,
    export_workbook,
    ledger_sheet,
    owner_name,
    template_workbook,
    xlsx_response,
)
from anquan.enterprises.excel import ImportMode, ImportResult, RowError
from anquan.jobs.models import JobPhase

from .choices import VenueKind, VenueStatus
from .models import SmallVenue
from .services import new_public_code
from .validation import FIELDS, clean

TITLE = "九小场所名录"
TEMPLATE_ROWS = 20_000


def template_response() -> HttpResponse:
    wb = template_workbook()
    ws = wb.active
    ws.title = TITLE
    for col, f in enumerate(FIELDS, start=1):
        cell = ws.cell(row=1, column=col, value=f.label + ("*" if f.required else ""))
        cell.font = Font(bold=True)
        if f.required:
            cell.fill = PatternFill("solid", fgColor="FFF2CC")
        ws.column_dimensions[get_column_letter(col)].width = max(12, len(f.label) * 2 + 2)
        options = None
        if f.name == "kind":
            options = [str(k.label) for k in VenueKind]
        elif f.name == "status":
            options = [str(s.label) for s in VenueStatus]
        elif f.kind == "bool":
            options = ["是", "否"]
        if options:
            dv = DataValidation(
                type="list", formula1='"' + ",".join(options) + '"', allow_blank=not f.required
            )
            dv.error = f"请选择：{'、'.join(options)}"
            ws.add_data_validation(dv)
            letter = get_column_letter(col)
            dv.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
    ws.freeze_panes = "A2"
    return xlsx_response(wb, "九小场所导入模板.xlsx")


EXPORT_COLUMNS = [
    Column("二维码编号", 14),
    *(Column(f.label, max(10, len(f.label) * 2 + 2), wrap=f.name in ("name", "address")) for f in FIELDS),
    Column("最近检查日期", 12),
    Column("最近检查结果", 10),
]


def _row(v: SmallVenue) -> list[Any]:
    yes = {True: "是", False: "否"}
    values: dict[str, Any] = {
        "kind": str(v.get_kind_display()),
        "name": v.name,
        "address": v.address,
        "region": v.region.code,
        "grid": v.grid.code if v.grid_id else "",
        "owner_name": v.owner_name,
        "owner_phone": v.owner_phone,
        "extinguishers": v.extinguishers,
        "exits": v.exits,
        "status": str(v.get_status_display()),
        "latitude": float(v.latitude) if v.latitude is not None else "",
        "longitude": float(v.longitude) if v.longitude is not None else "",
    }
    for name in ("ebike_indoor_charging", "uses_gas", "gas_alarm", "combustible_decoration"):
        values[name] = yes[getattr(v, name)]
    result = {None: "", True: "合格", False: "不合格"}[v.last_check_ok]
    last = v.last_checked_on.isoformat() if v.last_checked_on else ""
    return [v.public_code, *(values[f.name] for f in FIELDS), last, result]


def export_response(queryset, user) -> HttpResponse:
    wb = export_workbook()
    name = owner_name(user)
    ws = ledger_sheet(wb, TITLE, owner=name, title=TITLE, columns=EXPORT_COLUMNS)
    for venue in queryset.select_related("region", "grid").iterator(chunk_size=2000):
        ws.append(_row(venue))
    ws.close()
    return xlsx_response(wb, export_filename(name, TITLE))


def _header_map(header: list[str]) -> tuple[dict[int, str], list[str]]:
    by_label = {f.label: f.name for f in FIELDS} | {f.name: f.name for f in FIELDS}
    ignored = {"二维码编号", "最近检查日期", "最近检查结果"}
    return imports.header_map(header, by_label, ignored)


def import_workbook(data: bytes | io.BytesIO, *, actor, mode: str, progress=None) -> ImportResult:
    """Validate every row, then import all of them, none of them, or the valid ones (by mode). Imported venues
    get a public code and a PIN each; the PINs are not shown (an owner's copy resets it: docs/adr/0032)."""
    result = ImportResult(mode=mode)
    if mode not in ImportMode.CHOICES:
        result.file_error = "导入方式无效"
        return result
    if not role_may(actor, SmallVenue, "change"):
        result.file_error = "您的角色不能导入九小场所"
        return result
    try:
        header, rows = read_sheet(data if isinstance(data, bytes) else data.getvalue())
    except ImportRefused as exc:
        result.file_error = exc.message
        return result
    mapping, unknown = _header_map(header)
    if unknown:
        result.file_error = f"无法识别的列：{'、'.join(unknown)}"
        return result
    missing = [f.label for f in FIELDS if f.required and f.name not in mapping.values()]
    if missing:
        result.file_error = f"缺少必填列：{'、'.join(missing)}"
        return result
    label_of = {f.name: f.label for f in FIELDS}
    result.total_rows = len(rows)
    if progress:
        progress.phase(JobPhase.CHECKING, len(rows))
    good: list[dict[str, Any]] = []
    for done, (number, values) in enumerate(rows, start=1):
        if progress and done % 250 == 0:
            progress.step(done)
        raw = {
            name: ("" if i >= len(values) or values[i] is None else values[i]) for i, name in mapping.items()
        }
        for f in FIELDS:  # a boolean column left out reads as "否"
            raw.setdefault(f.name, "" if f.kind != "bool" else "否")
        cleaned, errors = clean(raw, actor)
        if errors:
            result.errors.extend(RowError(number, label_of.get(e.field, e.field), e.message) for e in errors)
        else:
            good.append(cleaned)
    if result.errors and mode == ImportMode.ALL_OR_NOTHING:
        return result
    if progress:
        progress.phase(JobPhase.WRITING, len(good))
    result.imported = _create_all(good, actor)
    return result


@transaction.atomic
def _create_all(good: list[dict[str, Any]], actor) -> int:
    # one hash for the batch: every imported venue's PIN is unusable until an owner's copy is printed (reset)
    unusable = make_password(None)
    objs = [
        SmallVenue(
            **values,
            region_code=values["region"].code,
            public_code=new_public_code(),
            pin_hash=unusable,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        for values in good
    ]
    SmallVenue.objects.bulk_create(objs, batch_size=1000)
    if objs and objs[0].pk is None:
        ids = dict(
            SmallVenue.objects.filter(public_code__in=[o.public_code for o in objs]).values_list(
                "public_code", "pk"
            )
        )
        for o in objs:
            o.pk = ids[o.public_code]
    audit.record_many(AuditAction.IMPORT, objs, actor=actor, comment="Excel导入")
    return len(objs)
