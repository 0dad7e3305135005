"""The field roles on a phone (390×844, issue #12 item 3), in a real browser.

- The grid worker, the enterprise operator and the inspector: every page their menu leads to, and every link
  on those pages, fits the screen (nothing scrolls sideways).
- The enterprise operator does today's checks from the cards: 正常 on one, 异常 with a description and a photo on
  another, 全部正常 (after a confirmation) for the rest; the progress count follows.
- A hazard reported with the network cut is kept on the phone ("待发送 1 条") and sent once when it returns.
Screenshots go to var/screens/field-*.png for a human look.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from anquan.checks import services as tasks
from anquan.checks.choices import TaskStatus
from anquan.checks.models import CheckTask
from anquan.hazards import services as reporting
from anquan.hazards.models import Attachment, Hazard

from ..hazards.conftest import PNG
from ..riskpoints.helpers import new_point
from .conftest import PHONE
from .pages import flash_messages, submit

pytestmark = [pytest.mark.browser]

# links not to follow: leaving the session, files rather than pages, the API
SKIP = re.compile(r"^/(logout|static|media|api)/|export|download|\.(xlsx|docx|pdf|png|jpg)$|/print/?$")
LINKS_PER_ROLE = 60  # kinds of page: a bound, so the walk never turns into a crawl


@pytest.fixture
def field_data(world):
    """What a field day looks like: three risk points of the operator's company with a daily check each, a
    hazard the grid worker reported at a public place and one the company found itself."""
    operator = world.users["enterprise_manager"]
    points = [
        new_point(world, name=name, location=where)
        for name, where in (("液氯储罐区", "厂区东侧"), ("氯化反应釜", "一车间"), ("危化品仓库", "厂区北侧"))
    ]
    for point in points:
        tasks.add_schedule(
            point,
            {"frequency": "day", "post": "储罐区巡检岗", "content": "检查液位、压力、泄漏报警"},
            actor=operator,
        )
    reporting.report_hazard(
        {"region": world.t1.code, "address": "濂溪农贸市场东门", "description": "消防通道被摊位堵塞"},
        actor=world.users["grid_worker"],
    )
    reporting.report_hazard(
        {"enterprise": world.chem_t1.uscc, "description": "储罐区静电接地线松脱", "source": "self_check"},
        actor=operator,
    )
    return points


def sideways(page) -> dict:
    """How far the page scrolls sideways, and the elements that stick out of the screen (outside any box that
    scrolls on its own), to name the culprit when it does."""
    return page.evaluate(
        """() => {
        const width = document.documentElement.clientWidth;
        const scrolls = (el) => { for (let p = el.parentElement; p; p = p.parentElement) {
            const s = getComputedStyle(p); if (/(auto|scroll|hidden)/.test(s.overflowX) && p !== document.body
              && p !== document.documentElement) return true; } return false; };
        const out = [];
        for (const el of document.querySelectorAll("body *")) {
          const box = el.getBoundingClientRect();
          if (box.width && box.right > width + 1 && !scrolls(el) && getComputedStyle(el).position !== "fixed")
            out.push(el.tagName + (el.id ? "#" + el.id : "") + "." + el.className + " → " + Math.round(box.right));
        }
        return {extra: document.documentElement.scrollWidth - width, culprits: out.slice(0, 5)};
    }"""
    )


def kind(path: str) -> str:
    """Pages of one kind render one template: /hazards/7/ is /hazards/N/, and a list's sort or page links
    (?sort=…, ?page=2) are that list again."""
    return re.sub(r"\d+", "N", path.split("?")[0])


def same_site_links(page, base_url: str) -> list[str]:
    hrefs = page.evaluate(
        "() => Array.from(document.querySelectorAll('main a[href], nav a[href]'), a => a.href)"
    )
    found = []
    for href in hrefs:
        if not href.startswith(base_url):
            continue
        parts = urlsplit(href)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if not SKIP.search(parts.path):
            found.append(path)
    return found


@pytest.mark.parametrize("persona", ["grid_worker", "enterprise_manager", "inspector"])
def test_every_page_a_field_role_reaches_fits_a_phone(phone_site, world, field_data, persona):
    site = phone_site
    page = site.login(persona)
    menu = [
        urlsplit(href).path
        for href in page.eval_on_selector_all("#sidebar a.nav-link", "links => links.map(a => a.href)")
    ]
    assert "/hazards/" in menu and "/hazards/new/" in menu, menu
    assert ("/risk/tasks/" in menu) == (persona == "enterprise_manager"), menu  # the operator's checks
    wide: dict[str, dict] = {}
    refused: list[str] = []  # a link that answers "not allowed" should not be offered at all
    seen: set[str] = set()
    todo = list(menu)
    while todo and len(seen) < LINKS_PER_ROLE:
        path = todo.pop(0)
        if kind(path) in seen:
            continue
        seen.add(kind(path))
        response = page.goto(path)
        if response.status >= 400:
            refused.append(f"{path} answered {response.status}")
            continue
        page.wait_for_load_state("load")
        measured = sideways(page)
        if measured["extra"] > 0:
            wide[path] = measured
        if path in menu:
            name = re.sub(r"[^a-z0-9]+", "-", path.strip("/")) or "home"
            site.screenshot(f"field-{persona}-{name}", full_page=False)
            todo += [link for link in same_site_links(page, site.base_url) if kind(link) not in seen]
    assert not wide, wide
    assert len(seen) >= len(menu)

    # the ledger: cards, the filters behind a button in a drawer, the report action in reach
    page.goto("/hazards/")
    assert page.get_by_test_id("hazard-cards").locator("li").count() >= 1
    assert not page.get_by_test_id("hazard-table").is_visible()
    drawer = page.locator("#ledger-filters")
    assert drawer.bounding_box()["x"] >= PHONE["width"]  # folded away to the right
    page.get_by_test_id("open-filters").click()
    page.wait_for_function(
        "() => document.getElementById('ledger-filters').getBoundingClientRect().right <= 390"
    )
    assert page.locator("#f-status").is_visible()
    site.screenshot(f"field-{persona}-ledger-filters", full_page=False)
    drawer.locator("[data-aq-drawer-close]").click()
    sticky = page.get_by_test_id("report-sticky").bounding_box()
    assert sticky["y"] + sticky["height"] <= PHONE["height"] and sticky["width"] >= 300
    assert not refused, refused


def test_operator_does_todays_checks_from_the_cards(phone_site, world, field_data, tmp_path):
    site = phone_site
    page = site.login("enterprise_manager")
    page.goto("/risk/tasks/")
    open_tasks = list(CheckTask.objects.filter(status=TaskStatus.OPEN).order_by("point__name", "pk"))
    assert len(open_tasks) == 3
    assert page.get_by_test_id("progress").inner_text().endswith("已完成 0/3 项")
    first, second, third = open_tasks
    card = page.get_by_test_id(f"check-{first.pk}")
    assert card.locator(".aq-check-title").inner_text() == first.point.name
    # the two answers are large, side by side, within the screen
    normal = page.get_by_test_id(f"normal-{first.pk}")
    abnormal = page.get_by_test_id(f"abnormal-{first.pk}")
    for button in (normal, abnormal):
        box = button.bounding_box()
        assert box["height"] >= 48 and box["width"] >= 150 and box["x"] + box["width"] <= PHONE["width"]
    site.screenshot("field-checks-1-cards")

    submit(page, normal)
    assert flash_messages(page)[0] == "已记录检查：正常。"
    assert page.get_by_test_id("progress").inner_text().endswith("已完成 1/3 项")
    assert page.get_by_test_id(f"check-{first.pk}").count() == 0  # done: off the to-do cards

    # 异常 opens the description, the camera and the location; without a description it is refused under the field
    page.get_by_test_id(f"abnormal-{second.pk}").click()
    card = page.get_by_test_id(f"check-{second.pk}")
    expect(card.get_by_label("隐患描述")).to_be_visible()
    expect(card.get_by_text("拍照或选择照片")).to_be_visible()
    assert card.get_by_role("button", name="获取当前位置").is_visible()
    submit(page, page.get_by_test_id(f"hazard-{second.pk}"))
    card = page.get_by_test_id(f"check-{second.pk}")
    assert card.get_by_test_id("error-description").inner_text() == "报告隐患须填写隐患描述"
    assert card.locator("details").get_attribute("open") is not None  # still open, where the error is
    photo = tmp_path / "现场照片.png"
    photo.write_bytes(PNG)
    card.get_by_label("隐患描述").fill("反应釜温度计损坏，读数不准")
    card.locator("input[type=file]").set_input_files(str(photo))
    site.screenshot("field-checks-2-abnormal")
    submit(page, page.get_by_test_id(f"hazard-{second.pk}"))
    assert flash_messages(page)[0] == "已记录检查，隐患已上报。"
    second.refresh_from_db()
    assert second.status == TaskStatus.DONE_HAZARD
    hazard = Hazard.objects.get(pk=second.hazard_id)
    assert hazard.description == "反应釜温度计损坏，读数不准" and hazard.risk_point_id == second.point_id
    assert Attachment.objects.filter(hazard=hazard).count() == 1

    # 全部正常 asks first: 取消 changes nothing, 确定 records the rest
    page.get_by_test_id("all-normal").click()
    dialog = page.get_by_test_id("confirm-dialog")
    assert "将剩余的 1 项检查全部记为正常" in dialog.inner_text()
    site.screenshot("field-checks-3-confirm", full_page=False)
    dialog.get_by_role("button", name="取消").click()
    assert CheckTask.objects.filter(status=TaskStatus.OPEN).count() == 1
    page.get_by_test_id("all-normal").click()
    submit(page, page.get_by_test_id("confirm-dialog").get_by_role("button", name="确定"))
    assert flash_messages(page)[0] == "已将 1 项检查记为正常。"
    third.refresh_from_db()
    assert third.status == TaskStatus.DONE_NORMAL
    assert page.get_by_test_id("progress").inner_text().endswith("已完成 3/3 项")
    assert page.get_by_test_id("done-tasks").locator("tbody tr").count() == 3
    assert sideways(page)["extra"] <= 0
    site.screenshot("field-checks-4-done")
    assert timezone.localdate(third.done_at) == timezone.localdate()


def test_a_report_made_offline_is_sent_once_when_the_network_returns(phone_site, world):
    site = phone_site
    page = site.login("grid_worker")
    page.goto(f"/hazards/new/?enterprise={world.chem_t1.pk}")
    # the app shell and this form are kept by the service worker for a weak network
    page.wait_for_function("() => navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    assert page.evaluate("() => caches.match('/hazards/new/').then(hit => !!hit)")
    # labelled fields, the error under its field
    submit(page, page.get_by_test_id("report-submit"))
    assert page.get_by_test_id("error-description").inner_text() == "隐患描述不能为空"
    assert page.get_by_test_id("form-errors").inner_text().startswith("请修改下面标出的内容")
    site.screenshot("field-report-error", full_page=False)
    posts: list[str] = []  # posts that reached the server (one tried without a network fails on the phone)
    page.on("requestfinished", lambda r: posts.append(r.url) if r.method == "POST" else None)

    site.context.set_offline(True)
    page.locator("#r-description").fill("加油站卸油口防静电设施缺失")
    page.get_by_test_id("report-submit").click()
    outbox = page.get_by_test_id("outbox")
    outbox.get_by_text("待发送 1 条").wait_for()
    assert "联网后自动发送" in outbox.inner_text()
    site.screenshot("field-offline-1-queued", full_page=False)
    assert posts == [] and not Hazard.objects.filter(description="加油站卸油口防静电设施缺失").exists()
    assert page.locator("#r-description").input_value() == ""  # the form is free for the next report
    # the form opens again without a network (the service worker's copy), the queue still waiting
    page.goto(f"/hazards/new/?enterprise={world.chem_t1.pk}")
    assert page.locator("#r-description").is_visible()
    page.get_by_test_id("outbox").get_by_text("待发送 1 条").wait_for()

    # a page opened from the worker's copy may already believe it is online (Chromium: no "online" event comes),
    # so field.js tries again within seconds, not only when the browser says the network is back
    site.context.set_offline(False)
    page.get_by_test_id("outbox-note").filter(has_text="已发送 1 条").wait_for(timeout=15_000)
    assert outbox.count() == 0
    site.screenshot("field-offline-2-sent", full_page=False)
    hazard = Hazard.objects.get(description="加油站卸油口防静电设施缺失")
    assert hazard.enterprise_id == world.chem_t1.pk and hazard.found_by_id == world.users["grid_worker"].pk
    # a later page (which would send whatever is still queued) sends nothing more
    page.goto("/hazards/?found_by=grid_worker")
    assert page.get_by_test_id("hazard-cards").locator("li").count() == 1
    assert len(posts) == 1 and Hazard.objects.filter(description="加油站卸油口防静电设施缺失").count() == 1

    # online as far as the phone knows, but the request is dropped on its way: kept on the phone as well. The
    # service worker is let go first: Playwright's page.route does not see what a page controlled by a service
    # worker sends (its docs), and these steps are about field.js, not the worker (proven above)
    # (each page registers the worker again on load — field.js — which would let it claim the page back: the pages
    # from here on are kept from registering it)
    page.add_init_script(  # (about:blank has no navigator.serviceWorker)
        "if (navigator.serviceWorker) navigator.serviceWorker.register = () => Promise.reject(new Error('no'));"
    )
    page.evaluate(
        "navigator.serviceWorker.getRegistrations().then((rs) => Promise.all(rs.map((r) => r.unregister())))"
    )
    report = f"**/hazards/new/?enterprise={world.chem_t1.pk}"
    # an unregistered worker goes once its last page has: leave for a blank page, then come back (Chromium may
    # still hand the first navigation to it while the old page is being torn down; a reload is not enough, the
    # old page is still the worker's client while the new one loads)
    page.goto("about:blank")
    page.goto(report.lstrip("*"))
    for _ in range(10):
        if page.evaluate("navigator.serviceWorker.controller") is None:
            break
        page.goto("about:blank")
        page.wait_for_timeout(500)
        page.goto(report.lstrip("*"))
    assert page.evaluate("navigator.serviceWorker.controller") is None
    page.route(report, lambda route: route.abort() if route.request.method == "POST" else route.continue_())
    page.locator("#r-description").fill("配电室门口堆放易燃物")
    page.get_by_test_id("report-submit").click()
    outbox.get_by_text("待发送 1 条").wait_for()
    assert (
        page.evaluate("() => navigator.onLine")
        and "未能送达" in page.get_by_test_id("outbox-note").inner_text()
    )
    assert not Hazard.objects.filter(description="配电室门口堆放易燃物").exists()
    site.screenshot("field-offline-3-dropped-online", full_page=False)
    page.unroute(report)

    # the request reaches the server but its answer is lost: queued with the key it was sent with ...
    def answer_lost(route):
        route.fetch()  # the server receives and records it
        route.abort()  # the phone hears nothing back

    page.route(
        report, lambda route: answer_lost(route) if route.request.method == "POST" else route.continue_()
    )
    page.locator("#r-description").fill("消防栓被杂物遮挡")
    page.get_by_test_id("report-submit").click()
    outbox.get_by_text("待发送 2 条").wait_for()
    assert Hazard.objects.filter(description="消防栓被杂物遮挡").count() == 1
    page.unroute(report)
    # ... so that sending both when asked records the dropped one and does not double the other
    outbox.get_by_role("button", name="立即发送").click()
    page.get_by_test_id("outbox-note").filter(has_text="已发送 2 条").wait_for()
    assert outbox.count() == 0
    for text in ("配电室门口堆放易燃物", "消防栓被杂物遮挡"):
        assert Hazard.objects.filter(description=text).count() == 1, text
