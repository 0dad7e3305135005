"""LEC and LS risk scoring against a band table (pure: no Django).

LEC (作业条件危险性评价法, Graham–Kinney): D = L × E × C, each factor taken from a fixed value table.
LS (风险矩阵法): R = L × S, L and S each scored 1–5. Neither is a national standard; the value tables
and the bands come from shared/reference §2 (data/lec.json, data/ls_matrix.json) and are stored as
versioned band tables (see models.RiskBandTable) so a province can adopt its own bands.

Endpoint convention of every band: min_score inclusive, max_score exclusive (None = unbounded), the
lowest band starting at 0. Scores are exact Decimal products of the table values.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from anquan.core.errors import FieldError, ValidationFailed

from .exact import decimal_places

DATA = Path(__file__).parent / "data"

LEC = "LEC"
LS = "LS"
METHODS = (LEC, LS)
FACTORS: dict[str, tuple[str, ...]] = {LEC: ("L", "E", "C"), LS: ("L", "S")}
FACTOR_NAMES: dict[str, dict[str, str]] = {
    LEC: {"L": "事故发生的可能性 L", "E": "暴露于危险环境的频繁程度 E", "C": "发生事故可能造成的后果 C"},
    LS: {"L": "事故发生的可能性 L", "S": "事故后果严重性 S"},
}
LEVELS = ("red", "orange", "yellow", "blue")
LEVEL_LABELS = {"red": "重大风险", "orange": "较大风险", "yellow": "一般风险", "blue": "低风险"}


@dataclass(frozen=True)
class ScaleValue:
    value: Decimal
    label: str = ""


@dataclass(frozen=True)
class Band:
    """One band: min_score ≤ score < max_score (max_score None = no upper bound)."""

    min_score: Decimal
    max_score: Decimal | None
    level: str
    label: str = ""

    def contains(self, score: Decimal) -> bool:
        return self.min_score <= score and (self.max_score is None or score < self.max_score)


@dataclass(frozen=True)
class BandTable:
    method: str
    code: str
    name: str
    factors: Mapping[str, tuple[ScaleValue, ...]]
    bands: tuple[Band, ...]
    version: int = 1
    region_code: str = ""
    verified: bool = False
    source: str = ""
    id: int | None = None


@dataclass(frozen=True)
class Assessment:
    method: str
    score: Decimal
    band: Band
    table: BandTable

    @property
    def level(self) -> str:
        return self.band.level


def fmt(value: Decimal) -> str:
    """10 → "10", 0.50 → "0.5" (for messages)."""
    text = format(value.normalize(), "f")
    return text


MAX_BOUND = Decimal(10) ** 8  # what models.RiskBand stores (12 digits, 4 decimal places)
MAX_FACTOR = Decimal(10) ** 6  # models.RiskFactorValue (10 digits, 4 decimal places)
PLACES = 4


def storable(value: Decimal, limit: Decimal) -> bool:
    """Finite, 0 ≤ value < limit, at most 4 decimal places."""
    return value.is_finite() and 0 <= value < limit and decimal_places(value) <= PLACES


def band_problems(bands: Sequence[Band]) -> list[str]:
    """Why a list of bands is not a valid table (empty list = valid).

    Valid: at least one band; levels among red/orange/yellow/blue; sorted by min_score the bands start
    at 0, each ends where the next begins (no gap, no overlap), and only the highest is unbounded.
    """
    if not bands:
        return ["至少需要一个分级区间"]
    problems = []
    for band in bands:
        if not all(storable(x, MAX_BOUND) for x in (band.min_score, band.max_score) if x is not None):
            return ["分级界限须为 0 至 100000000 之间、最多 4 位小数的数"]
    for band in bands:
        if band.level not in LEVELS:
            problems.append(f"风险等级「{band.level}」无效，可选：{'、'.join(LEVELS)}")
        if band.max_score is not None and band.max_score <= band.min_score:
            problems.append(f"区间 [{fmt(band.min_score)}, {fmt(band.max_score)}) 的上限必须大于下限")
    ordered = sorted(bands, key=lambda b: b.min_score)
    if ordered[0].min_score != 0:
        problems.append("最低一档的下限必须为 0")
    for lower, upper in zip(ordered, ordered[1:], strict=False):
        if lower.max_score != upper.min_score:
            problems.append(
                f"区间不连续或重叠：{fmt(lower.min_score)} 档的上限应等于下一档的下限 {fmt(upper.min_score)}"
            )
    if ordered[-1].max_score is not None:
        problems.append("最高一档不应有上限")
    return problems


def band_for(score: Decimal, bands: Sequence[Band]) -> Band:
    """The band containing `score` (min inclusive, max exclusive)."""
    for band in bands:
        if band.contains(score):
            return band
    raise ValueError(f"score {score} is outside every band")


def factor_problems(method: str, factors: Mapping[str, Sequence[ScaleValue]]) -> list[str]:
    problems = []
    for factor in FACTORS[method]:
        values = [v.value for v in factors.get(factor, ())]
        if not values:
            problems.append(f"缺少 {factor} 的取值表")
        elif any(v == 0 or not storable(v, MAX_FACTOR) for v in values):
            problems.append(f"{factor} 的取值须为 0 至 1000000 之间（不含 0）、最多 4 位小数的数")
        elif len(set(values)) != len(values):
            problems.append(f"{factor} 的取值有重复")
    extra = set(factors) - set(FACTORS[method])
    if extra:
        problems.append(f"{method} 法没有因子 {'、'.join(sorted(extra))}")
    return problems


def assess(method: str, values: Mapping[str, Decimal | None], table: BandTable) -> Assessment:
    """Score one assessment. `values` is keyed by lower-case factor name ("l", "e", "c" / "l", "s").

    Every value must be one of the table's values for that factor (LEC: lec.json L/E/C; LS: 1–5);
    anything else is a field error, so a mixed-up E/C pick-list cannot go unnoticed.
    """
    if method not in METHODS:
        raise ValidationFailed([FieldError("method", "invalid_choice", "评价方法须为 LEC 或 LS")])
    if table.method != method:
        raise ValidationFailed(
            [
                FieldError(
                    "band_table", "wrong_method", f"所选分级表适用于 {table.method} 法，不适用于 {method} 法"
                )
            ]
        )
    errors = []
    score = Decimal(1)
    for factor in FACTORS[method]:
        field = factor.lower()
        value = values.get(field)
        allowed = [v.value for v in table.factors[factor]]
        choices = "、".join(fmt(v) for v in allowed)
        if value is None:
            errors.append(
                FieldError(field, "required", f"请填写{FACTOR_NAMES[method][factor]}，可选：{choices}")
            )
        elif not value.is_finite() or value not in allowed:
            errors.append(
                FieldError(
                    field,
                    "not_in_table",
                    f"{FACTOR_NAMES[method][factor]} 的取值 {value} 不在取值表中，可选：{choices}",
                )
            )
        else:
            score *= value
    if errors:
        raise ValidationFailed(errors)
    return Assessment(method=method, score=score, band=band_for(score, table.bands), table=table)


# --- default tables from the reference data (also what the data migration seeds) ---------------


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / name).read_text(encoding="utf-8"), parse_float=Decimal)
    return data


def default_factors(method: str) -> dict[str, tuple[ScaleValue, ...]]:
    """LEC: the L/E/C value tables of lec.json; LS: 1–5 for L and S (ls_matrix.json)."""
    if method == LEC:
        data = _load("lec.json")
        return {
            f: tuple(ScaleValue(Decimal(str(row["value"])), row["label"]) for row in data[f])
            for f in FACTORS[LEC]
        }
    return {f: tuple(ScaleValue(Decimal(n), f"{n} 分") for n in range(1, 6)) for f in FACTORS[LS]}


@cache
def default_table_specs() -> tuple[dict[str, Any], ...]:
    return tuple(_load("default_band_tables.json")["tables"])


def default_table(method: str) -> BandTable:
    """The national default of `method` as shipped in data/default_band_tables.json (version 1)."""
    spec = next(s for s in default_table_specs() if s["method"] == method)
    return BandTable(
        method=method,
        code=spec["code"],
        name=spec["name"],
        factors=default_factors(method),
        bands=tuple(
            Band(Decimal(b["min"]), None if b["max"] is None else Decimal(b["max"]), b["level"], b["label"])
            for b in spec["bands"]
        ),
        verified=spec["verified"],
        source=spec["source"],
    )
