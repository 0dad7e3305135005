"""Out of scope is 404 on every campaign route (pages and API): 修水县 meets 濂溪区's campaign, its stages, battles,
tasks (their units, targets and events) — reads and writes alike; the lists leave them out."""

import pytest
from django.test import Client

from anquan.campaigns import services
from anquan.regions.models import Region
from tests.conftest import login

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_another_county_gets_404_everywhere(world, api_token):
    office = world.users["county_office"]
    campaign = services.create_campaign(
        region=Region.objects.get(code="360402"),
        raw={"name": "濂溪区百日行动", "starts_on": "2026-01-01", "ends_on": "2026-12-31"},
        actor=office,
    )
    services.set_stages(
        campaign, [{"name": "动员部署", "starts_on": "2026-01-01", "ends_on": "2026-01-31"}], actor=office
    )
    services.set_battles(campaign, [{"name": "危险化学品攻坚战"}], actor=office)
    task = services.create_task(
        campaign,
        number="1",
        title="排查整治",
        units=[
            {
                "role": "implement",
                "text": "各乡镇",
                "kind": "child_regions",
                "region": None,
                "department": None,
            }
        ],
        targets=[
            {
                "name": "隐患整改率",
                "unit": "%",
                "planned": "100",
                "source": "automatic",
                "metric": "hazard_rectification_rate",
            }
        ],
        actor=office,
    )
    sub = task.subtasks.first()
    other = login(world.users["county_office_b"])
    for url in (
        f"/campaigns/{campaign.pk}/",
        f"/campaigns/{campaign.pk}/edit/",
        f"/campaigns/{campaign.pk}/dashboard/",
        f"/campaigns/tasks/{task.pk}/",
        f"/campaigns/tasks/{sub.pk}/",
    ):
        assert other.get(url).status_code == 404, url
    for url, body in (
        (f"/campaigns/{campaign.pk}/transition/", {"action": "activate"}),
        (
            f"/campaigns/{campaign.pk}/tasks/new/",
            {"number": "2", "title": "x", "implementing": "child_regions"},
        ),
        (f"/campaigns/tasks/{sub.pk}/transition/", {"action": "start"}),
    ):
        assert other.post(url, body).status_code == 404, url
    assert "濂溪区百日行动" not in other.get("/campaigns/").content.decode()
    assert "排查整治" not in other.get("/campaigns/tasks/").content.decode()
    token = api_token("county_office_b")
    for url in (
        f"/api/v1/campaigns/{campaign.pk}",
        f"/api/v1/campaigns/{campaign.pk}/stages",
        f"/api/v1/campaigns/{campaign.pk}/battles",
        f"/api/v1/campaign-tasks/{task.pk}",
        f"/api/v1/campaign-tasks/{sub.pk}/events",
        f"/api/v1/stats/campaigns?campaign={campaign.pk}",
    ):
        assert Client().get(url, **token).status_code == 404, url
    api = Client()
    assert (
        api.patch(f"/api/v1/campaigns/{campaign.pk}", {"name": "x"}, content_type=JSON, **token).status_code
        == 404
    )
    assert (
        api.put(
            f"/api/v1/campaigns/{campaign.pk}/stages", {"stages": []}, content_type=JSON, **token
        ).status_code
        == 404
    )
    assert (
        api.post(
            f"/api/v1/campaign-tasks/{sub.pk}/transitions", {"action": "start"}, content_type=JSON, **token
        ).status_code
        == 404
    )
    assert api.get("/api/v1/campaigns", **token).json()["count"] == 0
    assert api.get("/api/v1/campaign-tasks", **token).json()["count"] == 0
    # the county's own township office sees its part, not the county's campaign page beyond it
    assert login(world.users["township_office"]).get(f"/campaigns/tasks/{task.pk}/").status_code == 404
