"""The monitoring section (监测预警情况, issue #16 item 4) of the monthly dispatch: the alarms raised in the month by
warning level, the median acknowledgement time, the enterprises' overall online rate, and the enterprises listed
for enforcement (persistent offline or stuck sensors, online rate under the rule's line), from
`anquan.monitoring.stats` as the user who generates the bulletin sees them."""

from __future__ import annotations

from typing import Any

from anquan.core.scope import restrict, within
from anquan.monitoring import stats
from anquan.monitoring.models import Alarm, MonitoringPoint
from anquan.regions.models import Region

from .periods import CalendarPeriod


def section(user: Any, region: Region, period: CalendarPeriod, area: str) -> dict[str, Any] | None:
    """`summary` ("11月，全市接入监测预警的企业2家、监测点5个，共发生报警3起（红色1起、黄色2起），确认用时中位数
    4.0分钟；监测数据在线率92.5%。1家企业列入执法关注：修水化学有限公司（2个监测点持续离线24小时以上）。") with
    the `figures`; None when the area has no monitoring point (the section is left out)."""
    live = restrict(MonitoringPoint, user).filter(within(region.prefix), retired_at__isnull=True)
    if not live.exists():
        return None
    data = stats.figures(
        restrict(MonitoringPoint, user), restrict(Alarm, user), region, period.start, period.data_end
    )
    enterprises = live.values("enterprise_id").distinct().count()
    when = f"{period.month}月" if period.month else period.label
    text = f"{when}，{area}接入监测预警的企业{enterprises}家、监测点{live.count()}个，"
    levels = "、".join(
        f"{stats.LEVEL_WORDS[row['level']]}{row['count']}起" for row in data["by_level"] if row["count"]
    )
    text += f"共发生报警{data['total']}起" + (f"（{levels}）" if levels else "")
    median = data["times"]["acknowledge_median_min"]
    text += f"，确认用时中位数{median:g}分钟" if median is not None else ""
    expected = sum(row["expected"] for row in data["online"])
    received = sum(row["received"] for row in data["online"])
    if expected:
        text += f"；监测数据在线率{min(received / expected, 1) * 100:.1f}%"
    listed = data["listed"]
    if listed:
        names = "；".join(f"{x['name']}（{'，'.join(x['reasons'])}）" for x in listed)
        text += f"。{len(listed)}家企业列入执法关注：{names}。"
    else:
        text += "。"
    return {"summary": text, "figures": data}
