"""The campaign-progress section (专项整治推进情况, issue #15 item 4) of the monthly dispatch and the quarterly
bulletin: for each campaign of the bulletin's region that is under way (or closed within the period), its task
list's progress as of the last day the figures cover — lines verified done by then / lines of the list, the
rule of anquan.campaigns.stats — and the parts overdue now, as the user who generates the bulletin sees them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from anquan.campaigns import stats
from anquan.campaigns.choices import CampaignStatus, TaskStatus
from anquan.regions.models import Region

from .periods import CalendarPeriod


def rows(user: Any, region: Region, period: CalendarPeriod) -> list[dict[str, Any]]:
    campaigns = (
        stats.visible_campaigns(user)
        .filter(region=region, starts_on__lte=period.data_end)
        .filter(Q(status=CampaignStatus.ACTIVE) | Q(status=CampaignStatus.CLOSED, ends_on__gte=period.start))
        .order_by("starts_on", "id")
    )
    out = []
    for campaign in campaigns:
        tasks = stats.counted(campaign, user)
        total = tasks.count()
        if not total:
            continue
        done = tasks.filter(status=TaskStatus.VERIFIED_DONE, verified_on__lte=period.data_end).count()
        overdue = tasks.filter(status=TaskStatus.OVERDUE).count()
        out.append(
            {
                "name": campaign.name,
                "total": total,
                "verified_done": done,
                "overdue": overdue,
                "rate": stats.rate(done, total),
                "sentence": stats.sentence(total, done),
            }
        )
    return out


def section(user: Any, region: Region, period: CalendarPeriod) -> dict[str, Any] | None:
    """`summary` ("截至11月30日，江西省安全生产专项整治三年行动“十大攻坚战”239项任务，已完成227项，完成率95.0%，
    逾期8项。") and the `campaigns`; None when the region has no campaign under way (the section is left out)."""
    found = rows(user, region, period)
    if not found:
        return None
    day = period.data_end
    parts = [
        f"{c['name']}{c['sentence']}" + (f"，逾期{c['overdue']}项" if c["overdue"] else "") for c in found
    ]
    return {"summary": f"截至{day.month}月{day.day}日，" + "；".join(parts) + "。", "campaigns": found}
