"""Sample contexts of every kind of document, as an inspection or a case would give them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document as Docx

from anquan.documents import services
from anquan.documents.choices import DocumentKind

ARTICLE = "《中华人民共和国安全生产法》第一百零一条第（一）项"
LEGAL_REP = "王建国"
ADDRESS = "九江市濂溪区十里大道88号"


def party(enterprise) -> dict:
    return {**services.party_of(enterprise), "address": ADDRESS, "legal_representative": LEGAL_REP}


def officers(n: int = 2) -> list[dict]:
    return [
        {"name": name, "certificate": f"36040200{i}"}
        for i, name in enumerate(["李执法", "张检查", "赵三"][:n], 1)
    ]


def _field_contexts() -> dict:
    """The documents of an inspection and its follow-up."""
    start = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)
    return {
        DocumentKind.INSPECTION_RECORD: {
            "place": "甲类仓库及罐区",
            "started_at": start.isoformat(),
            "ended_at": (start + dt.timedelta(hours=2)).isoformat(),
            "inspectors": officers(),
            "findings": ["甲类仓库可燃气体报警器失效", "罐区防火堤破损"],
            "signatory": "刘安全",
        },
        DocumentKind.ON_SITE_MEASURES: {
            "facts": "甲类仓库可燃气体报警器失效",
            "legal_basis": "《中华人民共和国安全生产法》第六十五条第（三）项",
            "measures": "责令甲类仓库立即停止使用",
            "deadline": "2026-11-30",
        },
        DocumentKind.RECTIFICATION_ORDER: {
            "problems": ["甲类仓库可燃气体报警器失效", "罐区防火堤破损"],
            "legal_basis": "《中华人民共和国安全生产法》第六十五条第（二）项",
            "deadline": "2026-12-15",
        },
        DocumentKind.REVIEW_OPINION: {
            "order_number": "（濂溪）应急责改〔2026〕1号",
            "reviewed_on": "2026-12-16",
            "rectified": True,
            "opinion": "报警器已更换并校验合格，防火堤已修复。",
        },
    }


def _case_contexts() -> dict:
    """The documents of a case, from 立案 to 结案."""
    return {
        DocumentKind.CASE_FILING: {
            "case_source": "现场检查",
            "facts": "未对安全设备进行经常性维护、保养",
            "legal_basis": ARTICLE,
            "handlers": officers(),
            "opinion": "建议立案调查",
        },
        DocumentKind.PENALTY_NOTICE: {
            "facts": "未对安全设备进行经常性维护、保养。",
            "violated": "《中华人民共和国安全生产法》第三十六条第二款",
            "legal_basis": ARTICLE,
            "penalty": "罚款",
            "amount_yuan": "30000.00",
            "statement_days": 3,
        },
        DocumentKind.HEARING_NOTICE: {
            "facts": "未对安全设备进行经常性维护、保养。",
            "violated": "《中华人民共和国安全生产法》第三十六条第二款",
            "legal_basis": ARTICLE,
            "penalty": "罚款",
            "amount_yuan": "30000.00",
            "hearing_request_days": 5,
        },
        DocumentKind.PENALTY_DECISION: {
            "facts": "2026年11月23日检查发现，你单位甲类仓库可燃气体报警器失效。",
            "evidence": ["现场检查记录", "询问笔录"],
            "violated": "《中华人民共和国安全生产法》第三十六条第二款",
            "legal_basis": ARTICLE,
            "penalty": "罚款",
            "amount_yuan": "30000.00",
            "payment_days": 15,
            "payment_to": "九江银行濂溪支行",
            "reconsideration_to": "九江市濂溪区人民政府",
            "litigation_court": "九江市濂溪区人民法院",
        },
        DocumentKind.COERCIVE_MEASURES: {
            "facts": "甲类仓库存放的危险化学品无合格证明",
            "legal_basis": "《中华人民共和国安全生产法》第六十五条第（四）项",
            "measure": "扣押",
            "items": ["乙醇 200 千克"],
            "period_days": 30,
        },
        DocumentKind.CASE_REFERRAL: {
            "receiver": "九江市公安局濂溪分局",
            "facts": "该单位主要负责人在事故发生后逃匿。",
            "suspected_crime": "重大责任事故罪",
            "legal_basis": "《行政执法机关移送涉嫌犯罪案件的规定》第三条",
            "attachments": ["案件调查报告", "涉案物品清单"],
        },
        DocumentKind.CASE_CLOSING: {
            "case_number": "（濂溪）应急立审〔2026〕1号",
            "decision_number": "（濂溪）应急罚决〔2026〕1号",
            "penalty": "罚款",
            "amount_yuan": "30000.00",
            "execution": "已于2026年12月10日缴清罚款",
            "handlers": officers(),
            "closed_on": "2026-12-20",
        },
    }


def sample(kind: str, enterprise) -> dict:
    contexts = {**_field_contexts(), **_case_contexts()}
    return {"party": party(enterprise), "issued_on": "2026-11-24", **contexts[kind]}


def text_of(data: bytes) -> str:
    doc = Docx(io.BytesIO(data))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines += [c.text for c in row.cells]
    return "\n".join(lines)


@pytest.fixture
def subject(world):
    """What the documents are about: here the enterprise's own row (an inspection or a case in their apps)."""
    return world.chem_t1


@pytest.fixture
def unit(world):
    return services.unit_of(world.users["inspector"])
