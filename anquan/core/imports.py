"""Reading an uploaded workbook for an import: bounded in size and rows, every cell cleaned.

Limits (settings): ``IMPORT_MAX_BYTES`` (default 5 MB) and ``IMPORT_MAX_ROWS`` (default 5,000 data rows).
Every text cell goes through `textclean.clean_text`, like any other text that comes in (after Excel's own
escapes of control characters, ``_x000B_``, are decoded).
"""

from __future__ import annotations

import io
import itertools
import re

from django.conf import settings

from .textclean import BadText, clean_text


class ImportRefused(Exception):
    """A whole file refused; `message` says why in Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):g}MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)}KB"


def limits_text() -> str:
    return f"文件不超过{_size(settings.IMPORT_MAX_BYTES)}，每次最多{settings.IMPORT_MAX_ROWS}行"


def page_context() -> dict:
    """What an import page states about the limits."""
    return {"limits": limits_text(), "background": settings.IMPORT_BACKGROUND_ROWS}


def check_size(size: int) -> None:
    if size > settings.IMPORT_MAX_BYTES:
        raise ImportRefused(f"文件超过{_size(settings.IMPORT_MAX_BYTES)}，请分成几个文件导入")


# Excel stores a control character in a cell (a line break pasted from Word: vertical tab) as _x000B_;
# openpyxl hands that on as it is. Decoded here, then cleaned like any other text (VT → newline).
_OOXML_CONTROL = re.compile(r"_x(00[01][0-9A-Fa-f])_")


def _clean(value, number: int, bad: list):
    if isinstance(value, str):
        if "_x" in value:
            value = _OOXML_CONTROL.sub(lambda m: chr(int(m.group(1), 16)), value)
        try:
            return clean_text(value).strip()
        except BadText:
            bad.append(number)
            return ""
    return value


TITLE_ROWS = 2  # rows above the header that an export writes (anquan.core.xlsx.Ledger)


def _filled(values: tuple) -> int:
    return sum(1 for v in values if v is not None and str(v).strip() != "")


def read_sheet(data: bytes) -> tuple[list[str], list[tuple[int, tuple]]]:
    """(header, [(sheet row number, cleaned values)]) of the first sheet, blank rows skipped; raises
    ImportRefused for a file that is too big, unreadable, empty or longer than the row limit."""
    from openpyxl import load_workbook

    check_size(len(data))
    try:
        ws = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        rows = ws.iter_rows(values_only=True)
        first = [row for _, row in zip(range(TITLE_ROWS + 1), rows, strict=False)]
        # an exported list starts with its title and "截至" rows (one merged cell each) above the header;
        # a one-column file has no such rows
        skip = next((i for i, row in enumerate(first) if _filled(row) > 1), 0) if first else 0
        if any(_filled(row) != 1 for row in first[:skip]):
            skip = 0
        header_row = first[skip] if first else None
        header_number = skip + 1
        rows = itertools.chain(first[skip + 1 :], rows)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportRefused("文件无法读取：请上传由模板填写的 .xlsx 文件") from None
    if header_row is None:
        raise ImportRefused("文件为空")
    bad: list[int] = []
    header = [str(_clean(h, header_number, bad) or "").strip().rstrip("*") for h in header_row]
    out: list[tuple[int, tuple]] = []
    limit = settings.IMPORT_MAX_ROWS
    try:
        for number, values in enumerate(rows, start=header_number + 1):
            if values is None or all(v is None or str(v).strip() == "" for v in values):
                continue
            out.append((number, tuple(_clean(v, number, bad) for v in values)))
            if len(out) > limit:
                raise ImportRefused(f"文件超过{limit}行，请分成几个文件导入（每次最多{limit}行）")
    except ImportRefused:
        raise
    except Exception:
        raise ImportRefused("文件无法读取：请上传由模板填写的 .xlsx 文件") from None
    if bad:
        raise ImportRefused(f"第{bad[0]}行包含无法识别的字符，请检查后重新导入")
    return header, out


def header_map(header, by_label: dict[str, str], ignored: set[str]) -> tuple[dict[int, str], list[str]]:
    """Column index → field name for a sheet's header row (titles as exported, a trailing * of a required
    column dropped; `ignored` titles are read-only columns of the export), and the titles nobody knows."""
    mapping, unknown = {}, []
    for index, title in enumerate(header):
        text = str(title or "").strip().rstrip("*")
        if not text or text in ignored:
            continue
        if text in by_label:
            mapping[index] = by_label[text]
        else:
            unknown.append(text)
    return mapping, unknown
