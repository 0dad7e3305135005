"""Data rows of a write-only `Ledger` sheet at province scale (issue #18): the same cells openpyxl would write
(`xlsx.safe_cell`: strings as inline strings, never formulas, the quote prefix on a formula-looking one; the
row's alignment style), rendered as XML text for a batch of rows and written into the sheet's file between
what openpyxl's streaming writer writes before and after them.

Why: openpyxl makes a `Cell` object per value, resolves its style through a hashed lookup and writes it
element by element (~2,600 ledger rows/s, bench/RESULTS.md). Rendering a row is string formatting, and the
sheet's XML is what openpyxl's writer would have produced, but for ``<c …/>`` where it writes
``<c …></c>`` (docs/adr/0052-streamed-exports.md). The sheet's file is opened here (`_SheetWriter`) so
that lxml's buffer can be flushed before a batch goes in.

Only str, int, float and None go this way; a row holding anything else (a date, a boolean, a Decimal, a
non-finite float, a character XML cannot hold) goes through openpyxl as before, in its place. Without lxml
(openpyxl then writes with et_xmlfile) every row goes through openpyxl.
"""

from __future__ import annotations

import math
import re
import types
from typing import NamedTuple

from openpyxl import LXML
from openpyxl.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import SHEET_MAIN_NS, WorksheetWriter
from openpyxl.xml.functions import xmlfile

from .textclean import strip_for_export

EXCEL_CELL_MAX = 32_767
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BATCH_ROWS = 500  # rows rendered before lxml parses them and they go to the stream

_NEEDS_CLEANING = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_NOT_XML = re.compile(r"[\ufffe\uffff]")  # openpyxl (lxml) refuses these: such a row goes its way
_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_TO_ESCAPE = re.compile(r"[&<>\r]")
CACHED_TAILS = 4096  # a column's rendered strings kept for reuse (the labels and names that repeat)


class RenderedRows(NamedTuple):
    """A batch of rendered rows as one `append` of the worksheet (a tuple, so openpyxl accepts it)."""

    xml: str
    rows: int


class _SheetWriter(WorksheetWriter):
    """openpyxl's worksheet writer on a file opened here, so that rendered rows can be written into it."""

    def get_stream(self):
        with open(self.out, "wb") as self.file, xmlfile(self.file) as xf:
            with xf.element("worksheet", xmlns=SHEET_MAIN_NS):
                try:
                    while True:
                        el = yield
                        if el is True:
                            yield xf
                        elif el is not None:
                            xf.write(el)
                except GeneratorExit:
                    pass


def _get_writer(ws) -> None:
    """openpyxl's WriteOnlyWorksheet._get_writer with `_SheetWriter`: at the first row, after the layout."""
    if ws._writer is None:
        ws._writer = _SheetWriter(ws)
        ws._writer.write_top()


def _write_rows(ws):
    """openpyxl's WriteOnlyWorksheet._write_rows, also taking `RenderedRows`."""
    xf = ws._writer.xf.send(True)
    with xf.element("sheetData"):
        row_idx = 1
        try:
            while True:
                row = yield
                if isinstance(row, RenderedRows):
                    xf.flush()
                    ws._writer.file.write(row.xml.encode())
                    row_idx += row.rows
                else:
                    ws._writer.write_row(xf, ws._values_to_row(row, row_idx), row_idx)
                    row_idx += 1
        except GeneratorExit:
            pass
    ws._writer.xf.send(None)


def streamable(ws) -> bool:
    """Make write-only worksheet `ws` take `RenderedRows` (before its first row); False when it cannot."""
    if not LXML or not hasattr(ws, "_values_to_row") or ws._writer is not None:
        return False
    ws._get_writer = types.MethodType(_get_writer, ws)
    ws._write_rows = types.MethodType(_write_rows, ws)
    return True


def cell_text(value: str) -> str | None:
    """What `safe_cell` keeps of a string: characters a workbook cannot hold dropped, cut at Excel's limit;
    None when openpyxl would refuse it."""
    if _NEEDS_CLEANING.search(value):
        value = strip_for_export(value)
        if _NOT_XML.search(value):
            return None
    return value[:EXCEL_CELL_MAX]


class RowRenderer:
    """Renders rows for worksheet `ws` whose columns are styled as `styles` (one per column, e.g. an
    `Alignment`), and the row number after `first_row`.

    A cell is its column's opening (`<c r="B`), the row number and a tail that depends only on the value and the
    column's style: the tails of each column's strings are kept (up to `CACHED_TAILS` a column), so the labels,
    regions and names that repeat down a province's list are cleaned and escaped once."""

    def __init__(self, ws, styles: list, first_row: int):
        self.columns: list[tuple[str, str, str, dict[str, str]]] = []
        for i, style in enumerate(styles, start=1):
            plain, quoted = self._style_id(ws, style, False), self._style_id(ws, style, True)
            self.columns.append((f'<c r="{get_column_letter(i)}', plain, quoted, {}))
        self.row = first_row
        self.pending: list[str] = []
        self.count = 0

    @staticmethod
    def _style_id(ws, alignment, quote: bool) -> str:
        cell = Cell(ws)
        cell.quotePrefix = quote
        cell.alignment = alignment
        return str(cell.style_id)

    @staticmethod
    def _text_tail(value: str, plain: str, quoted: str) -> str | None:
        """What follows a string cell's reference; None when only openpyxl writes the value."""
        text = cell_text(value)
        if text is None:
            return None
        style = quoted if text.startswith(FORMULA_START) else plain
        if not text:
            return f' s="{style}" t="inlineStr"/>'
        space = ' xml:space="preserve"' if text != text.strip() else ""
        if _TO_ESCAPE.search(text):
            text = text.translate(_ESCAPE)
        return f' s="{style}" t="inlineStr"><is><t{space}>{text}</t></is></c>'

    def add(self, values) -> bool:
        """Render one row; False (nothing kept) when it holds a value only openpyxl writes."""
        row = self.row + 1
        ref = f'{row}"'
        parts = [f'<row r="{row}">']
        for (opening, plain, quoted, tails), value in zip(self.columns, values, strict=True):
            kind = type(value)
            if kind is str:
                tail = tails.get(value)
                if tail is None:
                    tail = self._text_tail(value, plain, quoted)
                    if tail is None:
                        return False
                    if len(tails) < CACHED_TAILS:
                        tails[value] = tail
                parts.append(opening + ref + tail)
            elif value is None:
                parts.append(f'{opening}{ref} s="{plain}" t="n"/>')
            elif kind is int or (kind is float and math.isfinite(value)):
                parts.append(f'{opening}{ref} s="{plain}" t="n"><v>{value:.16g}</v></c>')
            else:  # a date, a boolean, a Decimal, a non-finite float: openpyxl's
                return False
        parts.append("</row>")
        self.pending.append("".join(parts))
        self.row = row
        return True

    def take(self) -> RenderedRows | None:
        """The rows rendered since the last `take` (None when there are none)."""
        if not self.pending:
            return None
        batch = RenderedRows("".join(self.pending), len(self.pending))
        self.pending = []
        return batch

    def skip(self) -> None:
        """A row went through openpyxl meanwhile."""
        self.row += 1
