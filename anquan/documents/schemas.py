"""The content of each kind of document, as a typed schema (pydantic): what `services.issue` checks before a
number is taken. A caller that forgets the article, the deadline or the parties gets a field-level error in
Chinese (`context.legal_basis：必填`), never a document with a hole in it.

Field titles are the labels printed on the form. Figures the law or a rule version gives (hearing request days,
payment days …) are fields the caller passes from the rule version in force (cases), not constants here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from anquan.core.errors import FieldError, ValidationFailed, pydantic_message

from .choices import DocumentKind

Text = Field(min_length=1, max_length=2000)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Party(Strict):
    """当事人: the enterprise (or person) the document is addressed to."""

    name: str = Field(title="名称", min_length=1, max_length=200)
    address: str = Field(title="地址", min_length=1, max_length=300)
    legal_representative: str = Field(title="法定代表人", min_length=1, max_length=50)
    uscc: str = Field("", title="统一社会信用代码", max_length=18)
    phone: str = Field("", title="联系电话", max_length=30)


class Officer(Strict):
    name: str = Field(title="姓名", min_length=1, max_length=50)
    certificate: str = Field("", title="执法证号", max_length=40)


class Base(Strict):
    party: Party = Field(title="当事人")
    issued_on: dt.date | None = Field(None, title="日期")  # the service fills today (local) when missing


class InspectionRecord(Base):
    """现场检查记录 (安全生产法第六十八条)."""

    place: str = Field(title="检查场所", min_length=1, max_length=300)
    started_at: dt.datetime = Field(title="检查开始时间")
    ended_at: dt.datetime = Field(title="检查结束时间")
    inspectors: list[Officer] = Field(title="检查人员", min_length=2, max_length=10)
    findings: list[str] = Field(title="检查情况", min_length=1, max_length=200)
    signatory: str = Field("", title="被检查单位现场负责人", max_length=50)


class OnSiteMeasures(Base):
    """现场处理措施决定书 (安全生产法第六十五条第（三）项)."""

    facts: str = Field(title="发现的问题", min_length=1, max_length=4000)
    legal_basis: str = Field(title="法律依据", min_length=1, max_length=500)
    measures: str = Field(title="现场处理措施", min_length=1, max_length=2000)
    deadline: dt.date | None = Field(None, title="期限")


class RectificationOrder(Base):
    """责令限期整改指令书 (安全生产法第六十五条第（二）（三）项)."""

    problems: list[str] = Field(title="存在的问题", min_length=1, max_length=100)
    legal_basis: str = Field(title="法律依据", min_length=1, max_length=500)
    deadline: dt.date = Field(title="整改期限")


class ReviewOpinion(Base):
    """整改复查意见书."""

    order_number: str = Field(title="整改指令书编号", min_length=1, max_length=80)
    reviewed_on: dt.date = Field(title="复查日期")
    rectified: bool = Field(title="是否整改完毕")
    opinion: str = Field(title="复查意见", min_length=1, max_length=4000)


class CaseFiling(Base):
    """立案审批表."""

    case_source: str = Field(title="案件来源", min_length=1, max_length=200)
    facts: str = Field(title="案情摘要", min_length=1, max_length=4000)
    legal_basis: str = Field(title="涉嫌违反的条款", min_length=1, max_length=500)
    handlers: list[Officer] = Field(title="承办人", min_length=2, max_length=10)
    opinion: str = Field(title="承办人意见", min_length=1, max_length=2000)


class PenaltyNotice(Base):
    """行政处罚告知书 (行政处罚法第四十四条: 拟作出的处罚、事实、理由、依据和陈述申辩的权利)."""

    facts: str = Field(title="违法事实", min_length=1, max_length=4000)
    violated: str = Field(title="违反的条款", min_length=1, max_length=500)
    legal_basis: str = Field(title="处罚依据", min_length=1, max_length=500)
    penalty: str = Field(title="拟作出的行政处罚", min_length=1, max_length=1000)
    amount_yuan: Decimal | None = Field(None, title="罚款金额（元）", ge=0, max_digits=14, decimal_places=2)
    statement_days: int = Field(title="陈述申辩期限（日）", ge=1, le=30)


class HearingNotice(PenaltyNotice):
    """听证告知书 (行政处罚法第六十三、六十四条)."""

    statement_days: int = Field(3, title="陈述申辩期限（日）", ge=1, le=30)
    hearing_request_days: int = Field(title="听证申请期限（日）", ge=1, le=30)


class PenaltyDecision(Base):
    """行政处罚决定书 (行政处罚法第五十九条)."""

    facts: str = Field(title="违法事实", min_length=1, max_length=4000)
    evidence: list[str] = Field(default_factory=list, title="证据", max_length=50)
    violated: str = Field(title="违反的条款", min_length=1, max_length=500)
    legal_basis: str = Field(title="处罚依据", min_length=1, max_length=500)
    penalty: str = Field(title="行政处罚", min_length=1, max_length=1000)
    amount_yuan: Decimal | None = Field(None, title="罚款金额（元）", ge=0, max_digits=14, decimal_places=2)
    payment_days: int = Field(title="缴款期限（日）", ge=1, le=60)
    payment_to: str = Field("", title="缴款地点", max_length=200)
    reconsideration_to: str = Field(title="行政复议机关", min_length=1, max_length=200)
    litigation_court: str = Field(title="人民法院", min_length=1, max_length=200)


class CoerciveMeasures(Base):
    """强制措施决定书 (安全生产法第六十五条第（四）项、第七十条; 行政强制法)."""

    facts: str = Field(title="违法事实", min_length=1, max_length=4000)
    legal_basis: str = Field(title="法律依据", min_length=1, max_length=500)
    measure: str = Field(title="强制措施", min_length=1, max_length=500)
    items: list[str] = Field(default_factory=list, title="查封扣押物品", max_length=100)
    period_days: int = Field(title="期限（日）", ge=1, le=60)


class CaseReferral(Base):
    """案件移送书 (国务院令第310号)."""

    receiver: str = Field(title="移送机关", min_length=1, max_length=200)
    facts: str = Field(title="涉嫌犯罪事实", min_length=1, max_length=4000)
    suspected_crime: str = Field(title="涉嫌罪名", min_length=1, max_length=200)
    legal_basis: str = Field(title="移送依据", min_length=1, max_length=500)
    attachments: list[str] = Field(default_factory=list, title="附件", max_length=50)


class CaseClosing(Base):
    """结案审批表."""

    case_number: str = Field(title="立案编号", min_length=1, max_length=80)
    decision_number: str = Field("", title="处罚决定书编号", max_length=80)
    penalty: str = Field(title="处理结果", min_length=1, max_length=1000)
    amount_yuan: Decimal | None = Field(None, title="罚款金额（元）", ge=0, max_digits=14, decimal_places=2)
    execution: str = Field(title="执行情况", min_length=1, max_length=2000)
    handlers: list[Officer] = Field(title="承办人", min_length=2, max_length=10)
    closed_on: dt.date = Field(title="结案日期")


SCHEMAS: dict[str, type[Base]] = {
    DocumentKind.INSPECTION_RECORD: InspectionRecord,
    DocumentKind.ON_SITE_MEASURES: OnSiteMeasures,
    DocumentKind.RECTIFICATION_ORDER: RectificationOrder,
    DocumentKind.REVIEW_OPINION: ReviewOpinion,
    DocumentKind.CASE_FILING: CaseFiling,
    DocumentKind.PENALTY_NOTICE: PenaltyNotice,
    DocumentKind.HEARING_NOTICE: HearingNotice,
    DocumentKind.PENALTY_DECISION: PenaltyDecision,
    DocumentKind.COERCIVE_MEASURES: CoerciveMeasures,
    DocumentKind.CASE_REFERRAL: CaseReferral,
    DocumentKind.CASE_CLOSING: CaseClosing,
}


def _title(schema: type[BaseModel], loc: tuple[Any, ...]) -> str:
    """The printed labels along an error's path: 当事人·法定代表人, 检查人员第2项."""
    labels: list[str] = []
    current: type[BaseModel] | None = schema
    for part in loc:
        if isinstance(part, int):
            labels.append(f"第{part + 1}项")
            continue
        info = current.model_fields.get(str(part)) if current is not None else None
        if info is None:
            labels.append(str(part))
            current = None
            continue
        labels.append(info.title or str(part))
        annotation = info.annotation
        inner = getattr(annotation, "__args__", (annotation,))
        current = next((a for a in inner if isinstance(a, type) and issubclass(a, BaseModel)), None)
    return "·".join(labels)


def validate(kind: str, raw: Any) -> Base:
    """The context for `kind` checked by its schema, or ValidationFailed naming each field
    (`context.party.legal_representative`) with a Chinese message that names the label."""
    schema = SCHEMAS.get(kind)
    if schema is None:
        raise ValidationFailed(
            [
                FieldError(
                    "kind", "invalid_choice", "文书种类应为：" + "、".join(str(k.label) for k in DocumentKind)
                )
            ]
        )
    if isinstance(raw, BaseModel):
        raw = raw.model_dump()
    try:
        return schema.model_validate(raw)
    except ValidationError as exc:
        errors = []
        for error in exc.errors():
            loc = tuple(error.get("loc", ()))
            field = ".".join(["context", *(str(p) for p in loc)])
            errors.append(
                FieldError(
                    field,
                    str(error.get("type", "invalid")),
                    f"{_title(schema, loc)}：{pydantic_message(dict(error))}",
                )
            )
        raise ValidationFailed(errors) from None
