"""A grid worker's patrol on a phone (issue #14), in a real browser, and what the township office sees.

The worker opens today's patrol from the to-do, checks in, marks a venue normal, reports a hazard with a photo
at another, and records an enterprise while the network is cut (queued, sent once when it returns); the
township office (desktop) finds the hazard waiting for acceptance and last month's missed patrol counted, and
prints the grid notice. Screenshots: var/screens/grid-*.png."""

import datetime as dt

import pytest
from django.utils import timezone

from anquan.grids.models import PatrolTask, PatrolVisit
from anquan.hazards.models import Attachment, Hazard

from ..grids.conftest import make_patrol
from ..hazards.conftest import PNG
from .conftest import PHONE
from .pages import flash_messages, submit

pytestmark = [pytest.mark.browser]


def test_a_grid_worker_patrols_on_a_phone_and_the_township_sees_it(site, phone_site, world, tmp_path):
    patrol = make_patrol(world)
    start = timezone.make_aware(dt.datetime(2026, 11, 2))
    PatrolTask.objects.create(  # a week of last month nobody patrolled: missed once the counts are read
        plan=patrol.grid.patrol_plan,
        grid=patrol.grid,
        region_code=patrol.grid.region_code,
        worker=world.users["grid_worker"],
        frequency="week",
        period_start=start,
        period_end=start + dt.timedelta(days=7),
        targets=patrol.task.targets,
    )
    task, venue, shop = patrol.task, patrol.venue, patrol.shop
    page = phone_site.login("grid_worker")
    page.goto("/todo/")
    submit(page, page.get_by_role("link", name="今日待完成的网格巡查"))
    assert page.get_by_test_id(f"patrol-{task.pk}").is_visible()
    phone_site.screenshot("grid-1-today", full_page=False)
    submit(page, page.get_by_test_id(f"open-{task.pk}"))

    submit(page, page.get_by_test_id("check-in-button"))
    assert flash_messages(page)[0] == "已签到。"
    assert "已签到" in page.get_by_test_id("check-in").inner_text()
    card = page.get_by_test_id(f"target-venue:{venue.pk}")
    assert (
        card.get_by_text("疏散通道").count() + card.locator("input[name=failed]").count() >= 1
    )  # the 九小 items
    phone_site.screenshot("grid-2-task")
    normal = page.get_by_test_id(f"normal-venue:{venue.pk}")
    box = normal.bounding_box()
    assert box["height"] >= 48 and box["x"] + box["width"] <= PHONE["width"]
    submit(page, normal)
    assert flash_messages(page)[0] == "巡查结果已记录为正常。"
    assert page.get_by_test_id(f"result-venue:{venue.pk}").inner_text().startswith("正常")

    page.get_by_test_id(f"abnormal-venue:{shop.pk}").click()
    card = page.get_by_test_id(f"target-venue:{shop.pk}")
    submit(page, page.get_by_test_id(f"hazard-venue:{shop.pk}"))  # no description: refused under the field
    card = page.get_by_test_id(f"target-venue:{shop.pk}")
    assert card.get_by_test_id("error-description").inner_text() == "发现隐患须填写隐患描述"
    photo = tmp_path / "灭火器.png"
    photo.write_bytes(PNG)
    card.get_by_label("隐患描述").fill("灭火器压力不足，已过检验期")
    card.locator("input[type=file]").set_input_files(str(photo))
    phone_site.screenshot("grid-3-hazard")
    submit(page, page.get_by_test_id(f"hazard-venue:{shop.pk}"))
    assert flash_messages(page)[0] == "巡查结果已记录，隐患已上报。"
    hazard = Hazard.objects.get(description="灭火器压力不足，已过检验期")
    assert hazard.source == "grid_patrol" and Attachment.objects.filter(hazard=hazard).count() == 1

    # the network cut: the result waits on the phone and is sent once when it returns
    phone_site.context.set_offline(True)
    page.get_by_test_id(f"normal-enterprise:{world.chem_t1.pk}").click()
    page.get_by_test_id("outbox").get_by_text("待发送 1 条").wait_for()
    phone_site.screenshot("grid-4-offline", full_page=False)
    assert not PatrolVisit.objects.filter(target_type="enterprise").exists()
    phone_site.context.set_offline(False)
    page.get_by_test_id("outbox-note").filter(has_text="已发送 1 条").wait_for()
    page.goto(f"/patrols/{task.pk}/")
    assert PatrolVisit.objects.filter(task=task, target_type="enterprise").count() == 1
    phone_site.screenshot("grid-5-visited")

    # the township office: the hazard to accept, and the missed patrol counted
    desk = site.login("township_office")
    desk.goto("/todo/")
    assert "待受理" in desk.locator("main").inner_text()
    desk.goto(f"/hazards/{hazard.pk}/")
    assert "灭火器压力不足" in desk.locator("main").inner_text()
    desk.goto("/patrols/missed/?from=2026-11-01")
    assert desk.get_by_test_id("total-missed").inner_text() == "1"
    assert desk.get_by_test_id(f"missed-township-{world.t1.code}").inner_text() == "1"
    site.screenshot("grid-6-missed")
    desk.goto("/todo/")
    assert "逾期未完成的网格巡查" in desk.locator("main").inner_text()
    desk.goto(f"/grids/{patrol.grid.pk}/notice/")
    assert "12350" in desk.get_by_test_id("hotline").inner_text()
    site.screenshot("grid-7-notice")
    desk.goto("/grids/")
    site.screenshot("grid-8-list")
    desk.goto(f"/grids/{patrol.grid.pk}/")
    assert (
        desk.get_by_test_id("rule-frequency").inner_text() == "每周"
    )  # a small internet café: weekly by rule
    site.screenshot("grid-9-detail")
    desk.goto("/grids/new/")
    submit(desk, desk.get_by_test_id("save-grid"))  # nothing filled in: the errors under their fields
    assert desk.get_by_test_id("error-name").inner_text() == "请填写网格名称"
    site.screenshot("grid-10-form-errors")
