"""Every role's home as its users see it, on a phone (390×844) and a desktop (1366×900): field roles get large
entries, a one-row header and a bottom bar; desk roles their to-do panel and trend charts; no home scrolls
sideways on the phone. Screenshots: var/screens/home-<persona>-phone.png and -desktop.png."""

import re

from playwright.sync_api import expect

from anquan.hazards import services as reporting

from .conftest import DESKTOP, PHONE
from .pages import CHEM_T1

PERSONAS = [
    "sysadmin",
    "province_office",
    "city_office",
    "county_office",
    "township_office",
    "emergency_supervisor",
    "inspector",
    "grid_worker",
    "enterprise_manager",
]
FIELD = {"inspector", "grid_worker", "enterprise_manager"}


def test_each_role_home_on_a_phone_and_a_desktop(site, world):
    reporting.report_hazard(  # a grid report waiting for the county and the township
        {
            "region": world.t1.code,
            "address": "十里街道农贸市场东门",
            "industry": "small_venue",
            "description": "电动自行车在楼道内充电",
        },
        actor=world.users["grid_worker"],
    )
    page = site.page
    for persona in PERSONAS:
        page.set_viewport_size(PHONE)
        site.login(persona)
        header = page.locator("nav.aq-topbar").bounding_box()
        assert header is not None and header["height"] <= 60, (persona, header)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"], persona
        bar = page.get_by_test_id("bottom-bar")
        if persona in FIELD:
            assert bar.is_visible(), persona
            report = page.get_by_test_id("tile-report")
            box = report.bounding_box()
            assert box is not None and box["height"] >= 100 and box["width"] >= 150, (persona, box)
            # the entries sit above the fold, and the bottom bar does not hide the last of them
            last = page.locator("[data-testid^=tile-]:not([data-testid$=-count])").last.bounding_box()
            bar_top = bar.bounding_box()["y"]
            assert last is not None and last["y"] + last["height"] <= bar_top, persona
        else:
            assert bar.count() == 0, persona
            page.locator("[data-testid=chart-monthly] canvas").wait_for()
        if persona in ("county_office", "township_office"):  # the grid report waits for them
            assert page.get_by_test_id("menu-todo-badge").inner_text() == "1", persona
        site.screenshot(f"home-{persona}-phone")

        page.set_viewport_size(DESKTOP)
        page.reload()
        assert page.locator("#sidebar").is_visible() and not page.get_by_test_id("bottom-bar").is_visible()
        if persona not in FIELD:
            page.locator("[data-testid=chart-areas] canvas, [data-testid=trends] p").first.wait_for()
        site.screenshot(f"home-{persona}-desktop")
        site.context.clear_cookies()

    # the grid worker's menu button in the bottom bar opens the menu on the phone
    page.set_viewport_size(PHONE)
    site.login("grid_worker")
    assert not page.locator("#sidebar").is_visible()
    page.get_by_test_id("bottom-bar").get_by_role("button").click()
    expect(page.locator("#sidebar a[href='/hazards/']")).to_be_visible()
    site.screenshot("home-grid_worker-phone-menu", full_page=False)
    page.get_by_test_id("bottom-bar").get_by_role("button").click()
    # the search box folded under the compact header opens with the cursor in it
    page.get_by_test_id("search-toggle").click()
    page.keyboard.type("化工")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    assert CHEM_T1 in page.locator("main").inner_text()


def test_login_page_on_a_phone(phone_site, settings):
    settings.ANQUAN_DEPLOYING_UNIT = "九江市应急管理局"
    settings.ANQUAN_SUPPORT_CONTACT = "技术支持：0792-8888888"
    page = phone_site.page
    page.goto("/login/")
    assert page.get_by_test_id("platform-name").inner_text() == "安全生产综合监管平台"
    assert (
        page.get_by_test_id("deploying-unit").is_visible()
        and page.get_by_test_id("support-contact").is_visible()
    )
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    phone_site.screenshot("login-phone")


def test_a_list_page_gets_its_to_do_count_after_it_has_loaded(site, world):
    """The ledger is not held up by counting the to-dos (ADR 0059): the count fills the menu's places when it comes —
    the to-do entry on a desk, the menu button on a phone, and a field role's bottom bar."""
    import datetime as dt

    from django.utils import timezone

    from anquan.hazards import actions

    raw = {"enterprise": world.chem_t1.uscc, "source": "inspection", "description": "储罐区防爆灯具损坏"}
    found = reporting.report_hazard(raw, actor=world.users["inspector"])
    deadline = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    actions.transition(
        found, "assign", actor=world.users["inspector"], responsible_party="甲", deadline=deadline
    )
    grid = {"region": world.t1.code, "address": "十里街道农贸市场东门", "industry": "small_venue"}
    reporting.report_hazard(
        {**grid, "description": "电动自行车在楼道内充电"}, actor=world.users["grid_worker"]
    )

    page = site.page
    site.login("county_office")
    page.goto("/hazards/")
    expect(page.get_by_test_id("todo-badge")).to_have_text("1")  # the grid report waits for the county
    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.get_by_test_id("menu-todo-badge")).to_have_text("1")
    site.context.clear_cookies()

    from anquan.core import todo

    waiting = todo.items_for(world.users["enterprise_manager"])  # with the assigned hazard to rectify
    assert "hazards.rectify" in {item.kind for item in waiting}
    site.login("enterprise_manager")
    page.goto("/hazards/")
    expect(page.get_by_test_id("bottom-todo-badge")).to_have_text(str(todo.total(waiting)))
    expect(page.get_by_test_id("menu-todo-badge")).to_have_text(str(todo.total(waiting)))
    assert page.get_by_test_id("todo-loader").count() == 0  # replaced by the answer, asked once
    site.screenshot("ledger-enterprise-phone-todo-badge", full_page=False)
    page.set_viewport_size(DESKTOP)
