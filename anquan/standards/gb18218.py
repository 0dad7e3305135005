"""GB 18218-2018《危险化学品重大危险源辨识》: identification and grading of one unit (pure: no Django).

Tables come from data/ (copied from shared/reference with their citations): 表1 named substances,
表2 hazard categories, 表3/表4 the correction factor β, 表5 α, 表6 grades. How names given by users
are matched to rows is Anquan's choice, written down in data/gb18218_names.json.

Arithmetic is exact (Fraction over Decimal inputs), so a substance at exactly its critical quantity
gives S = 1 and a unit at the grade-1 boundary gives R = 100, never 0.9999… or 99.999….
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

from anquan.core.errors import FieldError, ValidationFailed

from .exact import decimal_places

DATA = Path(__file__).parent / "data"
UNIT_TYPES = ("production", "storage")  # 4.1.1: 生产单元 / 储存单元, identified and graded one by one
MAX_QUANTITY_T = Decimal(10) ** 9  # a sanity bound that also keeps the exact arithmetic small
QUANTITY_PLACES = 6  # 1 g
MAX_SUBSTANCES = 100  # substances of one unit: a sanity bound on the request
MAX_EXPOSED_PERSONS = 10_000_000  # 表5 counts residents within 500 m; no city holds more
MAX_NAME = 200  # a substance's name as given (the column of majorhazards.InstallationSubstance)
MAX_CAS = 20  # a CAS registry number as given
GRADES = {"一级": 1, "二级": 2, "三级": 3, "四级": 4}  # 表6
CAS_RE = re.compile(r"^(\d{2,7})-(\d{2})-(\d)$")


# --- the tables ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class NamedSubstance:
    """A row of 表1."""

    no: int
    name: str
    cas: tuple[str, ...]
    critical_t: Decimal
    qualified: bool  # content/form restriction in the name (data/gb18218_names.json qualified_rows)


@dataclass(frozen=True)
class HazardCategory:
    """A row of 表2 with its β from 表4."""

    symbol: str
    category: str
    description: str
    critical_t: Decimal
    beta: Decimal


@dataclass(frozen=True)
class Tables:
    table1: tuple[NamedSubstance, ...]
    names: Mapping[str, tuple[NamedSubstance, ...]]  # normalised name/alias → rows
    by_cas: Mapping[str, tuple[NamedSubstance, ...]]
    table2: Mapping[str, HazardCategory]
    table3_by_no: Mapping[int, Decimal]  # 表1 序号 → β of 表3
    table3_by_name: Mapping[str, Decimal]  # normalised 表3 name → β
    alpha: tuple[tuple[int, int | None, Decimal], ...]  # 表5: (min persons, max persons or None, α)
    grades: tuple[tuple[int, Decimal | None], ...]  # 表6: (grade, R lower bound inclusive or None)


def normalise(name: str) -> str:
    """Full-width to half-width (NFKC), no spaces, case-folded: "氯化氢（无水）" == "氯化氢(无水)"."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name)).casefold()


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / name).read_text(encoding="utf-8"), parse_float=Decimal)
    return data


def _split_aliases(alias: str | None) -> list[str]:
    return [part for part in re.split(r"[;；、]", alias or "") if part.strip()]


@cache
def tables() -> Tables:
    t1, t2, beta, extra = (
        _load(n)
        for n in ("gb18218_table1.json", "gb18218_table2.json", "gb18218_beta.json", "gb18218_names.json")
    )
    qualified = set(extra["qualified_rows"]["rows"])
    rows = tuple(
        NamedSubstance(
            r["no"], r["name"], tuple(r["cas_list"]), Decimal(r["critical_t"]), r["no"] in qualified
        )
        for r in t1["rows"]
    )
    by_no = {r.no: r for r in rows}
    names: dict[str, list[NamedSubstance]] = {}
    by_cas: dict[str, list[NamedSubstance]] = {}

    def add(key: str, row: NamedSubstance) -> None:
        bucket = names.setdefault(normalise(key), [])
        if row not in bucket:
            bucket.append(row)

    for raw, row in zip(t1["rows"], rows, strict=True):
        add(raw["name"], row)
        for alias in _split_aliases(raw["alias"]):
            add(alias, row)
        for cas in row.cas:
            by_cas.setdefault(cas, []).append(row)
    for entry in extra["extra_names"]["rows"]:
        for name in entry["names"]:
            add(name, by_no[entry["no"]])

    table4 = {r["symbol"]: Decimal(r["beta"]) for r in beta["table4_by_category_symbol"]}
    table2 = {
        r["symbol"]: HazardCategory(
            r["symbol"], r["category"], r["description"], Decimal(r["critical_t"]), table4[r["symbol"]]
        )
        for r in t2["rows"]
    }
    table3 = {r["name"]: Decimal(r["beta"]) for r in beta["table3_named_toxic_gases"]}
    table3_rows = extra["table3_rows"]["rows"]
    return Tables(
        table1=rows,
        names={k: tuple(v) for k, v in names.items()},
        by_cas={k: tuple(v) for k, v in by_cas.items()},
        table2=table2,
        table3_by_no={table3_rows[name]: b for name, b in table3.items() if table3_rows[name] is not None},
        table3_by_name={normalise(name): b for name, b in table3.items()},
        alpha=tuple((r["min"], r["max"], Decimal(r["alpha"])) for r in beta["table5_alpha"]),
        grades=tuple((GRADES[g["grade"]], g["r_min"]) for g in beta["table6_grades"]),
    )


# --- input and result ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SubstanceIn:
    """One substance of the unit: name and/or CAS, the design maximum quantity q (4.2.2) in tonnes, and
    its 表2 category symbol(s) — required when the substance is not in 表1 (4.1.2 b)."""

    quantity_t: Decimal | None
    name: str | None = None
    cas: str | None = None
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class HeldCategory:
    """A category Anquan holds for a 表1 substance (models.SubstanceCategory), the β fallback."""

    symbols: tuple[str, ...]
    verified: bool
    source: str = ""


@dataclass(frozen=True)
class Line:
    substance: str
    table1_no: int | None
    cas: str | None
    categories: tuple[str, ...]  # the 表2 symbols used (for Q outside 表1, or for β outside 表3)
    q: Decimal
    critical_t: Decimal  # Q
    beta: Decimal | None  # None when it cannot be determined (only an error if the unit must be graded)
    beta_source: str | None  # "table3" | "request" | "catalogue" | "catalogue_unverified"
    ratio: Fraction  # q / Q


@dataclass(frozen=True)
class Result:
    unit_type: str
    s: Fraction
    is_major: bool
    alpha: Decimal | None = None
    r: Fraction | None = None
    grade: int | None = None
    lines: tuple[Line, ...] = field(default=())


# --- the calculation ----------------------------------------------------------------------------


def check_count(substances: Sequence[object]) -> None:
    """At most MAX_SUBSTANCES lines in one unit (checked before any line is looked at)."""
    if len(substances) > MAX_SUBSTANCES:
        raise ValidationFailed(
            [FieldError("substances", "too_many", f"一个单元最多填写{MAX_SUBSTANCES}种危险化学品")]
        )


def identify(
    unit_type: str | None,
    substances: Sequence[SubstanceIn] | None,
    exposed_persons: int | None = None,
    held: Mapping[int, HeldCategory] | None = None,
) -> Result:
    """Identify (4.2) and, when it is a major hazard installation, grade (4.3) one unit.

    Raises ValidationFailed with one FieldError per problem (field paths like `substances.0.category`).
    """
    t = tables()
    held = held or {}
    errors: list[FieldError] = []
    if unit_type not in UNIT_TYPES:
        errors.append(
            FieldError(
                "unit_type", "invalid_choice", "单元类型须为 production（生产单元）或 storage（储存单元）"
            )
        )
    if exposed_persons is not None and exposed_persons < 0:
        errors.append(FieldError("exposed_persons", "negative", "厂外暴露人员数量不能为负数"))
    elif exposed_persons is not None and exposed_persons > MAX_EXPOSED_PERSONS:
        errors.append(
            FieldError("exposed_persons", "out_of_range", f"厂外暴露人员数量不能超过{MAX_EXPOSED_PERSONS}")
        )
    if not substances:
        errors.append(FieldError("substances", "required", "请至少填写一种危险化学品"))
    check_count(substances or ())
    lines = []
    for i, substance in enumerate(substances or ()):
        line = _line(t, i, substance, held, errors)
        if line is not None:
            lines.append(line)
    if errors:
        raise ValidationFailed(errors)
    assert unit_type is not None  # one of UNIT_TYPES, refused above otherwise

    # 4.2.1: S = q1/Q1 + … + qn/Qn; S ≥ 1 → major hazard installation (single substance: q ≥ Q)
    s = sum((line.ratio for line in lines), Fraction(0))
    if s < 1:
        return Result(unit_type=unit_type, s=s, is_major=False, lines=tuple(lines))

    # 4.3: R = α (β1 q1/Q1 + … + βn qn/Qn)
    for i, line in enumerate(lines):
        if line.beta is None:
            errors.append(
                FieldError(
                    f"substances.{i}.category",
                    "beta_unknown",
                    f"「{line.substance}」不在表3中，系统也未收录其危险性类别，无法确定校正系数β（表4）；"
                    "请给出 category（表2符号）",
                )
            )
    if exposed_persons is None:
        errors.append(
            FieldError(
                "exposed_persons", "required", "构成重大危险源，分级需要厂区边界外 500 m 内的常住人口数量"
            )
        )
    if errors:
        raise ValidationFailed(errors)
    assert exposed_persons is not None  # refused above when missing
    alpha = alpha_for(exposed_persons)
    weighted = Fraction(0)
    for line in lines:
        assert line.beta is not None  # an unknown β was refused above
        weighted += Fraction(line.beta) * line.ratio
    r = Fraction(alpha) * weighted
    return Result(
        unit_type=unit_type, s=s, is_major=True, alpha=alpha, r=r, grade=grade_for(r), lines=tuple(lines)
    )


def alpha_for(exposed_persons: int) -> Decimal:
    """表5: α by the resident population within 500 m of the installation's boundary."""
    for low, high, alpha in tables().alpha:
        if exposed_persons >= low and (high is None or exposed_persons <= high):
            return alpha
    raise ValueError(f"no α for {exposed_persons} persons")


def grade_for(r: Fraction) -> int:
    """表6: R ≥ 100 一级; 100 > R ≥ 50 二级; 50 > R ≥ 10 三级; R < 10 四级."""
    for grade, r_min in tables().grades:
        if r_min is None or r >= Fraction(r_min):
            return grade
    raise ValueError(f"no grade for R={r}")


def _line(
    t: Tables, i: int, substance: SubstanceIn, held: Mapping[int, HeldCategory], errors: list[FieldError]
) -> Line | None:
    prefix = f"substances.{i}"
    n = len(errors)
    q = substance.quantity_t
    if q is None:
        errors.append(FieldError(f"{prefix}.quantity_t", "required", "请填写数量（吨）"))
    elif not q.is_finite() or q <= 0:
        errors.append(FieldError(f"{prefix}.quantity_t", "invalid", "数量（吨）须为正数"))
    elif q > MAX_QUANTITY_T or decimal_places(q) > QUANTITY_PLACES:
        errors.append(
            FieldError(f"{prefix}.quantity_t", "out_of_range", "数量（吨）不能超过 10 亿吨，最多 6 位小数")
        )
    symbols = tuple(dict.fromkeys(_symbol(c) for c in substance.categories))
    unknown = [c for c in symbols if c not in t.table2]
    if unknown:
        errors.append(
            FieldError(
                f"{prefix}.category",
                "invalid_choice",
                f"「{'、'.join(unknown)}」不是表2的危险性类别符号（J1–J5、W1.1–W11）",
            )
        )
    name = (substance.name or "").strip() or None
    cas = unicodedata.normalize("NFKC", substance.cas or "").strip() or None
    if name is None and cas is None:
        errors.append(FieldError(f"{prefix}.name", "required", "请填写危险化学品名称或 CAS 号"))
        return None
    if cas is not None and not valid_cas(cas):
        errors.append(FieldError(f"{prefix}.cas", "invalid", f"CAS 号「{cas}」格式或校验位不正确"))
        return None
    before_match = len(errors)
    row = _match(t, prefix, name, cas, errors)
    matched = len(errors) == before_match  # no ambiguity or CAS conflict
    label = row.name if row else (name or f"CAS {cas}")

    # 4.1.2 a): a 表1 substance takes its 表1 critical quantity; b) otherwise 表2 by its category,
    # and with several hazards the LOWEST of their critical quantities.
    critical = None
    if row is not None:
        critical = row.critical_t
    elif symbols and not unknown:
        critical = min(t.table2[c].critical_t for c in symbols)
    elif not symbols and matched:
        errors.append(
            FieldError(
                f"{prefix}.category",
                "required",
                f"「{label}」不在 GB 18218-2018 表1中，须给出危险性类别 category（表2符号，如 W2）"
                + _qualified_hint(t, name, cas),
            )
        )
    if len(errors) > n or critical is None or q is None:
        return None

    # 4.3 / 表3–表4: β from 表3 for the named toxic gases, otherwise from 表4 by the category symbol.
    # With several categories Anquan takes the highest β (the standard does not say; conservative).
    beta, source, used = _beta(t, row, name, symbols, held)
    return Line(
        substance=label,
        table1_no=row.no if row else None,
        cas=cas or (row.cas[0] if row and row.cas else None),
        categories=used,
        q=q,
        critical_t=critical,
        beta=beta,
        beta_source=source,
        ratio=Fraction(q) / Fraction(critical),
    )


def _beta(
    t: Tables,
    row: NamedSubstance | None,
    name: str | None,
    symbols: tuple[str, ...],
    held: Mapping[int, HeldCategory],
) -> tuple[Decimal | None, str | None, tuple[str, ...]]:
    if row is not None and row.no in t.table3_by_no:
        return t.table3_by_no[row.no], "table3", symbols
    if row is None and name is not None and normalise(name) in t.table3_by_name:
        return t.table3_by_name[normalise(name)], "table3", symbols
    if symbols:
        return max(t.table2[c].beta for c in symbols), "request", symbols
    entry = held.get(row.no) if row is not None else None
    if entry is not None and entry.symbols:
        source = "catalogue" if entry.verified else "catalogue_unverified"
        return max(t.table2[c].beta for c in entry.symbols), source, entry.symbols
    return None, None, ()


def _match(
    t: Tables, prefix: str, name: str | None, cas: str | None, errors: list[FieldError]
) -> NamedSubstance | None:
    """The 表1 row meant by a name (name, alias or extra name) and/or a CAS number, or None."""
    by_name = t.names.get(normalise(name), ()) if name else ()
    by_cas = t.by_cas.get(cas, ()) if cas else ()
    if by_name:
        candidates = by_name
        if cas is not None:
            candidates = tuple(r for r in by_name if not r.cas or cas in r.cas)
            if not candidates:
                errors.append(
                    FieldError(
                        f"{prefix}.cas",
                        "mismatch",
                        f"CAS 号 {cas} 与表1中「{name}」的 CAS 号 {'、'.join(by_name[0].cas)} 不符",
                    )
                )
                return None
    else:
        # a CAS number alone does not pick a row restricted by content or form (e.g. 甲醛（含量＞90%))
        candidates = tuple(r for r in by_cas if not r.qualified)
    if len(candidates) > 1:
        errors.append(
            FieldError(
                f"{prefix}.name",
                "ambiguous",
                f"「{name or cas}」对应表1中多个条目：{_rows(candidates)}；请使用其中一个的完整名称",
            )
        )
        return None
    return candidates[0] if candidates else None


def _qualified_hint(t: Tables, name: str | None, cas: str | None) -> str:
    """Rows restricted by content or form that the caller may have meant ("甲醛" → 甲醛（含量＞90%)）."""
    key = normalise(name) if name else None

    def meant(row: NamedSubstance) -> bool:
        if cas is not None and cas in row.cas:
            return True
        full = normalise(row.name)
        return (
            key is not None
            and bool(key)
            and full.startswith(key)
            and full[len(key) : len(key) + 1] in ("(", "[")
        )

    rows = [r for r in t.table1 if r.qualified and meant(r)]
    if not rows:
        return ""
    return f"。表1中有限定条件的相近条目：{_rows(rows)}；如符合该条件，请使用其完整名称"


def _rows(rows: Iterable[NamedSubstance]) -> str:
    return "；".join(f"第{r.no}项「{r.name}」" for r in rows)


def _symbol(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip().upper()


def valid_cas(cas: str) -> bool:
    """CAS Registry Number: digits-digits-check digit, the check digit being Σ(position × digit) mod 10."""
    match = CAS_RE.match(cas)
    if not match:
        return False
    digits = (match.group(1) + match.group(2))[::-1]
    return sum(i * int(d) for i, d in enumerate(digits, start=1)) % 10 == int(match.group(3))
