"""Builds the default .docx templates of the bulletins (templates_docx/*.docx) with python-docx.

Run once after changing the layout, and commit the result:

    .venv/bin/anquan bulletin_templates             # writes anquan/bulletins/templates_docx/
    .venv/bin/anquan bulletin_templates --output DIR

The templates hold docxtpl (Jinja) placeholders; the context they receive is described in README.md
next to this file. A province replaces a template by editing the .docx in Word or WPS (keeping the
placeholders it wants) and putting it, under the same file name, in the folder named by the setting
BULLETIN_TEMPLATE_DIR.

Layout after the official style (GB/T 9704-2012 for page, margins and type sizes): A4, margins
37/35/28/26 mm; a red issuing-office line, the document name, issue number and date above a red rule;
body in 仿宋 三号 with first-level headings in 黑体; tables in 宋体 五号; page numbers "— n —".
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from anquan.core.docx_fonts import set_font, set_language

from .choices import Kind

DEFAULT_DIR = Path(__file__).resolve().parent / "templates_docx"
FILE_NAMES = {
    Kind.MONTHLY_DISPATCH: "monthly_dispatch.docx",
    Kind.QUARTERLY_BULLETIN: "quarterly_bulletin.docx",
    Kind.YEARLY_EVALUATION: "yearly_evaluation.docx",
}

RED = RGBColor(0xE6, 0x00, 0x12)
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
TABLE_FONT = "宋体"
NOTE_FONT = "楷体_GB2312"


def _style(
    doc,
    name,
    *,
    font,
    size,
    bold=False,
    color=None,
    align=None,
    indent=False,
    spacing=None,
    before=0,
    after=0,
    keep_with_next=False,
):
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    set_font(style, font)
    style.font.size = Pt(size)
    style.font.bold = bold
    if color is not None:
        style.font.color.rgb = color
    pf = style.paragraph_format
    if align is not None:
        pf.alignment = align
    pf.first_line_indent = Pt(size * 2) if indent else None
    pf.space_before, pf.space_after = Pt(before), Pt(after)
    if spacing is None:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(spacing)
    pf.widow_control = True
    pf.keep_with_next = keep_with_next
    return style


def _setup(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(20)

    normal = doc.styles["Normal"]
    set_font(normal, BODY_FONT)
    normal.font.size = Pt(16)
    set_language(normal, "en-US")

    _style(doc, "AQ 发文机关", font=TITLE_FONT, size=26, color=RED, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
    _style(doc, "AQ 文档名称", font=TITLE_FONT, size=22, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
    _style(doc, "AQ 期号", font=BODY_FONT, size=16, align=WD_ALIGN_PARAGRAPH.CENTER)
    _style(
        doc,
        "AQ 标题",
        font=TITLE_FONT,
        size=20,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        before=18,
        after=12,
        spacing=32,
    )
    _style(doc, "AQ 正文", font=BODY_FONT, size=16, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, spacing=28)
    _style(
        doc, "AQ 一级标题", font=HEADING_FONT, size=16, indent=True, spacing=28, before=6, keep_with_next=True
    )
    center = WD_ALIGN_PARAGRAPH.CENTER
    _style(doc, "AQ 表题", font=HEADING_FONT, size=12, align=center, before=8, after=4, keep_with_next=True)
    _style(doc, "AQ 图题", font=HEADING_FONT, size=12, align=center, before=2, after=8)
    _style(doc, "AQ 表格", font=TABLE_FONT, size=10.5, align=center, spacing=18)
    _style(doc, "AQ 表头", font=HEADING_FONT, size=10.5, align=center, spacing=18)
    _style(
        doc, "AQ 单位", font=TABLE_FONT, size=9, align=WD_ALIGN_PARAGRAPH.RIGHT, after=2, keep_with_next=True
    )
    _style(doc, "AQ 图", font=TABLE_FONT, size=10.5, align=center, before=8, keep_with_next=True)
    _style(doc, "AQ 注", font=NOTE_FONT, size=12, align=WD_ALIGN_PARAGRAPH.JUSTIFY, spacing=20, before=12)
    _style(doc, "AQ 控制", font=BODY_FONT, size=2)  # paragraphs holding only {%p …%} tags (removed on render)
    _page_numbers(section)


def _page_numbers(section) -> None:
    """Footer "— n —" centred (GB/T 9704 uses 4号 半角 digits with a dash either side)."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    inner = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    inner.append(text)
    field.append(inner)
    paragraph._p.append(field)
    paragraph.add_run(" —")
    for r in paragraph.runs:
        set_font(r, TABLE_FONT)
        r.font.size = Pt(14)
    run.font.size = Pt(14)


def _rule(paragraph, color: str = "E60012", size_eighths: int = 18) -> None:
    """A red rule under the paragraph (the line below a red-headed document's masthead)."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (
        ("w:val", "single"),
        ("w:sz", str(size_eighths)),
        ("w:space", "6"),
        ("w:color", color),
    ):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)


def _p(doc, text: str, style: str):
    return doc.add_paragraph(text, style=style)


def _control(doc, tag: str) -> None:
    _p(doc, tag, "AQ 控制")


def _masthead(doc) -> None:
    _p(doc, "{{ issuer }}", "AQ 发文机关")
    _p(doc, "{{ document_name }}", "AQ 文档名称")
    _control(doc, "{%p if issue_number %}")
    _p(doc, "{{ issue_number }}", "AQ 期号")
    _control(doc, "{%p endif %}")
    date = _p(doc, "{{ issue_date }}", "AQ 期号")
    date.paragraph_format.space_after = Pt(4)
    _rule(date)
    _p(doc, "{{ heading }}", "AQ 标题")


def _shade(cell, fill: str = "E8EEF7") -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def _no_split(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))


def _table(
    doc, headers: list[str], cells: list[str], widths_cm: list[float], loop: str, total: list[str] | None
):
    """A grid table: header row, one templated row repeated by `{%tr for … %}`, optionally a total row."""
    rows = 4 + (1 if total else 0)
    table = doc.add_table(rows=rows, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), "57")  # 1 mm instead of Word's 1.9 mm, so "下降24.4%" fits a column
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.append(margins)
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)

    def fill(row, texts, style, shade=False):
        for cell, text, width in zip(row.cells, texts, widths_cm, strict=True):
            cell.width = Cm(width)
            paragraph = cell.paragraphs[0]
            paragraph.text = text
            paragraph.style = doc.styles[style]
            if shade:
                _shade(cell)

    fill(table.rows[0], headers, "AQ 表头", shade=True)
    _repeat_header(table.rows[0])
    fill(table.rows[1], [f"{{%tr for r in {loop} %}}"] + [""] * (len(headers) - 1), "AQ 表格")
    fill(table.rows[2], cells, "AQ 表格")
    fill(table.rows[3], ["{%tr endfor %}"] + [""] * (len(headers) - 1), "AQ 表格")
    if total:
        fill(table.rows[4], total, "AQ 表头")
    for row in table.rows:
        _no_split(row)
    return table


def _caption(doc, text: str, unit: str) -> None:
    """Table title, and the unit (and any note) right-aligned above the table."""
    _p(doc, text, "AQ 表题").paragraph_format.space_after = Pt(0)
    _p(doc, unit, "AQ 单位")


def _accident_sections(doc, kind: Kind) -> None:
    """The accident part. Section, table and figure numbers come from the context (`numbers`, `tables`,
    `figures`), as sections without content are left out."""
    _accident_overview(doc, kind)
    _accident_areas(doc, kind)
    if kind != Kind.MONTHLY_DISPATCH:
        _accident_types(doc)


def _accident_overview(doc, kind: Kind) -> None:
    """Section: the accidents of the period and of the year so far, in sentences."""
    _p(doc, "{{ numbers.overview }}、生产安全事故总体情况", "AQ 一级标题")
    if kind == Kind.YEARLY_EVALUATION:
        _p(doc, "{{ ytd.summary }}", "AQ 正文")
        _p(doc, "{{ ytd.losses }}", "AQ 正文")
    else:
        _p(doc, "{{ accidents.summary }}{{ mom }}", "AQ 正文")
        _p(doc, "{{ ytd.summary }}", "AQ 正文")


def _accident_areas(doc, kind: Kind) -> None:
    """Section (when there are rows): each area's accidents in a table and a chart."""
    _control(doc, "{%p if rows %}")
    _p(doc, "{{ numbers.areas }}、各地事故情况", "AQ 一级标题")
    _control(doc, "{%p if rising.sentence %}")
    _p(doc, "{{ rising.sentence }}", "AQ 正文")
    _control(doc, "{%p endif %}")
    if kind == Kind.YEARLY_EVALUATION:
        _control(doc, "{%p if no_deaths_sentence %}")
        _p(doc, "{{ no_deaths_sentence }}", "AQ 正文")
        _control(doc, "{%p endif %}")
        _areas_table_year(doc)
    else:
        _areas_table_period(doc, kind)
    _control(doc, "{%p if area_chart %}")
    _p(doc, "{{ area_chart }}", "AQ 图")
    _p(doc, "图{{ figures.areas }}  {{ period.ytd_label }}各地事故起数、死亡人数与上年同期对比", "AQ 图题")
    _control(doc, "{%p endif %}")
    _control(doc, "{%p endif %}")


def _areas_table_year(doc) -> None:
    """The yearly evaluation's table: each area's year against the year before."""
    _caption(doc, "表{{ tables.areas }}  {{ period.ytd_label }}各地生产安全事故情况", "单位：起、人")
    _table(
        doc,
        ["地区", "事故起数", "上年同期", "同比", "死亡人数", "上年同期", "同比"],
        [
            "{{ r.label }}",
            "{{ r.ytd_count }}",
            "{{ r.ytd_count_last_year }}",
            "{{ r.ytd_count_yoy }}",
            "{{ r.ytd_deaths }}",
            "{{ r.ytd_deaths_last_year }}",
            "{{ r.ytd_deaths_yoy }}",
        ],
        [2.3, 1.9, 1.9, 2.7, 1.9, 1.9, 2.7],
        "rows",
        [
            "合计",
            "{{ total.ytd_count }}",
            "{{ total.ytd_count_last_year }}",
            "{{ total.ytd_count_yoy }}",
            "{{ total.ytd_deaths }}",
            "{{ total.ytd_deaths_last_year }}",
            "{{ total.ytd_deaths_yoy }}",
        ],
    )


def _areas_table_period(doc, kind: Kind) -> None:
    """The monthly dispatch's and quarterly bulletin's table: each area's period and year so far."""
    unit = "本月" if kind == Kind.MONTHLY_DISPATCH else "本季"
    _caption(
        doc,
        "表{{ tables.areas }}  {{ period.label }}及{{ period.ytd_label }}各地生产安全事故情况",
        "单位：起、人；同比为累计数与上年同期相比",
    )
    _table(
        doc,
        ["地区", f"{unit}起数", f"{unit}死亡", "累计起数", "累计死亡", "起数同比", "死亡同比"],
        [
            "{{ r.label }}",
            "{{ r.count }}",
            "{{ r.deaths }}",
            "{{ r.ytd_count }}",
            "{{ r.ytd_deaths }}",
            "{{ r.ytd_count_yoy }}",
            "{{ r.ytd_deaths_yoy }}",
        ],
        [2.3, 1.9, 1.9, 1.9, 1.9, 2.7, 2.7],
        "rows",
        [
            "合计",
            "{{ total.count }}",
            "{{ total.deaths }}",
            "{{ total.ytd_count }}",
            "{{ total.ytd_deaths }}",
            "{{ total.ytd_count_yoy }}",
            "{{ total.ytd_deaths_yoy }}",
        ],
    )


def _accident_types(doc) -> None:
    """Section (quarterly and yearly): accidents by category, and the months against last year's."""
    _p(doc, "{{ numbers.types }}、事故类型和月度走势", "AQ 一级标题")
    _control(doc, "{%p if categories %}")
    _p(doc, "{{ category_sentence }}", "AQ 正文")
    _caption(doc, "表{{ tables.categories }}  {{ period.ytd_label }}生产安全事故分类型情况", "单位：起、人")
    _table(
        doc,
        ["事故类型", "事故起数", "死亡人数", "上年同期起数", "起数同比"],
        [
            "{{ r.label }}",
            "{{ r.count }}",
            "{{ r.deaths }}",
            "{{ r.count_last_year }}",
            "{{ r.count_yoy }}",
        ],
        [3.6, 2.6, 2.6, 3.0, 3.2],
        "categories",
        None,
    )
    _control(doc, "{%p endif %}")
    _control(doc, "{%p if trend_chart %}")
    _p(doc, "{{ trend_chart }}", "AQ 图")
    _p(
        doc,
        "图{{ figures.trend }}  {{ period.ytd_label }}各月事故起数、死亡人数与上年同期对比",
        "AQ 图题",
    )
    _control(doc, "{%p endif %}")


def _hazard_section(doc, kind: Kind) -> None:
    _control(doc, "{%p if hazards %}")
    _p(doc, "{{ numbers.hazards }}、隐患排查治理情况", "AQ 一级标题")
    _p(doc, "{{ hazards.summary }}", "AQ 正文")
    _p(doc, "{{ hazards.open_sentence }}", "AQ 正文")
    if kind != Kind.MONTHLY_DISPATCH:
        _control(doc, "{%p if hazards.rows %}")
        _caption(doc, "表{{ tables.hazards }}  {{ period.ytd_label }}各地隐患排查治理情况", "单位：项")
        _table(
            doc,
            ["地区", "排查隐患", "已整改", "整改率", "未整改", "其中逾期"],
            [
                "{{ r.label }}",
                "{{ r.found }}",
                "{{ r.closed }}",
                "{{ r.rate }}",
                "{{ r.open }}",
                "{{ r.overdue }}",
            ],
            [2.8, 2.4, 2.4, 2.4, 2.4, 2.4],
            "hazards.rows",
            [
                "合计",
                "{{ hazards.total.found }}",
                "{{ hazards.total.closed }}",
                "{{ hazards.total.rate }}",
                "{{ hazards.total.open }}",
                "{{ hazards.total.overdue }}",
            ],
        )
        _control(doc, "{%p endif %}")
    _control(doc, "{%p endif %}")


def _enforcement_section(doc) -> None:
    _control(doc, "{%p if enforcement %}")
    _p(doc, "{{ numbers.enforcement }}、执法检查情况", "AQ 一级标题")
    _p(doc, "{{ enforcement.summary }}{{ enforcement.cases }}", "AQ 正文")
    _p(doc, "{{ enforcement.coverage }}", "AQ 正文")
    _control(doc, "{%p endif %}")


def _grids_section(doc) -> None:
    _control(doc, "{%p if grids %}")
    _p(doc, "{{ numbers.grids }}、网格化管理和群众举报情况", "AQ 一级标题")
    _p(doc, "{{ grids.summary }}", "AQ 正文")
    _control(doc, "{%p endif %}")


def _flags_section(doc) -> None:
    _control(doc, "{%p if flags %}")
    _p(doc, "{{ numbers.flags }}、安全生产流动红旗、黄旗", "AQ 一级标题")
    _p(doc, "{{ flags.summary }}", "AQ 正文")
    _control(doc, "{%p endif %}")


def _campaigns_section(doc) -> None:
    _control(doc, "{%p if campaigns %}")
    _p(doc, "{{ numbers.campaigns }}、专项整治推进情况", "AQ 一级标题")
    _p(doc, "{{ campaigns.summary }}", "AQ 正文")
    _control(doc, "{%p endif %}")


def _monitoring_section(doc) -> None:
    _control(doc, "{%p if monitoring %}")
    _p(doc, "{{ numbers.monitoring }}、监测预警情况", "AQ 一级标题")
    _p(doc, "{{ monitoring.summary }}", "AQ 正文")
    _control(doc, "{%p endif %}")


def _closing(doc) -> None:
    _p(
        doc,
        "注：数据来源于安全生产监管信息系统，事故按发生时间统计，隐患按发现时间统计。{{ data_note }}",
        "AQ 注",
    )


def build(kind: Kind, path: Path) -> Path:
    doc = Document()
    _setup(doc)
    _masthead(doc)
    _accident_sections(doc, kind)
    _hazard_section(doc, kind)
    _enforcement_section(doc)
    _grids_section(doc)
    _flags_section(doc)
    _campaigns_section(doc)
    _monitoring_section(doc)
    _closing(doc)
    doc.core_properties.title = "{{ title }}"
    doc.core_properties.author = "{{ issuer }}"
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


def build_all(directory: Path = DEFAULT_DIR) -> list[Path]:
    return [build(kind, Path(directory) / name) for kind, name in FILE_NAMES.items()]


if __name__ == "__main__":
    for written in build_all():
        print(written)
