"""Campaigns for the every-operation test (issue #15): 濂溪区's own draft campaign (its office edits and activates
it) with one line of its task list that names no unit, so the county office itself carries it (`start`)."""

from __future__ import annotations

import datetime as dt


def seed_campaigns(world) -> tuple[dict, dict, dict]:
    from anquan.campaigns import services
    from anquan.regions.models import Region

    office = world.users["county_office"]
    campaign = services.create_campaign(
        region=Region.objects.get(code="360402"),
        raw={
            "name": "濂溪区安全生产治本攻坚三年行动",
            "starts_on": dt.date(2024, 1, 1),
            "ends_on": dt.date(2026, 12, 31),
        },
        actor=office,
    )
    task = services.create_task(
        campaign, number="1", title="开展重大事故隐患排查整治", units=[], actor=office
    )
    # the task's own routes by operation: `campaign_task_id` of the other routes is the dispatch seeds' sub-task
    operations = {
        f"{method} /api/v1/campaign-tasks/{{campaign_task_id}}{tail}": {"campaign_task_id": task.pk}
        for method, tail in (("GET", ""), ("POST", "/transitions"), ("GET", "/events"))
    }
    return {"campaign_id": campaign.pk}, operations, {"campaign": campaign.pk}


OVERRIDES = {
    "PUT /api/v1/campaigns/{campaign_id}/stages": {
        "body": {"stages": [{"name": "动员部署", "starts_on": "2026-01-01", "ends_on": "2026-01-31"}]}
    },
    "PUT /api/v1/campaigns/{campaign_id}/battles": {"body": {"battles": [{"name": "危险化学品安全攻坚战"}]}},
    "POST /api/v1/campaigns": {
        "body": {"name": "濂溪区百日行动", "starts_on": "2026-01-01", "ends_on": "2026-12-31"}
    },
}
