"""A campaign's task list in Excel: the reader of an office's workbook and the export, in one shape that the
reader reads back (序号, 所属板块, 任务名称, 任务内容, 牵头单位, 责任单位, 完成时限, 状态).

A units cell is read like the parentheses of pasted text (`parse.split_units`): role words say each unit's role
("市安委组织，市应急管理局会同"), names without one take the column's role (牵头单位 → 牵头, 责任单位 → 负责).
The export writes every unit with its role word, so a re-import gives the same units and roles."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

from django.http import HttpResponse

from anquan.core import imports
from anquan.core.imports import ImportRefused, read_sheet
from anquan.core.xlsx import Column, export_filename, export_workbook, ledger_sheet, xlsx_response

from ..choices import UnitRole
from ..models import Campaign, Task
from .parse import HEADING, WORD_OF_ROLE, Item, split_units

LABELS = {
    "序号": "number",
    "所属板块": "battle",
    "任务名称": "title",
    "任务内容": "content",
    "牵头单位": "lead",
    "责任单位": "units",
    "完成时限": "deadline",
}
IGNORED = {"状态"}
REQUIRED = ("序号", "任务名称")
LEADING = (UnitRole.ORGANISE, UnitRole.LEAD, UnitRole.JOINTLY)
COLUMNS = [
    Column("序号", 6),
    Column("所属板块", 24, wrap=True),
    Column("任务名称", 24, wrap=True),
    Column("任务内容", 60, wrap=True),
    Column("牵头单位", 28, wrap=True),
    Column("责任单位", 36, wrap=True),
    Column("完成时限", 12),
    Column("状态", 10),
]


def read_deadline(value: Any) -> tuple[dt.date | None, str]:
    """(day, text kept when it is not one): a date cell, 2024-12-31, 2024年12月31日, 2024年12月底, 2024年底."""
    if value is None or value == "":
        return None, ""
    if isinstance(value, dt.datetime):
        return value.date(), ""
    if isinstance(value, dt.date):
        return value, ""
    text = str(value).strip()
    try:
        if m := re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text):
            return dt.date(int(m[1]), int(m[2]), int(m[3])), ""
        if m := re.fullmatch(r"(\d{4})年(\d{1,2})月(底|末)?(前)?", text):
            year, month = int(m[1]), int(m[2])
            return dt.date(year, month, calendar.monthrange(year, month)[1]), ""
        if m := re.fullmatch(r"(\d{4})年(底|末)(前)?", text):
            return dt.date(int(m[1]), 12, 31), ""
    except ValueError:
        pass
    return None, text


def _battle(text: str) -> tuple[str, str]:
    m = HEADING.match(text)
    return (m.group(1), m.group(2)) if m else ("", text)


def read_workbook(data: bytes) -> list[Item]:
    """The task lines of an uploaded workbook; ImportRefused (Chinese) for a file that cannot be one."""
    header, rows = read_sheet(data)
    mapping, unknown = imports.header_map(header, LABELS, IGNORED)
    if unknown:
        raise ImportRefused(f"无法识别的列：{'、'.join(unknown)}（可用的列：{'、'.join(LABELS)}）")
    missing = [label for label in REQUIRED if LABELS[label] not in mapping.values()]
    if missing:
        raise ImportRefused(f"缺少必填列：{'、'.join(missing)}")
    items: list[Item] = []
    for number, values in rows:
        cell = {
            name: values[i] if i < len(values) and values[i] is not None else ""
            for i, name in mapping.items()
        }
        if not str(cell.get("title", "")).strip():
            raise ImportRefused(f"第{number}行缺少任务名称")
        lead, units = str(cell.get("lead", "")), str(cell.get("units", ""))
        deadline, deadline_text = read_deadline(cell.get("deadline"))
        battle_number, battle = _battle(str(cell.get("battle", "")))
        seq = cell.get("number", "")
        seq = str(int(seq)) if isinstance(seq, float) and seq.is_integer() else str(seq).strip()
        items.append(
            Item(
                number=seq or str(len(items) + 1),
                title=str(cell["title"]).strip(),
                content=str(cell.get("content", "")).strip(),
                battle=battle,
                battle_number=battle_number,
                units=split_units(lead, UnitRole.LEAD) + split_units(units, UnitRole.RESPONSIBLE),
                unit_text="，".join(x for x in (lead, units) if x),
                deadline=deadline,
                deadline_text=deadline_text,
            )
        )
    return items


def units_cell(units: list[Any]) -> str:
    """Units with their role words, a run of one role joined by 、: 市安委组织，市应急管理局会同."""
    runs: list[tuple[str, list[str]]] = []
    for unit in units:
        if runs and runs[-1][0] == unit.role:
            runs[-1][1].append(unit.text)
        else:
            runs.append((unit.role, [unit.text]))
    return "，".join("、".join(names) + WORD_OF_ROLE[UnitRole(role)] for role, names in runs)


def export_response(campaign: Campaign) -> HttpResponse:
    """The campaign's task lines (not the units' sub-tasks) as the workbook the reader reads back."""
    wb = export_workbook()
    title = "任务清单"
    sheet = ledger_sheet(wb, title, owner=campaign.name, title=title, columns=COLUMNS)
    lines = (
        Task.objects.filter(campaign=campaign, parent=None)
        .select_related("battle")
        .prefetch_related("units")
        .order_by("order", "id")
    )
    for line in lines:
        units = list(line.units.all())
        battle = str(line.battle) if line.battle else ""
        sheet.append(
            [
                line.number,
                battle,
                line.title,
                line.content,
                units_cell([u for u in units if u.role in LEADING]),
                units_cell([u for u in units if u.role not in LEADING]),
                line.deadline.isoformat() if line.deadline else "",
                str(line.get_status_display()),
            ]
        )
    sheet.close()
    return xlsx_response(wb, export_filename(campaign.name, title))
