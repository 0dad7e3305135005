"""Dispatches for the every-operation test (issue #15, dispatch15): a campaign of 濂溪区 with one line fanned out
to 濂溪区 itself (the county office reports on it) and to a township (missing: reminded), and its open dispatch of
this month (its sheet, reminders, the report, then closed)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def seed_dispatch(world) -> tuple[dict, dict]:
    from anquan.campaigns import dispatching
    from anquan.campaigns.choices import CampaignStatus
    from anquan.campaigns.models import Campaign, Task
    from anquan.regions.models import Region

    today = timezone.localdate()
    county = Region.objects.get(code="360402")
    campaign = Campaign.objects.create(
        region=county,
        name="濂溪区安全生产百日行动",
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=70),
        status=CampaignStatus.ACTIVE,
    )
    line = Task.objects.create(campaign=campaign, number="1", title="开展燃气安全专项排查", region=county)
    own = Task.objects.create(campaign=campaign, parent=line, number="1", title=line.title, region=county)
    township = Task.objects.create(
        campaign=campaign, parent=line, number="1", title=line.title, region=world.t1
    )
    dispatch = dispatching.open_dispatch(
        campaign,
        period=today,
        opens_on=today - dt.timedelta(days=5),
        due_on=today + dt.timedelta(days=5),
        actor=world.users["county_office"],
    )
    return {"dispatch_id": dispatch.pk, "campaign_task_id": own.pk}, {
        "dispatch_campaign": campaign.pk,
        "dispatch_missing_task": township.pk,
    }


OVERRIDES = {
    "POST /api/v1/dispatches": {
        "body": lambda seeds: {
            "campaign": seeds.keys["dispatch_campaign"],
            "period": (timezone.localdate() + dt.timedelta(days=40)).isoformat(),
            "opens_on": timezone.localdate().isoformat(),
            "due_on": (timezone.localdate() + dt.timedelta(days=45)).isoformat(),
        }
    },
    "POST /api/v1/dispatches/{dispatch_id}/reminders": {
        "body": lambda seeds: {"tasks": [seeds.keys["dispatch_missing_task"]], "message": "请尽快报送"}
    },
    "POST /api/v1/dispatches/{dispatch_id}/transitions": {"body": {"action": "close"}},
    "POST /api/v1/campaign-tasks/{campaign_task_id}/reports": {
        "body": lambda seeds: {"dispatch": seeds.ids["dispatch_id"], "text": "已排查燃气用户120户"}
    },
}
