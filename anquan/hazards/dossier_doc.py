"""The printed dossier (一患一档): one hazard's record as a .docx form built with python-docx (docxtpl's base), and
as a PDF converted from it by LibreOffice (`soffice --headless --convert-to pdf`).

Only what is filled is printed (no empty boxes): a row without a value is left out. What must be written by
hand on paper — the signatures, seals and dates of the rectifying unit, the acceptance and the close-out — are
the signature blocks at the end."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from django.utils import timezone
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.shared import Cm, Mm, Pt

from anquan.core.docx_fonts import set_font

from . import dossier
from .choices import Level
from .models import Hazard

FONT = "宋体"
TITLE_FONT = "黑体"
PHOTO_WIDTH = Cm(6.6)
TEXT_WIDTH_CM = 16.6  # A4 less the margins
MAX_PHOTOS = 4  # of each kind: the rest stay in the system
EMBEDDABLE = (".jpg", ".jpeg", ".png", ".gif", ".bmp")
PDF_TIMEOUT = 120


class PdfUnavailable(Exception):
    """LibreOffice is not installed or failed: the .docx is still offered."""


def _fonts(run, name: str, size: float, bold: bool = False) -> None:
    set_font(run, name)
    run.font.size = Pt(size)
    run.font.bold = bold


def _para(doc_or_cell, text: str = "", *, size: float = 10.5, bold: bool = False, align=None, font=FONT):
    paragraph = doc_or_cell.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(2)
    if text:
        _fonts(paragraph.add_run(text), font, size, bold)
    return paragraph


def _heading(doc, text: str) -> None:
    paragraph = _para(doc, text, size=12, bold=True, font=TITLE_FONT)
    paragraph.paragraph_format.space_before = Pt(8)
    paragraph.paragraph_format.keep_with_next = True


def _table(doc, rows: int, widths_cm: tuple[float, ...]):
    """A bordered table with fixed column widths (Word and LibreOffice both honour the cell widths)."""
    table = doc.add_table(rows=rows, cols=len(widths_cm))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)
    for row in table.rows:  # a row stays on one page
        row_pr = row._tr.get_or_add_trPr()
        row_pr.append(OxmlElement("w:cantSplit"))
    return table


def _cell(cell, text: str, *, bold: bool = False) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    for i, line in enumerate(str(text).splitlines() or [""]):
        run = paragraph.add_run(line)
        _fonts(run, FONT, 10.5, bold)
        if i < len(str(text).splitlines()) - 1:
            run.add_break()


def _local(value, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return timezone.localtime(value).strftime(fmt) if value else ""


def _section(doc, title: str, rows: list[tuple[str, str]]) -> None:
    """A heading and a two-column table of the rows that have a value."""
    rows = [(label, str(value)) for label, value in rows if value not in (None, "")]
    if not rows:
        return
    _heading(doc, title)
    table = _table(doc, len(rows), (3.6, TEXT_WIDTH_CM - 3.6))
    for (label, value), row in zip(rows, table.rows, strict=True):
        _cell(row.cells[0], label, bold=True)
        _cell(row.cells[1], value)


def _facts(h: Hazard) -> list[tuple[str, str]]:
    judgement = h.judgement_item.citation if h.judgement_item_id else h.judgement_note
    return [
        ("隐患描述", h.description),
        ("单位或地点", h.enterprise.name if h.enterprise_id else h.address),
        ("统一社会信用代码", h.enterprise.uscc if h.enterprise_id else ""),
        ("所在区域", h.region.full_name),
        ("行业类别", h.industry.name if h.industry_id else ""),
        ("监管部门", h.supervising_department.name if h.supervising_department_id else ""),
        ("隐患来源", h.get_source_display()),
        ("隐患等级", h.get_level_display()),
        ("判定依据", judgement),
        ("发现人", h.found_by_name),
        ("发现时间", _local(h.found_at)),
        ("位置", f"{h.latitude}, {h.longitude}" if h.latitude is not None else ""),
        ("当前状态", h.get_status_display()),
    ]


def _plan(h: Hazard) -> list[tuple[str, str]]:
    return [
        ("整改责任人/单位", h.responsible_party),
        ("整改措施", h.measures),
        ("整改资金", f"{h.funds_yuan} 元" if h.funds_yuan is not None else ""),
        ("整改期限", h.deadline.strftime("%Y-%m-%d") if h.deadline else ""),
        ("期限依据", h.deadline_basis),
        ("应急预案", h.contingency_plan),
    ]


def _result(h: Hazard) -> list[tuple[str, str]]:
    return [
        ("整改情况说明", h.evidence),
        ("提交时间", _local(h.submitted_at)),
        ("验收意见", h.acceptance_opinion),
        ("验收人", (h.accepted_by.get_full_name() or h.accepted_by.username) if h.accepted_by_id else ""),
        ("验收时间", _local(h.accepted_at)),
        ("销号时间", _local(h.closed_at)),
        ("催办次数", str(h.urge_count) if h.urge_count else ""),
    ]


def _listings(doc, h: Hazard) -> None:
    for listing in h.listings.all():
        rows = [
            ("督办级别", listing.get_level_display()),
            ("督办单位", listing.authority),
            ("督办文号", listing.document_no),
            ("督办期限", listing.deadline.strftime("%Y-%m-%d")),
            ("摘牌时间", _local(listing.delisted_at)),
            ("摘牌意见", listing.delist_comment),
        ]
        _section(doc, "挂牌督办", rows)


def _history(doc, h: Hazard) -> None:
    events = list(h.events.all().order_by("at", "id"))
    if not events:
        return
    _heading(doc, "办理过程")
    table = _table(doc, 1 + len(events), (3.9, 3.4, TEXT_WIDTH_CM - 7.3))
    for cell, text in zip(table.rows[0].cells, ("时间", "办理人", "办理情况"), strict=True):
        _cell(cell, text, bold=True)
    for event, row in zip(events, table.rows[1:], strict=True):
        step = event.get_action_display()
        if event.from_status and event.from_status != event.to_status:
            step += f"（{event.get_from_status_display()}→{event.get_to_status_display()}）"
        if event.comment:
            step += f"：{event.comment}"
        for cell, text in zip(row.cells, (_local(event.at), event.actor_label, step), strict=True):
            _cell(cell, text)


def _picture(cell, attachment) -> bool:
    name = attachment.file.name.lower()
    if not name.endswith(EMBEDDABLE):
        return False
    try:
        with attachment.file.open("rb") as handle:
            cell.paragraphs[0].add_run().add_picture(io.BytesIO(handle.read()), width=PHOTO_WIDTH)
    except Exception:  # a file gone from storage or one python-docx cannot read: the photo is left out
        return False
    return True


def _photos(doc, h: Hazard) -> None:
    """整改前 and 整改后 side by side, labelled; the acceptance check's photos below."""
    photos = dossier.photos(h.attachments.all())
    pairs = [("整改前", photos.before[:MAX_PHOTOS]), ("整改后", photos.after[:MAX_PHOTOS])]
    if not photos.before and not photos.after and not photos.acceptance:
        return
    _heading(doc, "现场照片")
    if photos.before or photos.after:
        table = _table(doc, 2, (TEXT_WIDTH_CM / 2, TEXT_WIDTH_CM / 2))
        for column, (label, items) in enumerate(pairs):
            _cell(table.rows[0].cells[column], label, bold=True)
            cell = table.rows[1].cells[column]
            shown = sum(_picture(cell, a) for a in items)
            if not shown:
                _cell(cell, "（无照片）")
    if photos.acceptance:
        table = _table(doc, 2, (TEXT_WIDTH_CM,))
        _cell(table.rows[0].cells[0], "验收照片", bold=True)
        for a in photos.acceptance[:MAX_PHOTOS]:
            _picture(table.rows[1].cells[0], a)


SIGNATURES = (
    ("整改责任单位（盖章）", "整改责任人（签字）"),
    ("验收单位（盖章）", "验收人（签字）"),
    ("销号审核单位（盖章）", "审核人（签字）"),
)


def _signatures(doc) -> None:
    _heading(doc, "签字确认")
    table = _table(doc, len(SIGNATURES), (TEXT_WIDTH_CM / 3,) * 3)
    for (unit, person), row in zip(SIGNATURES, table.rows, strict=True):
        for cell, text in zip(row.cells, (unit, person, "日期：    年  月  日"), strict=True):
            _cell(cell, text)
            for _ in range(2):  # room to sign and seal
                cell.add_paragraph()


def build_docx(h: Hazard) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin = section.right_margin = Mm(22)
    kind = "重大事故隐患" if h.level == Level.MAJOR else "事故隐患"
    _para(doc, f"{kind}排查治理档案", size=18, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT)
    _para(doc, "（一患一档）", size=12, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, f"编号：{h.label}", size=11, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _section(doc, "一、隐患基本信息", _facts(h))
    _section(doc, "二、整改方案", _plan(h))
    _section(doc, "三、整改与验收", _result(h))
    _listings(doc, h)
    _photos(doc, h)
    _history(doc, h)
    _signatures(doc)
    _para(doc, f"打印时间：{_local(timezone.now())}", size=9, align=WD_ALIGN_PARAGRAPH.RIGHT)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _profile() -> Path:
    """LibreOffice's profile folder for this process and thread: made once (the slow part of a first conversion)
    and never used by two conversions at once, which LibreOffice does not allow."""
    return Path(tempfile.gettempdir()) / f"anquan-soffice-{os.getuid()}-{os.getpid()}-{threading.get_ident()}"


def to_pdf(docx: bytes) -> bytes:
    """Convert with LibreOffice headless; conversions in other threads or processes run at once."""
    binary = soffice()
    if binary is None:
        raise PdfUnavailable
    with tempfile.TemporaryDirectory(prefix="anquan-pdf-") as tmp:
        source = Path(tmp) / "dossier.docx"
        source.write_bytes(docx)
        command = [
            binary,
            f"-env:UserInstallation={_profile().as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            tmp,
            str(source),
        ]
        try:
            subprocess.run(  # noqa: S603 (a fixed command; the only argument from outside is our own file)
                command,
                check=True,
                capture_output=True,
                timeout=PDF_TIMEOUT,
                env={**os.environ, "HOME": tmp},
            )
        except (subprocess.SubprocessError, OSError) as exc:
            raise PdfUnavailable from exc
        result = Path(tmp) / "dossier.pdf"
        if not result.exists():
            raise PdfUnavailable
        return result.read_bytes()


def file_name(h: Hazard, suffix: str) -> str:
    return f"一患一档_{h.label}.{suffix}"
