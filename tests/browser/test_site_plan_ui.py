"""The site-level four-colour plan in a real browser: the enterprise places a red risk point on its plan
by tapping the plan, sees a red marker where it tapped, drags it elsewhere and removes another; a
supervisor sees the same plan read-only and opens a point from its marker. Screenshots go to
var/screens/siteplan-*.png."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from anquan.demo.site_plan_image import draw_site_plan
from anquan.riskpoints import services as points
from anquan.riskpoints import site_plans
from anquan.riskpoints.models import PointPlacement, SitePlan

from ..conftest import PASSWORD
from ..riskpoints.helpers import new_point
from .conftest import PHONE, SCREENS
from .pages import submit

pytestmark = [pytest.mark.browser]

RED = "rgb(220, 53, 69)"  # LEVEL_COLOURS["red"]
BLUE = "rgb(13, 110, 253)"


@pytest.fixture
def band_tables(transactional_db):
    """The risk band tables seeded by migration, loaded again after a transactional test flushed them."""
    from django.apps import apps

    from anquan.standards.models import RiskBandTable
    from anquan.standards.seed import load

    if not RiskBandTable.objects.exists():
        load(apps)


@pytest.fixture
def plan(world):
    manager = world.users["enterprise_manager"]
    png, centres = draw_site_plan(f"{world.chem_t1.name} 厂区总平面图")
    plan = site_plans.upload_plan(
        {"name": "全厂总平面图"}, SimpleUploadedFile("plan.png", png, content_type="image/png"), actor=manager
    )
    plan.centres = centres
    return plan


@pytest.fixture
def tank(world, band_tables):
    point = new_point(world, name="液氯储罐区")
    points.assess(point, {"method": "LEC", "l": 10, "e": 6, "c": 15}, actor=world.users["enterprise_manager"])
    return point  # D = 900: red


@pytest.fixture
def switch_room(world, band_tables):
    point = new_point(world, name="配电室", kind="place")
    points.assess(point, {"method": "LEC", "l": 1, "e": 6, "c": 7}, actor=world.users["enterprise_manager"])
    return point  # D = 42: blue


def dot_colour(page, point_id: int) -> str:
    page.wait_for_load_state("load")  # the plan's stylesheet may still be on its way after a link's click
    return (
        page.get_by_test_id(f"marker-{point_id}")
        .locator(".aq-marker-dot")
        .evaluate("el => getComputedStyle(el).backgroundColor")
    )


def tap_plan(page, fx: float, fy: float):
    """Click the plan image at a fraction of its shown size."""
    box = page.locator(".aq-plan img").bounding_box()
    page.mouse.click(box["x"] + fx * box["width"], box["y"] + fy * box["height"])


def wait_saved(page):
    status = page.get_by_test_id("plan-status")
    status.filter(has_text="已保存").wait_for()


def test_place_move_and_remove_on_the_plan(site, world, plan, tank, switch_room):
    site_plans.replace_placements(
        plan, [{"point": switch_room.pk, "x": 0.52, "y": 0.29}], actor=world.users["enterprise_manager"]
    )
    page = site.login("enterprise_manager")
    page.goto("/risk/")
    page.get_by_test_id("site-plans").click()
    page.get_by_role("link", name="全厂总平面图").click()
    expect(page.get_by_test_id(f"marker-{switch_room.pk}")).to_be_visible()
    assert dot_colour(page, switch_room.pk) == BLUE
    assert page.get_by_test_id(f"marker-{tank.pk}").count() == 0
    assert page.get_by_test_id("count-red").inner_text() == "0"

    page.get_by_test_id("edit-plan").click()
    page.get_by_test_id(f"place-{tank.pk}").click()
    assert "液氯储罐区" in page.get_by_test_id("plan-status").inner_text()
    tx, ty = plan.centres["tank_farm"]
    tap_plan(page, tx, ty)
    wait_saved(page)
    marker = page.get_by_test_id(f"marker-{tank.pk}")
    assert marker.is_visible() and dot_colour(page, tank.pk) == RED  # the placed marker is red
    assert page.get_by_test_id("count-red").inner_text() == "1"
    assert page.get_by_test_id("count-unplaced").inner_text() == "0"
    placed = PointPlacement.objects.get(point=tank)
    assert abs(placed.x - tx) < 0.01 and abs(placed.y - ty) < 0.01
    # the marker sits where the user tapped
    box, image = marker.bounding_box(), page.locator(".aq-plan img").bounding_box()
    assert abs(box["x"] + box["width"] / 2 - (image["x"] + tx * image["width"])) < 2
    assert abs(box["y"] + box["height"] / 2 - (image["y"] + ty * image["height"])) < 2
    site.screenshot("siteplan-placed")

    # drag it to the sewage station
    sx, sy = plan.centres["sewage"]
    dot = marker.locator(".aq-marker-dot").bounding_box()
    page.mouse.move(dot["x"] + dot["width"] / 2, dot["y"] + dot["height"] / 2)
    page.mouse.down()
    page.mouse.move(image["x"] + sx * image["width"], image["y"] + sy * image["height"], steps=8)
    page.mouse.up()
    wait_saved(page)
    placed.refresh_from_db()
    assert abs(placed.x - sx) < 0.01 and abs(placed.y - sy) < 0.01

    # remove the switch room
    page.get_by_test_id(f"remove-{switch_room.pk}").click()
    wait_saved(page)
    assert page.get_by_test_id(f"marker-{switch_room.pk}").count() == 0
    assert list(PointPlacement.objects.values_list("point_id", flat=True)) == [tank.pk]
    assert page.get_by_test_id("count-blue").inner_text() == "0"

    # after a reload the page draws the same from the server
    page.reload()
    assert dot_colour(page, tank.pk) == RED and page.get_by_test_id(f"marker-{switch_room.pk}").count() == 0

    # deleting the plan asks first (data-aq-confirm, no onsubmit=): "cancel" keeps it, "OK" deletes it
    page.get_by_test_id("edit-plan").click()
    page.get_by_role("button", name="删除平面图").click()
    dialog = page.get_by_test_id("confirm-dialog")
    assert dialog.inner_text().startswith("删除该平面图及其上的全部标注？")
    dialog.get_by_role("button", name="取消").click()
    assert dialog.count() == 0 and SitePlan.objects.filter(pk=plan.pk).exists()
    page.get_by_role("button", name="删除平面图").click()
    submit(page, page.get_by_test_id("confirm-dialog").get_by_role("button", name="确定"))
    assert not SitePlan.objects.filter(pk=plan.pk).exists()


def test_on_a_phone_by_touch(phone_site, world, plan, tank):
    """A touch screen (taps, no mouse): tap a point in the list, tap the plan; tap the marker, tap elsewhere."""
    context = phone_site.context.browser.new_context(
        base_url=phone_site.base_url, viewport=PHONE, has_touch=True, is_mobile=True, locale="zh-CN"
    )
    try:
        page = context.new_page()
        page.on("pageerror", lambda exc: phone_site.problems.append(f"script error: {exc}"))
        page.goto("/login/")
        page.locator("#id_username").fill("enterprise_manager")
        page.locator("#id_password").fill(PASSWORD)
        page.locator("form button[type=submit]").tap()
        page.wait_for_url(phone_site.base_url + "/")
        page.goto(f"/risk/plans/{plan.pk}/")
        page.get_by_test_id("edit-plan").tap()
        page.get_by_test_id(f"place-{tank.pk}").tap()
        image = page.locator(".aq-plan img")
        image.scroll_into_view_if_needed()
        box = image.bounding_box()
        assert box["width"] <= PHONE["width"]  # the plan fits the phone's width
        tx, ty = plan.centres["tank_farm"]
        page.touchscreen.tap(box["x"] + tx * box["width"], box["y"] + ty * box["height"])
        wait_saved(page)
        assert dot_colour(page, tank.pk) == RED
        placed = PointPlacement.objects.get(point=tank)
        assert abs(placed.x - tx) < 0.02 and abs(placed.y - ty) < 0.02
        # moving by touch: tap the marker (selects it), then tap its new place
        page.get_by_test_id(f"marker-{tank.pk}").tap()
        assert "液氯储罐区" in page.get_by_test_id("plan-status").inner_text()
        assert page.url.endswith(f"/risk/plans/{plan.pk}/")  # while placing, a tap does not open the point
        wx, wy = plan.centres["warehouse"]
        box = image.bounding_box()
        page.touchscreen.tap(box["x"] + wx * box["width"], box["y"] + wy * box["height"])
        page.get_by_test_id("plan-status").filter(has_text="已保存").wait_for()
        placed.refresh_from_db()
        assert abs(placed.x - wx) < 0.02 and abs(placed.y - wy) < 0.02
        page.screenshot(path=str(SCREENS / "siteplan-phone.png"), full_page=True)
    finally:
        context.close()


def test_supervisor_reads_and_opens_a_point(site, world, plan, tank):
    site_plans.replace_placements(
        plan, [{"point": tank.pk, "x": 0.78, "y": 0.35}], actor=world.users["enterprise_manager"]
    )
    page = site.login("county_office")
    page.goto(f"/risk/plans/{plan.pk}/")
    assert page.get_by_test_id("edit-plan").count() == 0
    assert dot_colour(page, tank.pk) == RED
    site.screenshot("siteplan-supervisor")
    page.emulate_media(media="print")
    site.screenshot("siteplan-print")
    assert not page.locator("nav.aq-topbar").is_visible()
    assert dot_colour(page, tank.pk) == RED
    page.emulate_media(media="screen")
    page.get_by_test_id(f"marker-{tank.pk}").click()
    page.wait_for_url(f"**/risk/{tank.pk}/")
    assert "液氯储罐区" in page.locator("h1").inner_text()
