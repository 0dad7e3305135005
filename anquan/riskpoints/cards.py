"""The risk notice card (安全风险告知卡) of one risk point, built as .docx with python-docx.

One A4 portrait page to post at the place: a header band in the point's risk colour (red / orange /
yellow / blue; grey while not assessed), the point's identification (enterprise, name, location,
level, hazard factor kinds, possible accidents, responsible person, latest assessment), a QR code
with the absolute URL of the point's page, the control measures grouped by kind, and the emergency
phone numbers (119, 120 and the enterprise's safety manager).

The fonts are named as on a Chinese Windows/WPS desktop (黑体 for headings, 宋体 for text); other
renderers (LibreOffice) substitute an installed CJK font such as WenQuanYi Micro Hei.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any
from urllib.parse import urljoin

import segno
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_PARAGRAPH_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from anquan.core.docx_fonts import set_font, set_language
from anquan.standards.assessment import FACTORS
from anquan.standards.choices import LEVEL_COLOURS

from .choices import ControlTier, FactorKind, MeasureKind, PointKind
from .models import RiskPoint
from .tokens import public_token

TITLE = "安全风险告知卡"
HEADING_FONT = "黑体"
TEXT_FONT = "宋体"

# GLOSSARY risk_level, spelled out in Chinese here: the card is a Chinese document whatever the UI language
LEVEL_LABELS = {"red": "重大风险", "orange": "较大风险", "yellow": "一般风险", "blue": "低风险"}
LEVEL_COLOUR_NAMES = {"red": "红色", "orange": "橙色", "yellow": "黄色", "blue": "蓝色"}
UNASSESSED_LABEL = "未评价"
UNASSESSED_COLOUR = "#6c757d"
MEASURE_LABELS = {
    MeasureKind.ENGINEERING: "工程技术措施",
    MeasureKind.MANAGEMENT: "管理措施",
    MeasureKind.TRAINING: "培训教育措施",
    MeasureKind.PPE: "个体防护措施",
    MeasureKind.EMERGENCY: "应急处置措施",
}
TIER_LABELS: dict[str, str] = {
    ControlTier.COMPANY: "公司级",
    ControlTier.WORKSHOP: "车间级",
    ControlTier.TEAM: "班组级",
    ControlTier.POST: "岗位级",
}
FACTOR_LABELS: dict[str, str] = {
    FactorKind.HUMAN: "人的因素",
    FactorKind.OBJECT: "物的因素",
    FactorKind.ENVIRONMENT: "环境因素",
    FactorKind.MANAGEMENT: "管理因素",
}
KIND_LABELS: dict[str, str] = {
    PointKind.PLACE: "场所",
    PointKind.INSTALLATION: "设备设施",
    PointKind.ACTIVITY: "作业活动",
}

PAGE_WIDTH_MM = 210
MARGIN_MM = 15
CONTENT_MM = PAGE_WIDTH_MM - 2 * MARGIN_MM  # 180
BORDER = "808080"
BODY_PT = 13  # large enough to read on a wall
LABEL_MM = 38


def level_label(level: str) -> str:
    return LEVEL_LABELS.get(level, UNASSESSED_LABEL)


def point_url(point: RiskPoint, base_url: str) -> str:
    """Absolute URL of the point's public page (what the QR code opens: no login, a signed token rather than
    the id, see public.py); base_url is the site root, e.g. request.build_absolute_uri('/')."""
    return urljoin(base_url, reverse("riskpoints:public_point", args=[public_token(point.pk)]))


def measures_by_kind(point: RiskPoint) -> dict[str, list[str]]:
    """The point's control measures by kind, company level first, each with its tier and responsible person."""
    measures: dict[str, list[str]] = {kind: [] for kind in MeasureKind.values}
    tiers = list(ControlTier.values)  # company → workshop → team → post
    for m in sorted(
        point.measures.all(), key=lambda m: (tiers.index(m.tier) if m.tier in tiers else 9, m.pk)
    ):
        extra = "·".join(x for x in (TIER_LABELS.get(m.tier, ""), m.responsible_person) if x)
        measures.setdefault(m.kind, []).append(m.description + (f"（{extra}）" if extra else ""))
    return measures


def qr_png(data: str) -> bytes:
    """A PNG of the QR code of `data` (error correction M, 2-module quiet zone)."""
    out = io.BytesIO()
    segno.make(data, error="m", micro=False).save(out, kind="png", scale=10, border=2)
    return out.getvalue()


def filename(point: RiskPoint) -> str:
    """风险告知卡-<point>.docx, with characters that file systems refuse replaced."""
    name = re.sub(r'[\\/:*?"<>|\r\n\t]+', "_", point.name).strip(" ._") or str(point.pk)
    return f"风险告知卡-{name[:80]}.docx"


# --- low-level helpers ---------------------------------------------------------------------------


def _run(
    paragraph: Paragraph,
    text: str,
    *,
    size: float,
    bold: bool = False,
    font: str = TEXT_FONT,
    color: RGBColor | None = None,
) -> Run:
    run = paragraph.add_run(text)
    set_font(run, font)
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    return run


def _shade(cell: _Cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill.lstrip("#").upper())
    tcpr.append(shd)


def _borders(table: Table, color: str = BORDER, size_eighths: int = 6) -> None:
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), str(size_eighths))
        edge.set(qn("w:space"), "0")
        edge.set(qn("w:color"), color)
        borders.append(edge)
    tblpr.append(borders)


def _cell_margins(table: Table, mm: float = 1.5) -> None:
    margins = OxmlElement("w:tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(int(mm * 56.7 if side in ("left", "right") else mm * 30)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.append(margins)


def _no_split(row: _Row) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _table(doc: DocxDocument, rows: int, widths_mm: list[float], min_height_mm: float | None = None) -> Table:
    table: Table = doc.add_table(rows=rows, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _borders(table)
    _cell_margins(table)
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        _no_split(row)
        if min_height_mm:
            row.height, row.height_rule = Mm(min_height_mm), WD_ROW_HEIGHT_RULE.AT_LEAST
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    return table


def _text(
    cell: _Cell,
    text: str,
    *,
    size: float = BODY_PT,
    bold: bool = False,
    font: str = TEXT_FONT,
    align: WD_PARAGRAPH_ALIGNMENT | None = None,
    color: RGBColor | None = None,
) -> Paragraph:
    paragraph: Paragraph = cell.paragraphs[0]
    _run(paragraph, text, size=size, bold=bold, font=font, color=color)
    if align is not None:
        paragraph.alignment = align
    return paragraph


def _label(cell: _Cell, text: str) -> None:
    _shade(cell, "F2F2F2")
    _text(cell, text, size=BODY_PT, font=HEADING_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)


def _section_heading(doc: DocxDocument, text: str, colour: str) -> None:
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(12)
    paragraph.paragraph_format.space_after = Pt(4)
    paragraph.paragraph_format.keep_with_next = True
    _run(paragraph, "■ ", size=16, font=HEADING_FONT, color=_rgb(colour))
    _run(paragraph, text, size=16, font=HEADING_FONT)


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")


# --- content -------------------------------------------------------------------------------------


def card_data(point: RiskPoint, base_url: str) -> dict[str, Any]:
    """What the card shows, as plain strings (also handy for tests and other renderers)."""
    enterprise = point.enterprise
    latest = point.assessments.order_by("-assessed_at", "-id").first()
    if latest is not None:
        order = [f.lower() for f in FACTORS.get(latest.method, ())]
        keys = sorted(latest.factors, key=lambda k: order.index(k) if k in order else len(order))
        factors = " ".join(f"{k.upper()}={latest.factors[k]}" for k in keys)
        assessment = (
            f"{latest.method}法 {factors}，风险值 {_number(latest.score)}（{level_label(latest.level)}）"
        )
        if latest.residual:
            assessment += "，残余风险"
        assessment += f"\n评价日期：{timezone.localdate(latest.assessed_at):%Y年%m月%d日}"
        if latest.next_due:
            assessment += f"；下次评价：{latest.next_due:%Y年%m月%d日}前"
    else:
        assessment = "尚未评价"
    measures = measures_by_kind(point)
    level = point.current_level
    return {
        "enterprise": enterprise.name,
        "name": point.name,
        "kind": KIND_LABELS.get(point.kind, point.kind),
        "location": point.location or "—",
        "level": level,
        "level_label": level_label(level),
        "level_text": (
            f"{level_label(level)}（{LEVEL_COLOUR_NAMES[level]}）"
            if level in LEVEL_LABELS
            else UNASSESSED_LABEL
        ),
        "colour": LEVEL_COLOURS.get(level, UNASSESSED_COLOUR),
        "factor_kinds": "、".join(FACTOR_LABELS[k] for k in FactorKind.values if k in point.factor_kinds)
        or "—",
        "accidents": "、".join(c.name for c in point.accident_categories.order_by("order")) or "—",
        "responsible": point.responsible_person or "—",
        "assessment": assessment,
        "measures": measures,
        "safety_manager_name": enterprise.safety_manager_name,
        "safety_manager_phone": enterprise.safety_manager_phone,
        "url": point_url(point, base_url),
    }


# Room for the measures table on a one-page card, calibrated on LibreOffice renderings with one-line
# identification values; every extra line of those takes a line from the measures.
MEASURES_BUDGET_MM = 80
MEASURE_ROW_MM = 11
INFO_VALUE_MM = 88
INFO_MAX_LINES = {"enterprise": 2, "name": 2, "location": 2, "accidents": 2, "assessment": 3}  # others: 1
# wrapped lines the identification may take beyond one per value (the measures need the rest of the page),
# and what each takes from the page (13 pt in a table row, as LibreOffice draws it)
INFO_MAX_EXTRA = 3
INFO_LINE_MM = 7
LINE_FACTOR = 1.45  # line height / font size of the measures, with room for the renderer's rounding
MEASURE_SIZES = (BODY_PT, 12, 11, 10.5, 10, 9)  # tried in turn; below 9 pt a posted card cannot be read
MORE = "……另有{}条，扫码查看全部"
INFO_KEYS = ("enterprise", "name", "location", "factor_kinds", "accidents", "responsible", "assessment")


def _lines(text: str, width_mm: float, size: float) -> int:
    """Estimated wrapped lines: CJK and full-width characters 1 em wide, others half."""
    em_mm = size * 0.3528
    count = 0
    for line in text.split("\n"):
        ems = sum(1.0 if ord(c) >= 0x2E80 else 0.5 for c in line)
        count += max(1, -int(-ems * em_mm // width_mm))
    return count


def _cut(text: str, width_mm: float, size: float, lines: int) -> str:
    """`text` cut with "…" so that it takes at most `lines` estimated lines."""
    if _lines(text, width_mm, size) <= lines:
        return text
    while text and _lines(text + "…", width_mm, size) > lines:
        text = text[:-1]
    return text + "…"


def _numbered(items: list[str]) -> list[str]:
    return [f"{n}. {text}" for n, text in enumerate(items, 1)] if len(items) > 1 else list(items)


def _measures_mm(measures: dict[str, list[str]], size: float) -> float:
    width = CONTENT_MM - LABEL_MM - 3 - 5  # cell margins and the hanging indent
    total = 0.0
    for kind in MEASURE_LABELS:
        lines = sum(_lines(text, width, size) for text in _numbered(measures.get(kind) or [])) or 1
        total += max(MEASURE_ROW_MM, lines * size * 0.3528 * LINE_FACTOR + 2)
    return total


def fit(data: dict[str, Any]) -> tuple[dict[str, Any], float]:
    """The card's data cut to one A4 page, and the measures' font size: identification values of at most
    INFO_MAX_LINES lines; the measures at the largest of MEASURE_SIZES at which all of them fit what is
    left of the page; when none does, at 9 pt, each kind keeping its first measures and saying how many
    more the QR code's page shows ("……另有N条，扫码查看全部")."""
    info_width = INFO_VALUE_MM - 6  # cell margins, and a line broken before punctuation
    limits = {key: INFO_MAX_LINES.get(key, 1) for key in INFO_KEYS}

    def extra_lines() -> int:
        return sum(min(_lines(data[k], info_width, BODY_PT), limits[k]) - 1 for k in INFO_KEYS)

    while extra_lines() > INFO_MAX_EXTRA:  # the longest values give up a line first, assessment last
        key = max(
            (k for k in INFO_KEYS if limits[k] > 1 and k != "assessment"),
            key=lambda k: min(_lines(data[k], info_width, BODY_PT), limits[k]),
            default="assessment",
        )
        limits[key] -= 1
    data = {**data, **{k: _cut(data[k], info_width, BODY_PT, limits[k]) for k in INFO_KEYS}}
    extra = sum(_lines(data[key], info_width, BODY_PT) - 1 for key in INFO_KEYS)
    budget = MEASURES_BUDGET_MM - extra * INFO_LINE_MM
    measures = data["measures"]
    for size in MEASURE_SIZES:
        if _measures_mm(measures, size) <= budget:
            return data, size
    size = MEASURE_SIZES[-1]
    kept: dict[str, list[str]] = {kind: [] for kind in measures}
    depth = max((len(items) for items in measures.values()), default=0)
    queue = [  # each kind's first measure, then each kind's second, …: every kind shows what it can
        (kind, items[i])
        for i in range(depth)
        for kind in MEASURE_LABELS
        if i < len(items := measures.get(kind) or [])
    ]
    for kind, text in queue:  # while the rest can still be announced in one line per kind
        trial = {**kept, kind: [*kept[kind], text]}
        shown = {
            k: v + ([MORE.format(9)] if len(v) < len(measures.get(k) or []) else []) for k, v in trial.items()
        }
        if _measures_mm(shown, size) > budget:
            break
        kept = trial
    cut = {
        kind: kept[kind]
        + ([MORE.format(len(items) - len(kept[kind]))] if len(kept[kind]) < len(items) else [])
        for kind, items in measures.items()
    }
    return {**data, "measures": cut}, size


def _page(data: dict[str, Any]) -> DocxDocument:
    """An A4 portrait document with the card's fonts (Chinese text marked zh-CN) and properties."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(297)
    section.top_margin = section.bottom_margin = Mm(12)
    section.left_margin = section.right_margin = Mm(MARGIN_MM)
    section.header_distance = section.footer_distance = Mm(6)
    normal = doc.styles["Normal"]
    assert isinstance(normal, ParagraphStyle)  # Word's default paragraph style
    set_font(normal, TEXT_FONT)
    normal.font.size = Pt(BODY_PT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    set_language(normal, "zh-CN")
    doc.core_properties.title = f"{TITLE}：{data['name']}"
    doc.core_properties.author = data["enterprise"]
    return doc


def _header_band(doc: DocxDocument, data: dict[str, Any], ink: RGBColor) -> None:
    """The title and the level, in `ink` on the risk colour."""
    colour = data["colour"]
    band = _table(doc, 1, [CONTENT_MM])
    _borders(band, color=colour.lstrip("#"), size_eighths=4)
    cell = band.cell(0, 0)
    _shade(cell, colour)
    title = _text(
        cell, TITLE, size=36, font=HEADING_FONT, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, color=ink
    )
    title.paragraph_format.space_before = Pt(10)
    sub = cell.add_paragraph()
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub.paragraph_format.space_before = Pt(4)
    sub.paragraph_format.space_after = Pt(10)
    _run(sub, f"风险等级：{data['level_text']}", size=22, font=HEADING_FONT, bold=True, color=ink)


def _identification(doc: DocxDocument, data: dict[str, Any]) -> None:
    """Who, what and where, with the QR code of the point's page on the right."""
    colour = data["colour"]
    rows = [
        ("企业名称", data["enterprise"]),
        ("风险点名称", data["name"]),
        ("风险点类型", data["kind"]),
        ("所在位置", data["location"]),
        ("风险等级", data["level_text"]),
        ("危险有害因素", data["factor_kinds"]),
        ("可能导致的事故", data["accidents"]),
        ("责任人", data["responsible"]),
        ("最近一次评价", data["assessment"]),
    ]
    info = _table(
        doc, len(rows), [LABEL_MM, INFO_VALUE_MM, CONTENT_MM - LABEL_MM - INFO_VALUE_MM], min_height_mm=8.5
    )
    for i, (label, value) in enumerate(rows):
        _label(info.cell(i, 0), label)
        bold = label in ("风险点名称", "风险等级")
        colour_run = _rgb(colour) if label == "风险等级" and data["level"] != "yellow" else None
        _text(info.cell(i, 1), value, bold=bold, color=colour_run)
    if data["level"] == "yellow":
        _shade(info.cell(4, 1), colour)
    qr = info.cell(0, 2).merge(info.cell(len(rows) - 1, 2))
    qr.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    picture = qr.paragraphs[0]
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.add_run().add_picture(io.BytesIO(qr_png(data["url"])), width=Mm(48), height=Mm(48))
    caption = qr.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(caption, "扫码查看风险点详情", size=10.5, font=HEADING_FONT)


def _measures(doc: DocxDocument, data: dict[str, Any]) -> None:
    """The control measures by kind (engineering, management, training, protection, emergency)."""
    _section_heading(doc, "管控措施", data["colour"])
    measure_pt = data["measure_pt"]
    measures = _table(
        doc, len(MEASURE_LABELS), [LABEL_MM, CONTENT_MM - LABEL_MM], min_height_mm=MEASURE_ROW_MM
    )
    for i, (kind, label) in enumerate(MEASURE_LABELS.items()):
        _label(measures.cell(i, 0), label)
        items = data["measures"].get(kind) or []
        target = measures.cell(i, 1)
        if not items:
            _text(target, "—")
        for n, text in enumerate(items, start=1):
            paragraph = target.paragraphs[0] if n == 1 else target.add_paragraph()
            paragraph.paragraph_format.left_indent = Mm(5)
            paragraph.paragraph_format.first_line_indent = Mm(-5)
            more = text.startswith(MORE[:2])  # "……另有N条": not a measure, not numbered
            _run(paragraph, f"{n}. " + text if len(items) > 1 and not more else text, size=measure_pt)


def _emergency(doc: DocxDocument, data: dict[str, Any]) -> None:
    """The emergency numbers and what to do, kept on one page."""
    _section_heading(doc, "应急电话", data["colour"])
    phones = _table(doc, 2, [45, 45, CONTENT_MM - 90])
    phones.rows[1].height, phones.rows[1].height_rule = Mm(20), WD_ROW_HEIGHT_RULE.AT_LEAST
    manager_name, manager_phone = data["safety_manager_name"], data["safety_manager_phone"]
    for column, (label, number) in enumerate(
        (("火警", "119"), ("急救", "120"), ("企业安全管理人员", manager_phone or "—"))
    ):
        _label(phones.cell(0, column), label)
        cell = phones.cell(1, column)
        if column == 2 and manager_name:
            _text(cell, manager_name, size=15, font=HEADING_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)
            paragraph = cell.add_paragraph()
        else:
            paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(paragraph, number, size=28, bold=True, font=HEADING_FONT, color=RGBColor(0xC0, 0x00, 0x00))
    for row in phones.rows:  # the numbers and the note below them move to a next page together
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True

    note = doc.add_paragraph()
    note.paragraph_format.space_before = Pt(12)
    _run(
        note,
        "发现异常情况立即停止作业、撤离危险区域，并向责任人和企业安全管理人员报告；"
        "发生事故立即拨打应急电话。",
        size=BODY_PT,
        font=HEADING_FONT,
    )


def _footer(doc: DocxDocument, data: dict[str, Any]) -> None:
    section = doc.sections[0]
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(
        footer,
        f"{data['enterprise']} · 生成于 {timezone.localdate():%Y年%m月%d日}",
        size=8,
        color=RGBColor(0x66, 0x66, 0x66),
    )


def build(point: RiskPoint, base_url: str) -> bytes:
    """The card as .docx bytes."""
    data, size = fit(card_data(point, base_url))
    data["measure_pt"] = size
    # white text on red/orange/blue/grey; black on yellow, where white would not read
    ink = RGBColor(0, 0, 0) if data["level"] == "yellow" else RGBColor(0xFF, 0xFF, 0xFF)
    doc = _page(data)
    _header_band(doc, data, ink)
    doc.add_paragraph().paragraph_format.space_after = Pt(4)
    _identification(doc, data)
    _measures(doc, data)
    _emergency(doc, data)
    _footer(doc, data)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
