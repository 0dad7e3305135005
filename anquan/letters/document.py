"""The letter as an official document: what is printed (the page /letters/<id>/print/ and the .docx share it) and
the .docx itself, built with python-docx (as the hazard dossier): the issuing office, the title 关于…的工作提示函 /
督办函 / 约谈通知, the number, the recipient, the text, the required actions, the reply deadline (and for an
interview its time and place), the issuing office and the date."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from anquan.core.docx_fonts import set_font
from anquan.core.periods import chinese_date
from anquan.orgs.models import SafetyCommittee

from .choices import TITLES, LetterKind
from .models import Letter

TITLE_FONT = "宋体"
BODY_FONT = "仿宋"
HEADING_FONT = "黑体"


def issuer_name(letter: Letter) -> str:
    committee = SafetyCommittee.objects.filter(region_id=letter.issuer_region_id).first()
    return committee.office_name if committee else f"{letter.issuer_region.name}安全生产委员会办公室"


def recipient_name(letter: Letter) -> str:
    if letter.recipient_department is not None:
        return f"{letter.recipient_region.name}{letter.recipient_department.name}"
    return f"{letter.recipient_region.name}人民政府"


def title(letter: Letter) -> str:
    subject = letter.subject.removeprefix("关于").removesuffix("的")
    return f"关于{subject}的{TITLES[LetterKind(letter.kind)]}"


@dataclass(frozen=True)
class Paper:
    issuer: str
    title: str
    number: str
    recipient: str
    body: list[str]
    actions: list[str]
    reply_due: str
    interview: str
    date: str


def _numbered(text: str) -> list[str]:
    """The required actions, one a line, numbered 1. 2. … unless written with their own numbers."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if all(line[:1].isdigit() or line[:1] in "一二三四五六七八九十（(" for line in lines):
        return lines
    return [f"{n}. {line}" for n, line in enumerate(lines, 1)]


def paper(letter: Letter) -> Paper:
    interview = ""
    if letter.kind == LetterKind.INTERVIEW and letter.interview_at:
        when = timezone.localtime(letter.interview_at)
        interview = f"约谈时间：{chinese_date(when.date())} {when:%H:%M}；约谈地点：{letter.interview_place}"
    return Paper(
        issuer=issuer_name(letter),
        title=title(letter),
        number=letter.number or "（未发出）",
        recipient=recipient_name(letter),
        body=[line.strip() for line in letter.body.splitlines() if line.strip()],
        actions=_numbered(letter.required_actions),
        reply_due=chinese_date(letter.reply_due),
        interview=interview,
        date=chinese_date(letter.issued_on or timezone.localdate()),
    )


def _p(
    doc: Any,
    text: str,
    *,
    size: float = 16,
    font: str = BODY_FONT,
    bold: bool = False,
    align: Any = None,
    indent: bool = False,
) -> None:
    paragraph = doc.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_after = Pt(4)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    run = paragraph.add_run(text)
    set_font(run, font)
    run.font.size = Pt(size)
    run.font.bold = bold


def docx_bytes(letter: Letter) -> bytes:
    """The letter as a .docx (A4, 仿宋 三号 body, 宋体 title) ready to print and seal."""
    p = paper(letter)
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    _p(doc, p.issuer, size=22, font=TITLE_FONT, bold=True, align=center)
    _p(doc, p.number, align=center)
    _p(doc, p.title, size=22, font=TITLE_FONT, bold=True, align=center)
    _p(doc, f"{p.recipient}：")
    for line in p.body:
        _p(doc, line, indent=True)
    if p.actions:
        _p(doc, "工作要求：", font=HEADING_FONT, indent=True)
        for line in p.actions:
            _p(doc, line, indent=True)
    if p.interview:
        _p(doc, p.interview, indent=True)
    _p(doc, f"请于{p.reply_due}前将落实情况书面回复{p.issuer}。", indent=True)
    _p(doc, "")
    _p(doc, p.issuer, align=right)
    _p(doc, p.date, align=right)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
