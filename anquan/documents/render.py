"""A document's .docx from its kind's template (docxtpl) and its validated context; its PDF through LibreOffice.

The template is the province's own when DOCUMENT_TEMPLATE_DIR (setting, else environment variable) holds a file
of the kind's name (`rectification_order.docx` …), else the default in templates_docx/ (make_templates.py).
Rendering runs in a sandboxed Jinja environment with autoescape: a value typed by a user is text, never a tag."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import timezone
from docxtpl import DocxTemplate

from anquan.core import docx
from anquan.core.periods import chinese_date as chinese_date  # re-exported: cases.paperwork reads it here

from .choices import DocumentKind
from .make_templates import DEFAULT_DIR, file_name
from .schemas import Base

log = logging.getLogger(__name__)

DIGITS = "零壹贰叁肆伍陆柒捌玖"
UNITS = ["", "拾", "佰", "仟"]
SECTIONS = ["", "万", "亿", "万亿"]


def template_path(kind: str) -> Path:
    return docx.template_path("DOCUMENT_TEMPLATE_DIR", file_name(kind), DEFAULT_DIR)


def chinese_time(at: dt.datetime) -> str:
    local = timezone.localtime(at) if timezone.is_aware(at) else at
    return f"{chinese_date(local.date())}{local.hour}时{local.minute:02d}分"


def _four(n: int) -> str:
    """0–9999 in capital figures (壹仟零伍拾)."""
    out, zero = "", False
    for i in range(3, -1, -1):
        digit = n // 10**i % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += DIGITS[digit] + UNITS[i]
    return out


def capital_yuan(amount: Decimal) -> str:
    """10000.50 → 人民币壹万元伍角整 (the capital figures written on a decision)."""
    cents = int((amount * 100).quantize(Decimal(1)))
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    parts: list[str] = []
    groups, rest = [], yuan
    while rest:
        groups.append(rest % 10000)
        rest //= 10000
    text, zero = "", False
    for i in range(len(groups) - 1, -1, -1):
        group = groups[i]
        if group == 0:
            zero = bool(text)
            continue
        if text and (zero or group < 1000):
            text += "零"
        text += _four(group) + SECTIONS[i]
        zero = False
    if text:
        parts.append(text + "元")
    if jiao:
        parts.append(DIGITS[jiao] + "角")
    elif fen and text:
        parts.append("零")
    if fen:
        parts.append(DIGITS[fen] + "分")
    words = "".join(parts) or "零元"
    return "人民币" + words + ("" if fen else "整")


def amount_text(amount: Decimal) -> str:
    return f"{amount:.2f}元（{capital_yuan(amount)}）"


def _names(officers: list[Any]) -> str:
    return "、".join(o.name + (f"（执法证号：{o.certificate}）" if o.certificate else "") for o in officers)


def template_context(
    kind: str, ctx: Base, *, number: str, unit_name: str, region_name: str
) -> dict[str, Any]:
    """What a template receives: the schema's values formatted for print, and the document's own facts."""
    values: dict[str, Any] = ctx.model_dump()
    for name, value in list(values.items()):
        if isinstance(value, dt.datetime):
            values[name] = chinese_time(value)
        elif isinstance(value, dt.date):
            values[name] = chinese_date(value)
    amount = getattr(ctx, "amount_yuan", None)
    values["amount"] = amount_text(amount) if amount is not None else ""
    if hasattr(ctx, "inspectors"):
        values["inspector_names"] = _names(ctx.inspectors)
        values["period"] = f"{values['started_at']}至{values['ended_at']}"
    if hasattr(ctx, "handlers"):
        values["handler_names"] = _names(ctx.handlers)
    if hasattr(ctx, "rectified"):
        values["result"] = "已整改完毕" if ctx.rectified else "未整改完毕"
    return {
        **values,
        "kind": kind,
        "title": DocumentKind(kind).label,
        "number": number,
        "unit_name": unit_name,
        # the reconsideration authority of a county (or city) department: its people's government
        # (行政复议法 2023 第二十四条)
        "unit_superior": f"{region_name}人民政府",
    }


def render_docx(kind: str, context: dict[str, Any]) -> bytes:
    path = template_path(kind)
    return docx.render(DocxTemplate(str(path)), path.name, context, what="文书")
