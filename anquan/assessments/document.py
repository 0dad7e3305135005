"""The yearly evaluation document (《…年度安全生产工作考核结果通报》) as .docx, rendered by core.docx from a template
built here: title, the period and scheme, the ranking table with each score's breakdown, the tie rule, the flags."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docxtpl import DocxTemplate

from anquan.core.docx import render

from . import scoring, services
from .flags import period_label
from .models import Assessment

NAME = "assessment-evaluation.docx"


def _template() -> DocxTemplate:
    doc = Document()
    title = doc.add_paragraph("{{ title }}")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph("{{ intro }}")
    table = doc.add_table(rows=4, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("名次", "考核对象", "总分", "各项得分"), strict=True):
        cell.text = text
    table.rows[1].cells[0].text = "{%tr for s in scores %}"
    for cell, text in zip(
        table.rows[2].cells, ("{{ s.rank }}", "{{ s.name }}", "{{ s.total }}", "{{ s.items }}"), strict=True
    ):
        cell.text = text
    table.rows[3].cells[0].text = "{%tr endfor %}"
    doc.add_paragraph("{{ tie_rule }}")
    doc.add_paragraph("{{ flags }}")
    doc.add_paragraph("{{ note }}")
    out = io.BytesIO()
    doc.save(out)
    out.seek(0)
    return DocxTemplate(out)


def context(assessment: Assessment) -> dict[str, Any]:
    scheme = services.scheme_of(assessment)
    scores = assessment.scores.select_related("region", "department").order_by("order")
    flags = assessment.flags.order_by("colour", "rank", "region_code")
    red = "、".join(f.holder_name for f in flags if f.colour == "red")
    yellow = "、".join(f.holder_name for f in flags if f.colour == "yellow")
    label = period_label(assessment.period_start, assessment.period_end)
    return {
        "title": f"{assessment.region.name}{label}安全生产工作考核结果通报",
        "intro": (
            f"按照《{scheme.name}》，根据系统记录的数据和安委办评分，对{assessment.title.removeprefix(assessment.region.name)}"
            f"结果进行了计算，现将考核结果通报如下。"
        ),
        "scores": [
            {
                "rank": s.rank,
                "name": s.subject_name,
                "total": str(s.total),
                "items": "；".join(
                    f"{i['name']}{i['points']}/{i['max']}" + ("（暂无数据）" if i["no_data"] else "")
                    for i in s.breakdown
                ),
            }
            for s in scores
        ],
        "tie_rule": "排名规则：" + scoring.tie_rule(scheme),
        "flags": (
            f"授予流动红旗：{red or '无'}；挂流动黄旗：{yellow or '无'}。"
            if flags
            else "考核结果发布后评定流动红旗、黄旗。"
        ),
        "note": "说明：评分标准为地方考核办法（未核实），“暂无数据”的项目不计分。",
    }


def evaluation_docx(assessment: Assessment) -> tuple[bytes, str]:
    data = render(_template(), NAME, context(assessment), what="考核结果通报")
    label = period_label(assessment.period_start, assessment.period_end)
    return data, f"{assessment.region.name}{label}安全生产工作考核结果通报.docx"
