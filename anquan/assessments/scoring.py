"""Points from figures, the breakdown of a score, and ranking with the scheme's tie rule (pure functions).

Each criterion's points are rounded to 0.01 (half up) before they are added, so a breakdown adds up to its total
exactly. Ranking: higher total first; equal totals → the higher points on the scheme's tie-break criteria, compared
in their order; still equal → the same rank (the next rank skips: 1, 1, 3), listed by region code.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .criteria import NO_DATA, Reading
from .rules import Criterion, Scheme

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def points_for(criterion: Criterion, value: Decimal | None) -> Decimal:
    """The points the figure earns by the criterion's rule, in [0, maximum], to 0.01; no figure → 0."""
    if value is None:
        return ZERO
    top = criterion.max_points
    if criterion.rule == "linear":
        assert criterion.floor is not None and criterion.target is not None  # the schema requires both
        share = (value - criterion.floor) / (criterion.target - criterion.floor)
        points = top * min(max(share, Decimal(0)), Decimal(1))
    elif criterion.rule == "deduct":
        assert criterion.per_unit is not None
        points = min(max(top - criterion.per_unit * value, Decimal(0)), top)
    else:  # manual: the entered points, already checked against the maximum
        points = value
    return points.quantize(CENT, rounding=ROUND_HALF_UP)


def line(criterion: Criterion, reading: Reading | None) -> dict[str, Any]:
    """One criterion's line of a breakdown: what was read, from where, and the points it earned."""
    reading = reading or Reading(None, NO_DATA, "")
    points = points_for(criterion, reading.value)
    return {
        "key": criterion.key,
        "name": criterion.name,
        "metric": criterion.metric,
        "value": None if reading.value is None else str(reading.value),
        "figure": reading.figure,
        "source": reading.source,
        "rule": criterion.explanation,
        "points": str(points),
        "max": str(criterion.max_points.quantize(CENT)),
        "no_data": reading.value is None,
    }


def total_of(breakdown: list[dict[str, Any]]) -> Decimal:
    return sum((Decimal(item["points"]) for item in breakdown), ZERO)


@dataclass
class Ranked:
    key: str  # the subject key
    code: str  # region code (then department id) for the listing order
    total: Decimal
    points: dict[str, Decimal]
    rank: int = 0
    order: int = 0


def rank(entries: list[Ranked], scheme: Scheme) -> list[Ranked]:
    """The entries in listing order with their rank and order (1-based) set by the scheme's tie rule."""

    def standing(entry: Ranked) -> tuple[Decimal, ...]:
        return (entry.total, *(entry.points.get(k, ZERO) for k in scheme.tie_break))

    ordered = sorted(entries, key=lambda e: tuple(-x for x in standing(e)) + (e.code,))  # type: ignore[operator]
    previous: tuple[Decimal, ...] | None = None
    for position, entry in enumerate(ordered, 1):
        entry.order = position
        here = standing(entry)
        entry.rank = ordered[position - 2].rank if here == previous else position
        previous = here
    return ordered


def flagged(entries: list[Ranked], scheme: Scheme) -> tuple[list[Ranked], list[Ranked]]:
    """(red, yellow) by the scheme's rule: red for the first `red_count` places, yellow for the last `yellow_count`;
    a group tied on rank gets a flag only when the whole group lies within those places (never more flags than the
    scheme's count: when eleven counties share the last rank, none of them is singled out); nobody gets both."""
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for e in entries:
        first[e.rank] = min(first.get(e.rank, e.order), e.order)
        last[e.rank] = max(last.get(e.rank, e.order), e.order)
    red = [e for e in entries if last[e.rank] <= scheme.red_count]
    cut = len(entries) - scheme.yellow_count
    yellow = [e for e in entries if first[e.rank] > cut and e not in red]
    return red, yellow


def tie_rule(scheme: Scheme) -> str:
    names = "、".join(scheme.criterion(k).name for k in scheme.tie_break)
    return (
        f"总分高者在前；总分相同的，依次比较{names}的得分，高者在前；仍相同的，名次并列，按行政区划代码顺序排列。"
        if names
        else "总分高者在前；总分相同的，名次并列，按行政区划代码顺序排列。"
    )


def flag_rule(scheme: Scheme) -> str:
    return (
        f"前{scheme.red_count}名授予流动红旗，后{scheme.yellow_count}名挂流动黄旗；并列名次跨过名额的，并列者均不授旗；"
        "下一期重新评定，旗帜流动。"
    )
