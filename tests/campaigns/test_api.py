"""The campaigns API: create a campaign with stages and battles, a task for 各县(市、区), the county's transition,
scope and errors, and the progress figures (239 lines, 227 verified done → 95.0)."""

import datetime as dt

import pytest
from django.test import Client

from anquan.campaigns.models import Battle, Campaign, Task
from anquan.core.models import AuditEntry
from anquan.regions.models import Region

pytestmark = pytest.mark.django_db

JSON = "application/json"


def seed_239(campaign: Campaign) -> None:
    """239 lines over ten battles, 227 of them verified done (rows made directly, like a finished campaign)."""
    battles = [
        Battle.objects.create(campaign=campaign, number=str(i + 1), name=f"第{i + 1}攻坚战", order=i)
        for i in range(10)
    ]
    Task.objects.bulk_create(
        Task(
            campaign=campaign,
            battle=battles[i % 10],
            number=str(i + 1),
            title=f"任务{i + 1}",
            region=campaign.region,
            region_code=campaign.region.code,
            status="verified_done" if i < 227 else ("overdue" if i < 230 else "in_progress"),
            verified_on=dt.date(2026, 1 + i % 11, 15) if i < 227 else None,
            order=i,
        )
        for i in range(239)
    )


def test_an_office_creates_a_campaign_and_a_task_for_its_counties_over_the_api(world, api_token):
    city = api_token("city_office")
    body = {
        "name": "九江市安全生产治本攻坚三年行动",
        "starts_on": "2024-01-01",
        "ends_on": "2026-12-31",
        "stages": [
            {"name": "动员部署", "starts_on": "2024-01-01", "ends_on": "2024-03-31"},
            {"name": "集中攻坚", "starts_on": "2024-04-01", "ends_on": "2025-12-31"},
        ],
        "battles": [{"number": "一", "name": "危险化学品安全攻坚战", "lead_text": "市应急管理局"}],
    }
    created = Client().post("/api/v1/campaigns", body, content_type=JSON, **city)
    assert created.status_code == 201, created.content
    campaign = created.json()
    assert [s["name"] for s in campaign["stages"]] == ["动员部署", "集中攻坚"]
    assert campaign["actions"] == ["activate"]
    bad = Client().post(
        "/api/v1/campaigns", {**body, "ends_on": "2023-01-01", "stages": []}, content_type=JSON, **city
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "ends_on"
    assert "结束日期" in bad.json()["detail"][0]["message"]
    task = {
        "campaign": campaign["id"],
        "number": "1",
        "title": "开展危险化学品重大隐患排查",
        "battle": campaign["battles"][0]["id"],
        "deadline": "2026-12-31",
        "units": [
            {"role": "lead", "text": "市应急管理局", "kind": "department", "department": "应急管理局"},
            {"role": "implement", "text": "各县(市、区)", "kind": "child_regions"},
        ],
        "targets": [
            {
                "name": "重大隐患清零",
                "unit": "项",
                "planned": "0",
                "source": "automatic",
                "metric": "major_hazards_open",
            }
        ],
    }
    made = Client().post("/api/v1/campaign-tasks", task, content_type=JSON, **city)
    assert made.status_code == 201, made.content
    line = made.json()
    counties = Region.objects.filter(parent__code="360400").count()
    assert line["subtasks_total"] == counties + 1
    assert line["targets"][0]["note"] == "系统自动取数" and line["targets"][0]["actual"] == "0"
    unknown = {
        **task,
        "units": [{"role": "lead", "text": "某局", "kind": "department", "department": "不存在局"}],
    }
    refused = Client().post("/api/v1/campaign-tasks", unknown, content_type=JSON, **city)
    assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "units.0.department"

    county = api_token("county_office")
    mine = Client().get("/api/v1/campaign-tasks", {"campaign": campaign["id"]}, **county).json()
    assert mine["count"] == 1 and mine["items"][0]["region"] == "360402"
    assert mine["items"][0]["actions"] == ["start", "report_done"]
    sub = mine["items"][0]["id"]
    other = api_token("county_office_b")
    assert (
        Client()
        .post(f"/api/v1/campaign-tasks/{sub}/transitions", {"action": "start"}, content_type=JSON, **other)
        .status_code
        == 404
    )
    wrong = Client().post(
        f"/api/v1/campaign-tasks/{sub}/transitions", {"action": "start"}, content_type=JSON, **city
    )
    assert wrong.status_code == 403 and "责任单位" in wrong.json()["detail"][0]["message"]
    started = Client().post(
        f"/api/v1/campaign-tasks/{sub}/transitions",
        {"action": "start", "status": "assigned"},
        content_type=JSON,
        **county,
    )
    assert started.status_code == 200 and started.json()["status"] == "in_progress"
    stale = Client().post(
        f"/api/v1/campaign-tasks/{sub}/transitions",
        {"action": "report_done", "status": "assigned"},
        content_type=JSON,
        **county,
    )
    assert stale.status_code == 409
    events = Client().get(f"/api/v1/campaign-tasks/{sub}/events", **county).json()
    assert [e["action"] for e in events] == ["start"]
    assert (
        AuditEntry.objects.filter(model="campaigns.task", object_id=str(sub), action="transition").count()
        == 1
    )
    line_now = Client().get(f"/api/v1/campaign-tasks/{line['id']}", **city).json()
    assert line_now["status"] == "in_progress"
    assert Client().get(f"/api/v1/campaign-tasks/{line['id']}", **other).status_code == 404


def test_progress_of_239_tasks_with_227_verified_is_95_0(world, api_token):
    city = Region.objects.get(code="360400")
    campaign = Campaign.objects.create(
        region=city, name="十大攻坚战", starts_on=dt.date(2024, 1, 1), ends_on=dt.date(2026, 12, 31)
    )
    seed_239(campaign)
    answer = Client().get("/api/v1/stats/campaigns", {"campaign": campaign.pk}, **api_token("city_office"))
    assert answer.status_code == 200
    figures = answer.json()
    assert (figures["total"], figures["verified_done"], figures["rate"]) == (239, 227, "95.0")
    assert figures["sentence"] == "239项任务，已完成227项，完成率95.0%"
    assert len(figures["by_battle"]) == 10 and sum(b["total"] for b in figures["by_battle"]) == 239
    assert len(figures["overdue"]) == 3
    assert sum(m["verified_done"] for m in figures["trend"]) == 227
    assert (
        Client()
        .get("/api/v1/stats/campaigns", {"campaign": campaign.pk}, **api_token("county_office_b"))
        .status_code
        == 404
    )
