"""What a decision imposes (a list of measures: several may be imposed at once, e.g. a fine on the unit, a fine
on its principal and 责令停产停业整顿), checked against the law: a fine cites a penalty article and lies within
that article's range for the unit or for the person; and the money arithmetic of execution (surcharge, 按日连续
处罚)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from anquan.core.errors import FieldError, ValidationFailed, pydantic_message

from . import rules
from .choices import MeasureKind, PartyKind

CENT = Decimal("0.01")
MAX_YUAN = Decimal("100000000")


class Measure(BaseModel):
    kind: Literal["warning", "fine", "confiscate", "suspend", "license_suspend", "license_revoke", "close"]
    article: str | None = Field(None, max_length=20, description="罚则条款代码（罚款必填），如 99-overdue")
    target: Literal["organisation", "person"] = Field("organisation", description="处罚对象：单位或个人")
    person: str | None = Field(None, max_length=50, description="被处罚个人姓名（对个人罚款时必填）")
    amount_yuan: Decimal | None = Field(None, gt=0, le=MAX_YUAN, description="金额（元）")
    note: str | None = Field(None, max_length=300, description="说明（如停产整顿期限、吊销的证照）")


def yuan(value: Decimal | int) -> str:
    """10万元, 5,000元: how the pages and messages say an amount."""
    amount = Decimal(value)
    if amount >= 10_000 and amount % 10_000 == 0:
        return f"{int(amount // 10_000)}万元"
    if amount == amount.to_integral_value():
        return f"{int(amount)}元"
    return f"{amount:.2f}元"


def _range_text(low: int | None, high: int | None) -> str:
    if not low:
        return f"{yuan(high or 0)}以下"
    return f"{yuan(low)}至{yuan(high or 0)}"


def parse(raw: Any, field: str = "measures") -> list[Measure]:
    """The posted list as typed measures (422 naming `measures.N.field`)."""
    if not isinstance(raw, list) or not raw:
        raise ValidationFailed([FieldError(field, "required", "请至少填写一项处罚内容")])
    out: list[Measure] = []
    errors: list[FieldError] = []
    for n, item in enumerate(raw):
        if isinstance(item, BaseModel):
            item = item.model_dump()
        try:
            out.append(Measure.model_validate(item))
        except ValidationError as exc:
            for error in exc.errors():
                loc = ".".join(str(p) for p in error["loc"])
                errors.append(FieldError(f"{field}.{n}.{loc}", error["type"], pydantic_message(dict(error))))
    if errors:
        raise ValidationFailed(errors)
    return out


def check(measures: list[Measure], on: dt.date, region_code: str, field: str = "measures") -> Any:
    """Each fine cites an article in force on `on` and lies within its range; returns that articles version."""
    version, articles = rules.articles_in_force(on, region_code)
    errors: list[FieldError] = []
    for n, m in enumerate(measures):
        where = f"{field}.{n}"
        if m.kind == MeasureKind.FINE.value:
            if m.amount_yuan is None:
                errors.append(FieldError(f"{where}.amount_yuan", "required", "请填写罚款金额"))
                continue
            if m.target == PartyKind.PERSON.value and not m.person:
                errors.append(FieldError(f"{where}.person", "required", "对个人罚款须写明被处罚人姓名"))
            article = articles.get(m.article or "")
            if article is None:
                errors.append(FieldError(f"{where}.article", "unknown_article", "请选择罚款所依据的罚则条款"))
                continue
            person = m.target == PartyKind.PERSON.value
            low = article.person_min_yuan if person else article.organisation_min_yuan
            high = article.person_max_yuan if person else article.organisation_max_yuan
            whom = "个人" if person else "单位"
            name = f"《安全生产法》{article.article}"
            if high is None:
                errors.append(
                    FieldError(f"{where}.article", "no_fine_for_target", f"{name}没有规定对{whom}的罚款")
                )
            elif not (low or 0) <= m.amount_yuan <= high:
                errors.append(
                    FieldError(
                        f"{where}.amount_yuan",
                        "out_of_range",
                        f"罚款{yuan(m.amount_yuan)}超出{name}对{whom}规定的幅度（{_range_text(low, high)}）",
                    )
                )
    if errors:
        raise ValidationFailed(errors)
    return version


def fine_total(measures: list[Measure]) -> Decimal:
    return sum(
        (m.amount_yuan or Decimal(0) for m in measures if m.kind == MeasureKind.FINE.value), Decimal(0)
    )


def as_json(measures: list[Measure]) -> list[dict[str, Any]]:
    return [m.model_dump(mode="json", exclude_none=True) for m in measures]


def describe(measures: list[dict[str, Any]]) -> str:
    """罚款5万元（第九十九条（逾期未改正），单位）；责令停产停业整顿."""
    parts = []
    labels = dict(MeasureKind.choices)
    for m in measures:
        text = str(labels.get(m.get("kind", ""), m.get("kind", "")))
        if m.get("amount_yuan") is not None:
            text += yuan(Decimal(str(m["amount_yuan"])))
        if m.get("article"):
            who = m.get("person") or ("个人" if m.get("target") == "person" else "单位")
            text += f"（{m['article']}，{who}）"
        if m.get("note"):
            text += f"：{m['note']}"
        parts.append(text)
    return "；".join(parts)


def needs_discussion(measures: list[Measure], figures: rules.ProcedureFigures, serious: bool) -> bool:
    """集体讨论: 情节复杂或重大违法 (law art. 57), or above the version's fine threshold or of its listed kinds."""
    if serious:
        return True
    threshold = figures.collective_discussion_fine_yuan
    if threshold is not None and fine_total(measures) >= threshold:
        return True
    return any(m.kind in figures.collective_discussion_measures for m in measures)


# ---- money of execution --------------------------------------------------------------------------------


def payment_due(delivered_on: dt.date, figures: rules.ProcedureFigures) -> dt.date:
    """The last day to pay: the payment days counted from delivery."""
    return delivered_on + dt.timedelta(days=figures.payment_days)


def surcharge(
    fine: Decimal, delivered_on: dt.date, paid_on: dt.date, figures: rules.ProcedureFigures
) -> tuple[int, Decimal]:
    """(days late, 加处罚款): the rate per day of the fine for each day after the payment period, capped at the
    fine (law art. 72). 10 000 paid 20 days after delivery with 15 days to pay: 5 × 3 % × 10 000 = 1 500."""
    late = max(0, (paid_on - payment_due(delivered_on, figures)).days)
    amount = (fine * figures.surcharge_percent_per_day / 100 * late).quantize(CENT, ROUND_HALF_UP)
    if figures.surcharge_capped_at_fine:
        amount = min(amount, fine)
    return late, amount


def daily_penalty(fine: Decimal, days: int) -> Decimal:
    """按日连续处罚 (Safety Law art. 112): the original fine for each day the refusal lasted."""
    return (fine * days).quantize(CENT, ROUND_HALF_UP)
