"""The fields of a case step (a form post or an API body) read through `core.inputs`, each bad one collected so
that a refusal names every bad field at once (one field-level 422), with the case's own labels in the messages.

A step reads all its fields, calls `check()` (which raises the collected errors), and only then applies the law's
checks; a bad value reads as a placeholder, which `check()` guarantees nobody uses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from anquan.core import inputs
from anquan.core.contract import DATE_MIN
from anquan.core.errors import FieldError, ValidationFailed

MAX_YUAN = Decimal("100000000")  # 1亿元: no fine or payment of a county case comes near it

LABELS = {
    "reason": "理由",
    "comment": "备注",
    "investigators": "办案人员",
    "days": "天数",
    "level": "批准层级",
    "report": "案件调查报告",
    "measures": "处罚内容",
    "statement": "陈述申辩内容",
    "waiver_note": "书面放弃声明",
    "opinion": "审核意见",
    "note": "记录",
    "method": "送达方式",
    "amount_yuan": "缴款金额",
    "police_unit": "公安机关",
    "facts": "违法事实",
    "violated": "涉嫌违反的规定",
    "source_note": "案件来源说明",
    "suspected_crime": "涉嫌罪名",
    "applied_on": "申请日期",
    "opened_on": "立案日期",
    "notified_on": "告知日期",
    "statement_on": "陈述申辩日期",
    "hearing_notice_on": "听证通知日期",
    "hearing_held_on": "听证举行日期",
    "reviewed_on": "审核日期",
    "discussed_on": "讨论日期",
    "decided_on": "决定日期",
    "delivered_on": "送达日期",
    "paid_on": "缴款日期",
    "from_date": "起算日期",
    "closed_on": "结案日期",
    "answered_on": "答复日期",
    "listed_on": "列入日期",
    "removed_on": "移出日期",
    "proposed_at": "提出移送时间",
    "decided_at": "决定时间",
    "transferred_at": "移送时间",
    "flag_public_interest": "涉及重大公共利益",
    "flag_complex": "案情疑难复杂",
    "flag_other_law": "其他法律规定须法制审核",
    "flag_serious": "情节复杂或重大违法",
    "hearing_requested": "要求听证",
    "waived": "书面放弃",
}


class Fields:
    def __init__(self, raw: dict[str, Any], labels: dict[str, str] | None = None):
        self.raw = raw
        self.labels = {**LABELS, **(labels or {})}
        self.errors: list[FieldError] = []

    def label(self, name: str) -> str:
        return self.labels.get(name, name)

    def get(self, name: str, default: Any = None) -> Any:
        return self.raw.get(name, default)

    def _required(self, name: str) -> None:
        self.errors.append(FieldError(name, "required", f"请填写{self.label(name)}"))

    def day(self, name: str, *, default: dt.date | None = None, future: bool = False) -> dt.date:
        """A date (not in the future unless `future`); blank → `default`, or required when there is none."""
        value = inputs.day(self.raw.get(name), name, self.label(name), self.errors, future=future)
        if value is None and self.raw.get(name) in (None, ""):
            if default is not None:
                return default
            self._required(name)
        return value or DATE_MIN

    def moment(self, name: str) -> dt.datetime:
        """A past point in time; blank → now."""
        now = timezone.now()
        value = inputs.moment(self.raw.get(name), name, self.label(name), self.errors, now=now)
        return value or now

    def text(self, name: str, *, required: bool = False, max_length: int = inputs.LONG_TEXT) -> str:
        return inputs.text(
            self.raw.get(name), name, self.label(name), self.errors, max_length=max_length, required=required
        )

    def flag(self, name: str) -> bool:
        """A check box or JSON boolean; absent → False; a value that is neither yes nor no is refused."""
        try:
            return bool(inputs.flag(self.raw.get(name), name))
        except ValidationFailed as exc:
            self.errors += [
                FieldError(e.field, e.code, f"{self.label(name)}：{e.message}") for e in exc.errors
            ]
            return False

    def money(self, name: str) -> Decimal:
        """An amount in yuan above 0 and at most 1亿, at most two decimals (more is refused, not rounded)."""
        raw = self.raw.get(name)
        if raw in (None, ""):
            self._required(name)
            return Decimal(1)
        value = inputs.amount(raw, name, self.label(name), self.errors, high=MAX_YUAN + Decimal("0.01"))
        if value is not None and value == 0:
            self.errors.append(FieldError(name, "out_of_range", f"{self.label(name)}应大于0"))
        return value or Decimal(1)

    def whole(self, name: str, *, low: int, high: int) -> int:
        """A whole number in [low, high]; blank is required."""
        raw = self.raw.get(name)
        if raw in (None, ""):
            self._required(name)
            return low
        value = inputs.integer(raw, name, self.label(name), self.errors, low=low, high=high)
        return low if value is None else value

    def choice(self, name: str, choices: Any, message: str) -> str:
        """One of `choices` (TextChoices values), else `message` (which names what to choose)."""
        value = str(self.raw.get(name) or "")
        if value not in choices.values:
            self.errors.append(FieldError(name, "invalid", message))
        return value

    def refuse(self, name: str, code: str, message: str) -> None:
        self.errors.append(FieldError(name, code, message))

    def check(self) -> None:
        """Raise every bad field found so far (one 422)."""
        if self.errors:
            raise ValidationFailed(self.errors)
