"""The official way of stating figures against a base (同比/环比), as bulletins write them.

- Changes are percentages of the base with one decimal, rounded half up: 99 against 131 is
  "下降24.4%" ((131 − 99) / 131 = 24.427…%).
- Equal figures are "持平".
- A base of zero has no percentage: 0 against 0 is "持平"; n > 0 against 0 is "增加n起" (or 人),
  with "（上年同期为零）" so the reader knows why there is no percentage. A zero base is a recorded zero:
  where last year is not known (the system was not in use and no office entered its totals) the base is
  None and the comparison is left out (an empty phrase), never "为零".
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from anquan.core import periods


def percent_change(current, base) -> Decimal | None:
    if base is None:
        return None
    current, base = Decimal(str(current)), Decimal(str(base))
    if base == 0:
        return None
    return ((current - base) * 100 / base).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def change(
    current, base: int | float | None, *, unit: str = "起", prefix: str = "同比", base_name: str = "上年同期"
) -> str:
    """ "同比下降24.4%", "同比上升5.0%", "同比持平", "同比增加3起（上年同期为零）"; "" when the base is unknown."""
    if base is None:
        return ""
    pct = percent_change(current, base)
    if pct is None:
        return (
            f"{prefix}持平"
            if Decimal(str(current)) == 0
            else f"{prefix}增加{current}{unit}（{base_name}为零）"
        )
    if pct == 0:
        return f"{prefix}持平"
    return f"{prefix}{'上升' if pct > 0 else '下降'}{abs(pct)}%"


def pair(
    count: int, count_base: int | None, deaths: int, deaths_base: int | None, *, prefix: str = "同比"
) -> str:
    """起数 and 死亡人数 together: "同比分别下降24.4%、7.1%" when both move the same way with percentages;
    "" when the bases are unknown."""
    if count_base is None or deaths_base is None:
        return ""
    a, b = percent_change(count, count_base), percent_change(deaths, deaths_base)
    if a is not None and b is not None and a != 0 and b != 0 and (a > 0) == (b > 0):
        return f"{prefix}分别{'上升' if a > 0 else '下降'}{abs(a)}%、{abs(b)}%"
    return (
        f"起数{change(count, count_base, unit='起', prefix=prefix)}，"
        f"死亡人数{change(deaths, deaths_base, unit='人', prefix=prefix)}"
    )


def period_label(start: dt.date, end: dt.date) -> str:
    """ "1-11月", "11月", "截至12月1日", "10月1日至12月1日" (`anquan.core.periods.label`)."""
    return periods.label(start, end)


def area_word(region) -> str:
    """ "全省", "全市", "全县", "全区" — how a bulletin names the whole of its own area."""
    if region.level == 1:
        return "全省"
    if region.level == 2 or region.name.endswith("市"):
        return "全市"
    for suffix in ("街道", "县", "区", "镇", "乡"):
        if region.name.endswith(suffix):
            return "全" + suffix
    return "全" + region.name[-1]
