"""Builds the default .docx templates of the official documents (templates_docx/<kind>.docx) with python-docx.

Run after changing a layout, and commit the result:

    .venv/bin/anquan document_templates             # writes anquan/documents/templates_docx/
    .venv/bin/anquan document_templates --output DIR

Each template holds docxtpl (Jinja) tags; the context it receives is `render.template_context` (the kind's
schema in schemas.py, formatted for print: dates 2026年12月1日, amounts with the capital-figure line). A province
replaces a template by editing the .docx in Word or WPS and putting it, under the same file name, in the folder
named by DOCUMENT_TEMPLATE_DIR.

The layout follows the habit of the 2016 enforcement document system (the official layouts are not held,
shared/reference README §9): the issuing unit and the document's name centred, its number on the right, the
party (名称, 地址, 法定代表人), the body, the legal basis, the decision and its deadlines, then the signature and
seal blocks and the date. A line only holding an optional value is left out when the value is empty
(`{%p if %}`), so a printed form shows only what was filled."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from docx import Document as Docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from anquan.core.docx_fonts import set_font

from .choices import DocumentKind

DEFAULT_DIR = Path(__file__).resolve().parent / "templates_docx"
TITLE_FONT = "宋体"
BODY_FONT = "仿宋"
HEADING_FONT = "黑体"


def file_name(kind: str) -> str:
    return f"{kind}.docx"


class Form:
    """A document under construction: paragraphs of text with Jinja tags."""

    def __init__(self) -> None:
        self.doc = Docx()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(30), Mm(25)
        section.left_margin, section.right_margin = Mm(28), Mm(26)

    def p(
        self,
        text: str,
        *,
        size: float = 14,
        bold: bool = False,
        font: str = BODY_FONT,
        align: Any = None,
        indent: bool = False,
        before: float = 0,
        after: float = 4,
    ) -> None:
        paragraph = self.doc.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        fmt = paragraph.paragraph_format
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        if indent:
            fmt.first_line_indent = Pt(size * 2)
        run = paragraph.add_run(text)
        set_font(run, font)
        run.font.size = Pt(size)
        run.font.bold = bold

    def tag(self, tag: str) -> None:
        """A paragraph holding only a {%p … %} tag: docxtpl removes it on render."""
        self.p(tag, size=2)

    def field(self, label: str, expr: str, *, optional: str = "") -> None:
        """`label：value` on its own line; left out when `optional` (a Jinja condition) is false."""
        if optional:
            self.tag(f"{{%p if {optional} %}}")
        self.p(f"{label}：{{{{ {expr} }}}}")
        if optional:
            self.tag("{%p endif %}")

    def text(self, expr: str) -> None:
        self.p(f"{{{{ {expr} }}}}", indent=True)

    def each(self, items: str, line: str) -> None:
        self.tag(f"{{%p for item in {items} %}}")
        self.p(line, indent=True)
        self.tag("{%p endfor %}")

    def heading(self, text: str) -> None:
        self.p(text, font=HEADING_FONT, bold=True, before=6)

    def save(self, path: Path) -> Path:
        self.doc.core_properties.title = "{{ title }} {{ number }}"
        self.doc.core_properties.author = "{{ unit_name }}"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.doc.save(str(path))
        return path


def _masthead(f: Form) -> None:
    center = WD_ALIGN_PARAGRAPH.CENTER
    f.p("{{ unit_name }}", size=18, bold=True, font=TITLE_FONT, align=center, after=2)
    f.p("{{ title }}", size=22, bold=True, font=TITLE_FONT, align=center, after=6)
    f.p("{{ number }}", size=14, align=WD_ALIGN_PARAGRAPH.RIGHT, after=10)


def _party(f: Form, label: str = "当事人") -> None:
    f.field(label, "party.name")
    f.field("地址", "party.address")
    f.field("法定代表人（负责人）", "party.legal_representative")
    f.field("统一社会信用代码", "party.uscc", optional="party.uscc")
    f.field("联系电话", "party.phone", optional="party.phone")


def _signatures(f: Form, *, party_signs: bool = True, officers: bool = True) -> None:
    f.p("", after=12)
    if officers:
        f.p("执法人员（签名）：                    执法证号：")
        f.p("执法人员（签名）：                    执法证号：", after=10)
    if party_signs:
        f.p("当事人（签收）：                      年    月    日", after=14)
    right = WD_ALIGN_PARAGRAPH.RIGHT
    f.p("{{ unit_name }}（印章）", align=right)
    f.p("{{ issued_on }}", align=right, after=10)


def _remedy(f: Form, what: str, *, suspends: bool) -> None:
    """The party's right to administrative review (60 days) or litigation (6 months); most measures are not
    suspended meanwhile (行政复议法第四十二条, 行政诉讼法第五十六条)."""
    tail = "。" if suspends else f"，但本{what}不停止执行。"
    f.p(
        f"如果不服本{what}，可以依法在六十日内向{{{{ unit_superior }}}}申请行政复议，或者在六个月内依法向人民法院提起行政诉讼{tail}",
        indent=True,
    )


def _inspection_record(f: Form) -> None:
    _party(f, "被检查单位")
    f.field("检查场所", "place")
    f.field("检查时间", "period")
    f.field("检查人员", "inspector_names")
    f.heading("检查情况：")
    f.each("findings", "{{ loop.index }}. {{ item }}")
    f.p(
        "依据《中华人民共和国安全生产法》第六十八条，检查人员将检查的时间、地点、内容、发现的问题及其处理情况作出书面记录。",
        indent=True,
    )
    f.field("被检查单位现场负责人", "signatory", optional="signatory")
    _signatures(f)


def _on_site_measures(f: Form) -> None:
    _party(f, "被检查单位")
    f.heading("经查，你单位存在下列问题：")
    f.text("facts")
    f.p("依据{{ legal_basis }}的规定，现作出如下现场处理决定：", indent=True)
    f.text("measures")
    f.field("期限", "deadline", optional="deadline")
    _remedy(f, "决定", suspends=False)
    _signatures(f)


def _rectification_order(f: Form) -> None:
    _party(f, "被检查单位")
    f.heading("经查，你单位存在下列问题：")
    f.each("problems", "{{ loop.index }}. {{ item }}")
    f.p(
        "依据{{ legal_basis }}的规定，现责令你单位于{{ deadline }}前整改完毕，达到有关法律法规规章和标准规定的要求。由此造成事故的，依法追究有关人员的责任。",
        indent=True,
    )
    f.p("整改期间，你单位应当采取措施，确保安全生产。对安全生产违法行为，将依法予以行政处罚。", indent=True)
    _remedy(f, "指令", suspends=False)
    _signatures(f)


def _review_opinion(f: Form) -> None:
    _party(f, "被检查单位")
    f.p(
        "根据《责令限期整改指令书》（{{ order_number }}）的要求，本机关于{{ reviewed_on }}对你单位整改情况进行了复查，复查意见如下：",
        indent=True,
    )
    f.text("opinion")
    f.field("复查结论", "result")
    _signatures(f)


def _case_filing(f: Form) -> None:
    _party(f)
    f.field("案件来源", "case_source")
    f.heading("案情摘要：")
    f.text("facts")
    f.field("涉嫌违反的条款", "legal_basis")
    f.field("承办人", "handler_names")
    f.field("承办人意见", "opinion")
    f.p("审核意见：", before=10, after=24)
    f.p("审批意见：", after=24)
    _signatures(f, party_signs=False, officers=False)


def _proposed_penalty(f: Form) -> None:
    """The facts, the article broken, the basis and the penalty proposed: the body of both notices."""
    _party(f)
    f.p("经查，你单位{{ facts }}", indent=True)
    f.p(
        "以上事实违反了{{ violated }}的规定，依据{{ legal_basis }}的规定，本机关拟对你单位作出{{ penalty }}的行政处罚。",
        indent=True,
    )
    f.field("拟罚款金额", "amount", optional="amount")


def _penalty_notice(f: Form) -> None:
    _proposed_penalty(f)
    f.p(
        "依据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，你单位有权进行陈述和申辩。你单位如有异议，可以在收到本告知书之日起{{ statement_days }}日内向本机关提出陈述和申辩，逾期不提出的，视为放弃上述权利。",
        indent=True,
    )
    _signatures(f)


def _hearing_notice(f: Form) -> None:
    _proposed_penalty(f)
    f.p(
        "依据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，你单位有权要求听证。如要求听证，应当在收到本告知书之日起{{ hearing_request_days }}日内向本机关提出，逾期不提出的，视为放弃听证的权利。",
        indent=True,
    )
    f.p("你单位也可以在收到本告知书之日起{{ statement_days }}日内进行陈述和申辩。", indent=True)
    _signatures(f)


def _penalty_decision(f: Form) -> None:
    _party(f)
    f.heading("违法事实及证据：")
    f.text("facts")
    f.each("evidence", "证据{{ loop.index }}：{{ item }}")
    f.p(
        "以上事实违反了{{ violated }}的规定，依据{{ legal_basis }}的规定，决定给予{{ penalty }}的行政处罚。",
        indent=True,
    )
    f.field("罚款金额", "amount", optional="amount")
    f.tag("{%p if amount %}")
    f.p(
        "罚款限于收到本决定书之日起{{ payment_days }}日内缴至{{ payment_to or '指定银行' }}。逾期不缴纳的，每日按罚款数额的百分之三加处罚款，加处罚款的数额不超过罚款的数额。",
        indent=True,
    )
    f.tag("{%p endif %}")
    f.p(
        "如果不服本决定，可以依法在六十日内向{{ reconsideration_to }}申请行政复议，或者在六个月内依法向{{ litigation_court }}提起行政诉讼，但本决定不停止执行，法律另有规定的除外。逾期不申请行政复议或者提起行政诉讼，又不履行的，本机关将依法申请人民法院强制执行。",
        indent=True,
    )
    _signatures(f, officers=False)


def _coercive_measures(f: Form) -> None:
    _party(f)
    f.p("经查，你单位{{ facts }}", indent=True)
    f.p(
        "依据{{ legal_basis }}的规定，本机关决定对你单位采取{{ measure }}的行政强制措施，期限为{{ period_days }}日。",
        indent=True,
    )
    f.tag("{%p if items %}")
    f.heading("查封、扣押的场所、设施或者财物：")
    f.tag("{%p endif %}")
    f.each("items", "{{ loop.index }}. {{ item }}")
    _remedy(f, "决定", suspends=True)
    _signatures(f)


def _case_referral(f: Form) -> None:
    f.p("{{ receiver }}：", after=6)
    f.p(
        "本机关在查处{{ party.name }}（地址：{{ party.address }}；法定代表人：{{ party.legal_representative }}）一案中，发现{{ facts }}",
        indent=True,
    )
    f.p(
        "该行为涉嫌构成{{ suspected_crime }}。依据{{ legal_basis }}的规定，现将该案移送你单位，请依法审查。",
        indent=True,
    )
    f.tag("{%p if attachments %}")
    f.heading("附件：")
    f.tag("{%p endif %}")
    f.each("attachments", "{{ loop.index }}. {{ item }}")
    _signatures(f, party_signs=False, officers=False)


def _case_closing(f: Form) -> None:
    _party(f)
    f.field("立案编号", "case_number")
    f.field("处罚决定书编号", "decision_number", optional="decision_number")
    f.field("处理结果", "penalty")
    f.field("罚款金额", "amount", optional="amount")
    f.field("执行情况", "execution")
    f.field("承办人", "handler_names")
    f.field("结案日期", "closed_on")
    f.p("审核意见：", before=10, after=24)
    f.p("审批意见：", after=24)
    _signatures(f, party_signs=False, officers=False)


BODIES: dict[str, Callable[[Form], None]] = {
    DocumentKind.INSPECTION_RECORD: _inspection_record,
    DocumentKind.ON_SITE_MEASURES: _on_site_measures,
    DocumentKind.RECTIFICATION_ORDER: _rectification_order,
    DocumentKind.REVIEW_OPINION: _review_opinion,
    DocumentKind.CASE_FILING: _case_filing,
    DocumentKind.PENALTY_NOTICE: _penalty_notice,
    DocumentKind.HEARING_NOTICE: _hearing_notice,
    DocumentKind.PENALTY_DECISION: _penalty_decision,
    DocumentKind.COERCIVE_MEASURES: _coercive_measures,
    DocumentKind.CASE_REFERRAL: _case_referral,
    DocumentKind.CASE_CLOSING: _case_closing,
}


def build(kind: str, path: Path) -> Path:
    form = Form()
    _masthead(form)
    BODIES[kind](form)
    return form.save(path)


def build_all(directory: Path = DEFAULT_DIR) -> list[Path]:
    return [build(kind, Path(directory) / file_name(kind)) for kind in DocumentKind.values]
