"""The numbering of official documents as versioned rule data (`documents.numbering`, anquan.rules): the pattern,
each kind's short code (代字), the units' short names and the departments' prefixes. An office edits them on
/rules/ (a new version from a date, audited, never edited in place), so a province that adopts its own document
style — or a renaming such as 安监 → 应急 in 2018 — changes numbers from that date without a code change.

Sources: README-wave2 §A7 and enforcement_procedure.json → document_numbering (partial: a habit of public code,
"（地区简称）应急责改〔年份〕序号"; no national rule; Jiangxi's own style not held). Only 责改 is from the reference."""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel, Field, field_validator

from .choices import KIND_CODES, DocumentKind

KEY = "documents.numbering"
PLACEHOLDERS = ("{简称}", "{部门}", "{代字}", "{年度}", "{序号}")
LINE = re.compile(r"^\s*([^=\s]+)\s*=\s*(\S+)\s*$")


def parse_lines(text: str) -> dict[str, str]:
    """`360400=浔` lines → {"360400": "浔"}; blank lines ignored."""
    pairs: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        match = LINE.match(line)
        if match is None:
            raise ValueError(f"“{line.strip()}”应写成“键=值”")
        pairs[match.group(1)] = match.group(2)
    return pairs


def _codes_default() -> str:
    return "\n".join(f"{DocumentKind(kind).label}={code}" for kind, (code, _) in KIND_CODES.items())


def kind_codes(text: str) -> dict[str, str]:
    """The `kind_codes` lines (文书名称=代字; the kind's internal name is accepted too) → {kind: code}."""
    by_label = {str(k.label): k.value for k in DocumentKind}
    return {by_label.get(name, name): code for name, code in parse_lines(text).items()}


class NumberingRules(BaseModel):
    pattern: str = Field(
        "（{简称}）{部门}{代字}〔{年度}〕{序号}号",
        title="编号格式",
        description="{简称} 执法主体简称，{部门} 部门代字，{代字} 文书代字，{年度} 年度，{序号} 序号",
        min_length=5,
        max_length=80,
    )
    seq_width: int = Field(0, title="序号位数（不足补零，0为不补）", ge=0, le=8)
    kind_codes: str = Field(default_factory=_codes_default, title="文书代字（文书种类=代字，每行一个）")
    unit_names: str = Field(
        "360400=浔", title="执法主体简称（地区代码=简称，每行一个；未列出的用地区名称去掉区、县、市）"
    )
    department_prefixes: str = Field(
        "应急管理局=应急", title="部门代字（部门=代字，每行一个；未列出的用部门名称去掉“局”）"
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
        unknown = sorted(set(codes) - set(DocumentKind.values))
        if unknown:
            raise ValueError("未知的文书种类：" + "、".join(unknown))
        missing = [str(k.label) for k in DocumentKind if k.value not in codes]
        if missing:
            raise ValueError("缺少这些文书的代字：" + "、".join(missing))
        return value

    @field_validator("unit_names", "department_prefixes")
    @classmethod
    def _lines(cls, value: str) -> str:
        parse_lines(value)
        return value


DEFAULT_FROM = dt.date(2018, 4, 16)  # 应急管理部 took over the work of the former 安监总局 (the 应急 prefix)
SOURCE = "无全国统一的编号规定；参照公开执法系统的编号习惯“（地区简称）应急责改〔年份〕序号”（江西省文书样式未取得）"


def register_kind() -> None:
    """Called from AppConfig.ready() (the rules platform seeds the default version after migrate)."""
    from anquan.rules.registry import Default, RuleKind, register

    register(
        RuleKind(
            key=KEY,
            label="执法文书编号规则",
            schema=NumberingRules,
            defaults=[
                Default(
                    effective_from=DEFAULT_FROM,
                    values=NumberingRules.model_validate({}).model_dump(),
                    source=SOURCE,
                    verified="partial",
                    note="仅“责改”见于参考资料；其余文书代字按同一习惯拟定，未核实。以江西省应急管理厅文书样式为准。",
                )
            ],
        )
    )
