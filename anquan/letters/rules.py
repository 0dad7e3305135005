"""The numbering of letters as versioned rule data (`letters.numbering`, anquan.rules, ADR 0022): the pattern, each
kind's short code (代字) and the offices' short names. An office edits them on /rules/ (a new version from a date,
audited), so a province with its own style numbers its letters from that date without a code change.

Source: the seed's habit (九江市安委办 letters numbered like "九安办提示〔2026〕3号": the city's first character, 安办
for the committee office, the kind's code, the year, the sequence). No national or Jiangxi rule is held: the
default is marked unverified."""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel, Field, field_validator

from anquan.documents.rules import parse_lines
from anquan.regions.names import short_name

from .choices import LetterKind

KEY = "letters.numbering"
PLACEHOLDERS = ("{简称}", "{代字}", "{年度}", "{序号}")
DEFAULT_CODES = {LetterKind.REMINDER: "提示", LetterKind.SUPERVISION: "督办", LetterKind.INTERVIEW: "约谈"}


def _codes_default() -> str:
    return "\n".join(f"{LetterKind(kind).label}={code}" for kind, code in DEFAULT_CODES.items())


def kind_codes(text: str) -> dict[str, str]:
    """The `kind_codes` lines (函件类型=代字; the internal name is accepted too) → {kind: code}."""
    by_label = {str(k.label): k.value for k in LetterKind} | {
        "工作提示函": "reminder",
        "督办函": "supervision",
    }
    by_label["约谈"] = "interview"
    return {by_label.get(name, name): code for name, code in parse_lines(text).items()}


class LetterNumbering(BaseModel):
    pattern: str = Field(
        "{简称}安办{代字}〔{年度}〕{序号}号",
        title="编号格式",
        description="{简称} 发函单位简称，{代字} 函件代字，{年度} 年度，{序号} 序号",
        min_length=5,
        max_length=80,
    )
    kind_codes: str = Field(default_factory=_codes_default, title="函件代字（函件类型=代字，每行一个）")
    unit_names: str = Field(
        "360000=赣\n360400=九",
        title="发函单位简称（地区代码=简称，每行一个；未列出的取地区名称的第一个字）",
    )

    @field_validator("pattern")
    @classmethod
    def _has_seq(cls, value: str) -> str:
        if "{序号}" not in value or "{年度}" not in value:
            raise ValueError("编号格式必须包含 {年度} 和 {序号}")
        for token in re.findall(r"\{[^}]*\}", value):
            if token not in PLACEHOLDERS:
                raise ValueError(f"编号格式中的 {token} 无法识别，可用：" + "、".join(PLACEHOLDERS))
        return value

    @field_validator("kind_codes")
    @classmethod
    def _kinds(cls, value: str) -> str:
        codes = kind_codes(value)
        unknown = sorted(set(codes) - set(LetterKind.values))
        if unknown:
            raise ValueError("未知的函件类型：" + "、".join(unknown))
        missing = [str(k.label) for k in LetterKind if k.value not in codes]
        if missing:
            raise ValueError("缺少这些函件的代字：" + "、".join(missing))
        return value

    @field_validator("unit_names")
    @classmethod
    def _lines(cls, value: str) -> str:
        parse_lines(value)
        return value


def format_number(
    rules: LetterNumbering, issuer_code: str, issuer_name: str, kind: str, year: int, seq: int
) -> str:
    units = parse_lines(rules.unit_names)
    values = {
        "{简称}": units.get(issuer_code) or short_name(issuer_name)[:1],
        "{代字}": kind_codes(rules.kind_codes)[kind],
        "{年度}": str(year),
        "{序号}": str(seq),
    }
    text = rules.pattern
    for token, value in values.items():
        text = text.replace(token, value)
    return text


DEFAULT_FROM = dt.date(2018, 1, 1)


def register_kind() -> None:
    """Called from AppConfig.ready() (the rules platform seeds the default version after migrate)."""
    from anquan.rules.registry import Default, RuleKind, register

    register(
        RuleKind(
            key=KEY,
            label="提示督办函编号规则",
            schema=LetterNumbering,
            description="安委办发出工作提示函、督办函、约谈通知时的文号",
            defaults=[
                Default(
                    effective_from=DEFAULT_FROM,
                    values=LetterNumbering.model_validate({}).model_dump(),
                    source="无统一的编号规定；按“九安办提示〔2026〕3号”的习惯拟定",
                    verified="not_found",
                    note="各地按本地公文编号习惯修改",
                )
            ],
        )
    )
