"""The rolling flags section (流动红旗、流动黄旗, issue #15 item 7) of the bulletins: the flags held in the area at the
end of the bulletin's period — awarded for a period that ended by then and not yet passed on by that day — as the
user who generates the bulletin sees them (`assessments.flags.visible`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from anquan.assessments.choices import FlagColour
from anquan.assessments.flags import visible
from anquan.core.scope import within
from anquan.regions.models import Region

from .periods import CalendarPeriod


def held(user: Any, region: Region, period: CalendarPeriod) -> dict[str, list[str]]:
    """Holder names by colour (red, yellow), in order of rank and region code."""
    day = period.data_end
    flags = (
        visible(user)
        .filter(within(region.prefix), period_end__lte=day, awarded_on__lte=day)
        .filter(Q(passed_on__isnull=True) | Q(passed_on__gt=day))
        .order_by("colour", "rank", "region_code", "id")
    )
    out: dict[str, list[str]] = {FlagColour.RED: [], FlagColour.YELLOW: []}
    for flag in flags:
        label = f"{flag.holder_name}（{flag.period_label}）"
        if label not in out[flag.colour]:
            out[flag.colour].append(label)
    return out


def section(user: Any, region: Region, period: CalendarPeriod, area: str) -> dict[str, Any] | None:
    """`summary` ("截至2026年11月30日，全市持有安全生产流动红旗的有：濂溪区（2025年度）；挂流动黄旗的有：浔阳区
    （2025年度）。") with the `red` and `yellow` holders; None when nobody holds a flag (the section is left out)."""
    holders = held(user, region, period)
    red, yellow = holders[FlagColour.RED], holders[FlagColour.YELLOW]
    if not red and not yellow:
        return None
    day = f"{period.data_end.year}年{period.data_end.month}月{period.data_end.day}日"
    parts = []
    if red:
        parts.append("持有安全生产流动红旗的有：" + "、".join(red))
    if yellow:
        parts.append("挂流动黄旗的有：" + "、".join(yellow))
    return {"summary": f"截至{day}，{area}" + "；".join(parts) + "。", "red": red, "yellow": yellow}
