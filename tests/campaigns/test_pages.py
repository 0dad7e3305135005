"""Campaign pages: create with stages and battles (errors under fields), the task list, a task and its steps,
the dashboard's 239 tasks with 227 verified done → 完成率95.0%."""

import datetime as dt

import pytest

from anquan.campaigns.models import Campaign, Task
from anquan.regions.models import Region
from tests.conftest import login

from .helpers import city_campaign
from .test_api import seed_239

pytestmark = pytest.mark.django_db


def test_the_city_office_creates_a_campaign_with_stages_and_battles(world):
    client = login(world.users["city_office"])
    form = {
        "name": "九江市百日行动",
        "starts_on": "2026-03-01",
        "ends_on": "2026-06-30",
        "stage_name_0": "动员部署",
        "stage_start_0": "2026-03-01",
        "stage_end_0": "2026-02-01",
        "battles": "一、危险化学品安全攻坚战（市应急管理局）\n二、道路交通安全攻坚战（市交通运输局、市公安局）",
    }
    refused = client.post("/campaigns/new/", form)
    assert refused.status_code == 422
    assert "阶段结束日期不能早于开始日期" in refused.content.decode()
    assert not Campaign.objects.exists()
    made = client.post("/campaigns/new/", {**form, "stage_end_0": "2026-03-31"})
    assert made.status_code == 302
    campaign = Campaign.objects.get()
    assert [(b.number, b.name, b.lead_text) for b in campaign.battles.all()] == [
        ("一", "危险化学品安全攻坚战", "市应急管理局"),
        ("二", "道路交通安全攻坚战", "市交通运输局、市公安局"),
    ]
    page = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "动员部署" in page and "0项任务" in page
    assert login(world.users["emergency_supervisor"]).get("/campaigns/new/").status_code == 404


def test_a_task_for_the_counties_from_the_campaign_page_and_the_countys_step(world):
    campaign = city_campaign(world)
    city = login(world.users["city_office"])
    bad = city.post(
        f"/campaigns/{campaign.pk}/tasks/new/", {"number": "1", "title": "", "implementing": "child_regions"}
    )
    assert bad.status_code == 422 and "任务名称不能为空" in bad.content.decode()
    made = city.post(
        f"/campaigns/{campaign.pk}/tasks/new/",
        {
            "number": "1",
            "title": "开展重大事故隐患专项排查整治",
            "implementing": "child_regions",
            "implementing_text": "各县(市、区)",
            "deadline": "2026-12-31",
        },
    )
    assert made.status_code == 302
    line = Task.objects.get(parent=None)
    assert line.subtasks.count() == Region.objects.filter(parent__code="360400").count()
    county = login(world.users["county_office"])
    sub = line.subtasks.get(region__code="360402")
    page = county.get(f"/campaigns/tasks/{sub.pk}/").content.decode()
    assert "开始办理" in page and "濂溪区人民政府" in page
    assert login(world.users["county_office_b"]).get(f"/campaigns/tasks/{sub.pk}/").status_code == 404
    assert (
        county.post(
            f"/campaigns/tasks/{sub.pk}/transition/", {"action": "start", "status": "assigned"}
        ).status_code
        == 302
    )
    stale = county.post(
        f"/campaigns/tasks/{sub.pk}/transition/", {"action": "report_done", "status": "assigned"}
    )
    assert stale.status_code == 409 and "已被他人处理" in stale.content.decode()
    assert county.post(f"/campaigns/tasks/{sub.pk}/transition/", {"action": "report_done"}).status_code == 302
    back = city.post(f"/campaigns/tasks/{sub.pk}/transition/", {"action": "send_back", "comment": ""})
    assert back.status_code == 422 and "请填写退回理由" in back.content.decode()
    history = city.get(f"/campaigns/tasks/{sub.pk}/").content.decode()
    assert "开始办理" in history and "报告完成" in history
    assert "1项任务，已完成0项，完成率0.0%" in county.get(f"/campaigns/{campaign.pk}/").content.decode()


def test_the_dashboard_of_239_tasks_with_227_verified_shows_95_0(world):
    campaign = Campaign.objects.create(
        region=Region.objects.get(code="360400"),
        name="十大攻坚战",
        starts_on=dt.date(2024, 1, 1),
        ends_on=dt.date(2026, 12, 31),
    )
    seed_239(campaign)
    page = login(world.users["city_office"]).get(f"/campaigns/{campaign.pk}/dashboard/").content.decode()
    assert "239项任务，已完成227项，完成率95.0%" in page
    assert page.count('href="/campaigns/tasks/') == 3  # the overdue list drills down to each task
    listing = login(world.users["province_office"]).get("/campaigns/").content.decode()
    assert "完成率95.0%" in listing
