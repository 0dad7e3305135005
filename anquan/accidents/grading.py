"""Accident grading by State Council Decree 493 (《生产安全事故报告和调查处理条例》), art. 3.

Thresholds come from data/accident_grades.json (verified against the decree's text). Art. 3 para. 3:
"以上" includes the number, "以下" does not; the three figures are alternatives, so the grade is the
highest any one of them reaches.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "accident_grades.json"
ORDER = ["ordinary", "larger", "major", "especially_major"]  # lowest first
CODE_TO_GRADE = {"YB": "ordinary", "JD": "larger", "ZD": "major", "TBZD": "especially_major"}
LABELS = {
    "ordinary": "一般事故",
    "larger": "较大事故",
    "major": "重大事故",
    "especially_major": "特别重大事故",
}


@dataclass(frozen=True)
class Threshold:
    grade: str
    deaths_min: int
    serious_min: int
    loss_min: Decimal


@cache
def thresholds() -> list[Threshold]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    rows = [
        Threshold(
            CODE_TO_GRADE[g["code"]],
            g["deaths_min"],
            g["serious_injuries_min"],
            Decimal(g["direct_loss_min_cny"]),
        )
        for g in data["grades"]
    ]
    return sorted(rows, key=lambda t: ORDER.index(t.grade))


@dataclass(frozen=True)
class Grading:
    grade: str
    label: str
    reasons: list[str]


def _yuan(amount: Decimal) -> str:
    wan = amount / Decimal(10000)
    return f"{wan.normalize():f}万元" if amount >= 10000 else f"{amount.normalize():f}元"


def grade(
    deaths: int,
    serious_injuries: int,
    direct_loss_yuan: Decimal | int | str,
    missing: int = 0,
    count_missing_as_deaths: bool = False,
) -> Grading:
    """The grade and, for each figure that reaches it, the reason in the decree's words."""
    loss = Decimal(str(direct_loss_yuan))
    dead = deaths + (missing if count_missing_as_deaths else 0)

    def reached(value, attr) -> str:
        return max((t.grade for t in thresholds() if value >= getattr(t, attr)), key=ORDER.index)

    by_figure = {
        "deaths": reached(dead, "deaths_min"),
        "serious_injuries": reached(serious_injuries, "serious_min"),
        "direct_loss": reached(loss, "loss_min"),
    }
    result = max(by_figure.values(), key=ORDER.index)
    limit = {t.grade: t for t in thresholds()}[result]
    reasons = []
    if result == "ordinary":
        reasons.append(
            "死亡3人以下、重伤10人以下、直接经济损失1000万元以下，为一般事故（第三条第一款第四项）"
        )
    else:
        clause = {"larger": "第三项", "major": "第二项", "especially_major": "第一项"}[result]
        if by_figure["deaths"] == result:
            who = f"死亡{deaths}人" + (
                f"（含失踪{missing}人）" if count_missing_as_deaths and missing else ""
            )
            reasons.append(f"{who}，达到{LABELS[result]}标准（{limit.deaths_min}人以上）")
        if by_figure["serious_injuries"] == result:
            reasons.append(
                f"重伤（含急性工业中毒）{serious_injuries}人，达到{LABELS[result]}标准（{limit.serious_min}人以上）"
            )
        if by_figure["direct_loss"] == result:
            reasons.append(
                f"直接经济损失{_yuan(loss)}，达到{LABELS[result]}标准（{_yuan(limit.loss_min)}以上）"
            )
        reasons.append(f"依据《生产安全事故报告和调查处理条例》第三条第一款{clause}")
    return Grading(result, LABELS[result], reasons)
