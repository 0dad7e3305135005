"""Enterprise registry in Excel: the template, exports of any filtered list, and imports with a
per-row error report. An import is never silently partial: "all or nothing" imports nothing when
any row is bad; "valid rows only" imports the good rows and reports every bad one.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.db import transaction
from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from anquan.core import audit, imports
from anquan.core.imports import ImportRefused, read_sheet
from anquan.core.models import AuditAction
from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import in_scope, region_in_scope, restrict
from anquan.core.xlsx import (
    Column,
    add_sheet,
    export_filename,
    export_workbook,
    ledger_sheet,
    owner_name,
    template_workbook,
    xlsx_response,
)
from anquan.jobs import exports
from anquan.jobs.models import JobPhase
from anquan.jobs.runner import JobFailed
from anquan.orgs.models import Department, Industry, department_for_industry
from anquan.regions.models import Region

from .models import Enterprise, pinyin_initials
from .validation import FIELDS, Lookups, clean_enterprise, to_raw

EXTRA_EXPORT_COLUMNS = [("region_name", "所在区域")]
MAX_IMPORT_ROWS = 100_000  # rows the template's drop-down lists cover (imports: settings.IMPORT_MAX_ROWS)


class ImportMode:
    ALL_OR_NOTHING = "all_or_nothing"
    VALID_ONLY = "valid_only"
    CHOICES = (ALL_OR_NOTHING, VALID_ONLY)


def enterprise_template() -> Workbook:
    wb = template_workbook()
    ws = wb.active
    ws.title = "企业名录"
    for col, f in enumerate(FIELDS, start=1):
        cell = ws.cell(row=1, column=col, value=f.label + ("*" if f.required else ""))
        cell.font = Font(bold=True)
        if f.required:
            cell.fill = PatternFill("solid", fgColor="FFF2CC")
        ws.column_dimensions[get_column_letter(col)].width = max(12, len(f.label) * 2 + 2)
        options = None
        if f.kind == "choice":
            options = [str(m.label) for m in f.choices]
        elif f.kind == "bool":
            options = ["是", "否"]
        if options:
            dv = DataValidation(
                type="list", formula1='"' + ",".join(options) + '"', allow_blank=not f.required
            )
            dv.error = f"请选择：{'、'.join(options)}"
            ws.add_data_validation(dv)
            dv.add(f"{get_column_letter(col)}2:{get_column_letter(col)}{MAX_IMPORT_ROWS + 1}")
    ws.freeze_panes = "A2"
    codes = add_sheet(wb, "代码说明")
    codes.append(["行业类别代码", "行业类别名称"])
    for industry in Industry.objects.all():
        codes.append([industry.code, industry.name])
    codes.append([])
    codes.append(["行业监管部门（填写名称）"])
    for department in Department.objects.all():
        codes.append([department.name])
    codes.append([])
    codes.append(["区域代码：填写乡镇（街道）9位统计用区划代码或县级6位代码，见系统“区域”页面"])
    return wb


def template_response() -> HttpResponse:
    return xlsx_response(enterprise_template(), "企业名录导入模板.xlsx")


EXPORT_TITLE = "企业名录"
EXPORT_WIDTHS = {  # Excel character widths of the export's columns (others: their label's)
    "name": 30,
    "uscc": 21,
    "region": 13,
    "address": 30,
    "grid": 15,
    "industry": 16,
    "principal_phone": 15,
    "safety_manager_phone": 15,
    "standardization_grade": 12,
    "territorial_region": 13,
    "supervising_department": 16,
}
WRAPPED = {"name", "address", "supervising_department"}
INDUSTRY_NAME = "行业类别"  # the export shows the industry's name; the import reads a name or a code


def export_columns() -> list[Column]:
    columns = [
        Column(
            INDUSTRY_NAME if f.name == "industry" else f.label,
            EXPORT_WIDTHS.get(f.name, max(10, len(f.label) * 2 + 2)),
            wrap=f.name in WRAPPED,
        )
        for f in FIELDS
    ]
    return columns + [Column(label, 24, wrap=True) for _, label in EXTRA_EXPORT_COLUMNS]


def owner(user, params) -> str:
    """Whose ledger the title names: the filtered region when it lies in the user's scope, else the scope's."""
    region = None
    code = params.get("region") if params else None
    if code and user is not None and region_in_scope(user, str(code)):
        region = Region.objects.filter(code=str(code)).first()
    return owner_name(user, region) if user is not None else ""


def export_workbook_of(queryset, rows=None, *, user=None, params=None):
    """(write-only workbook, file name) of the list; `rows` (a job's RowProgress) hears each row."""
    wb = export_workbook()
    name = owner(user, params)
    ws = ledger_sheet(wb, EXPORT_TITLE, owner=name, title=EXPORT_TITLE, columns=export_columns())
    qs = queryset.select_related("region", "grid", "industry", "territorial_region", "supervising_department")
    for enterprise in qs.iterator(chunk_size=2000):
        raw = to_raw(enterprise)
        raw["industry"] = enterprise.industry.name
        ws.append([_cell(raw[f.name]) for f in FIELDS] + [enterprise.region.full_name])
        if rows:
            rows.row()
    ws.close()
    return wb, export_filename(name, EXPORT_TITLE)


def export_response(queryset, user=None, params=None) -> HttpResponse:
    return xlsx_response(*export_workbook_of(queryset, user=user, params=params))


def run_export(job, progress) -> None:
    """Handler of a queued export (anquan.jobs): the list its owner sees under the stored filters."""
    from . import filters

    if not has_perm(job.owner, Perm.ENTERPRISE_EXPORT):
        raise JobFailed("您的角色无权导出企业名录")
    qs = filters.apply(restrict(Enterprise, job.owner), job.params["filters"])
    exports.finish(
        job,
        *export_workbook_of(
            qs, exports.RowProgress(progress, qs.count()), user=job.owner, params=job.params["filters"]
        ),
    )


def _cell(value):
    if value is None:
        return ""
    return float(value) if hasattr(value, "quantize") else value


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    mode: str
    total_rows: int = 0
    imported: int = 0
    errors: list[RowError] = field(default_factory=list)
    file_error: str = ""
    created_ids: list[int] = field(default_factory=list)

    @property
    def bad_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors})

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.errors


def _header_map(header: tuple) -> tuple[dict[int, str], list[str]]:
    by_label = (
        {f.label: f.name for f in FIELDS} | {f.name: f.name for f in FIELDS} | {INDUSTRY_NAME: "industry"}
    )
    ignored = {label for _, label in EXTRA_EXPORT_COLUMNS}
    return imports.header_map(header, by_label, ignored)


def import_workbook(data: bytes | io.BytesIO, *, actor, mode: str, progress=None) -> ImportResult:
    """Validate every row (no writes), then import all of them, none of them, or the valid ones (by mode)
    in one short transaction; `progress` (a job) hears how far the validation is."""

    result = ImportResult(mode=mode)
    if mode not in ImportMode.CHOICES:
        result.file_error = "导入方式无效"
        return result
    if not has_perm(actor, Perm.ENTERPRISE_IMPORT):
        result.file_error = "您无权导入企业"
        return result
    try:
        header, rows = read_sheet(data if isinstance(data, bytes) else data.getvalue())
    except ImportRefused as exc:
        result.file_error = exc.message
        return result
    mapping, unknown = _header_map(header)
    label_of = {f.name: f.label for f in FIELDS}
    if unknown:
        result.file_error = f"无法识别的列：{'、'.join(unknown)}"
        return result
    missing = [f.label for f in FIELDS if f.required and f.name not in mapping.values()]
    if missing:
        result.file_error = f"缺少必填列：{'、'.join(missing)}"
        return result

    parsed: list[tuple[int, dict]] = []
    for number, values in rows:
        raw = {name: values[i] if i < len(values) else None for i, name in mapping.items()}
        parsed.append((number, {k: ("" if v is None else v) for k, v in raw.items()}))
    result.total_rows = len(parsed)

    lookups = Lookups()
    codes = {str(raw.get("uscc", "")).strip().upper() for _, raw in parsed}
    lookups.taken_usccs = set(Enterprise.objects.filter(uscc__in=codes).values_list("uscc", flat=True))
    seen: dict[str, int] = {}
    good: list[tuple[int, dict]] = []
    if progress:
        progress.phase(JobPhase.CHECKING, len(parsed))
    for done, (number, raw) in enumerate(parsed, start=1):
        if progress and done % 250 == 0:
            progress.step(done)
        cleaned, errors = clean_enterprise(raw, user=actor, lookups=lookups)
        row_errors = [RowError(number, label_of.get(e.field, e.field), e.message) for e in errors]
        code = cleaned.get("uscc")
        if code and not any(e.field == "uscc" for e in errors):
            if code in seen:
                row_errors.append(
                    RowError(number, label_of["uscc"], f"与第{seen[code]}行的统一社会信用代码重复")
                )
            else:
                seen[code] = number
        if row_errors:
            result.errors.extend(row_errors)
        else:
            good.append((number, cleaned))

    if result.errors and mode == ImportMode.ALL_OR_NOTHING:
        return result
    if progress:
        progress.phase(JobPhase.WRITING, len(parsed))
    result.imported = _create_all(good, actor, result)
    return result


@transaction.atomic
def _create_all(good: list[tuple[int, dict]], actor, result: ImportResult) -> int:
    departments: dict[tuple[int, str], object] = {}
    objs = []
    for number, cleaned in good:
        enterprise = Enterprise(**cleaned)
        enterprise.department_overridden = cleaned.get("supervising_department") is not None
        if enterprise.territorial_region_id is None:
            enterprise.territorial_region = enterprise.region
        if not enterprise.department_overridden:
            key = (enterprise.industry_id, enterprise.region.code)
            if key not in departments:
                departments[key] = department_for_industry(enterprise.industry, enterprise.region.code)
            enterprise.supervising_department = departments[key]
        enterprise.name_initials = pinyin_initials(enterprise.name)
        enterprise.region_code = enterprise.region.code
        if not in_scope(enterprise, actor):
            result.errors.append(RowError(number, "行业监管部门", "导入后该企业将不在您的管辖范围内"))
            continue
        objs.append(enterprise)
    if result.errors and result.mode == ImportMode.ALL_OR_NOTHING:
        return 0
    Enterprise.objects.bulk_create(objs, batch_size=1000)
    if objs and objs[0].pk is None:  # backends that do not return ids from bulk inserts
        by_code = dict(Enterprise.objects.filter(uscc__in=[e.uscc for e in objs]).values_list("uscc", "pk"))
        for enterprise in objs:
            enterprise.pk = by_code[enterprise.uscc]
    audit.record_many(AuditAction.IMPORT, objs, actor=actor, comment="Excel导入")
    return len(objs)
