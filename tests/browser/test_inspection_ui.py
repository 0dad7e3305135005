"""Issue #13 item 4, the must-show: an inspector walks a checklist on a phone, offline from the first item to
the signature, marks two items non-compliant with photos, comes back online; the hazards and the on-site
record appear once. Then the loop (items 6 and 7): the rectification order from the phone, the review card
recorded "not rectified" with its case path, and the county's loop dashboard."""

import datetime as dt

from django.utils import timezone

from anquan.hazards.models import Attachment, Hazard
from anquan.inspections import services as inspections
from anquan.inspections.models import Inspection

from ..hazards.conftest import PNG
from ..inspections.loopdata import days, registered
from .conftest import DESKTOP, PHONE
from .pages import submit


def sideways(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_a_checklist_walked_offline_reports_its_hazards_and_record_once(phone_site, world, tmp_path):
    site = phone_site
    planner = world.users["inspector"]
    registered(world.chem_t1)  # the documents state its address and legal representative
    today = timezone.localdate()
    insp = inspections.create(
        {
            "enterprise": world.chem_t1.uscc,
            "kind": "random",
            "planned_on": today.isoformat(),
            "inspectors": ["inspector", "emergency_supervisor"],
        },
        actor=planner,
    )
    later = inspections.create(
        {"enterprise": world.chem_t2.uscc, "planned_on": (today + dt.timedelta(days=3)).isoformat()},
        actor=planner,
    )
    page = site.login("inspector")
    page.goto("/inspections/mine/")
    assert page.get_by_test_id(f"inspection-{insp.pk}").is_visible()  # today
    assert page.get_by_test_id(f"inspection-{later.pk}").is_visible()  # upcoming
    assert sideways(page) <= 0
    site.screenshot("inspection-1-mine")
    page.get_by_test_id(f"inspection-{insp.pk}").get_by_role("link", name="进入检查").click()
    submit(page, page.get_by_test_id("start"))
    assert page.get_by_test_id("status").inner_text() == "检查中"
    total = insp.items.count()
    assert total == 20 and page.get_by_test_id("progress").inner_text().endswith(f"已查 0/{total}")
    site.screenshot("inspection-2-checklist", full_page=False)
    # the three answers are large and within the screen
    for name in ("compliant-1", "na-1", "noncompliant-1"):
        box = page.get_by_test_id(name).bounding_box()
        assert box["height"] >= 44 and box["x"] + box["width"] <= PHONE["width"], name
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)

    site.context.set_offline(True)
    photo = tmp_path / "现场.png"
    photo.write_bytes(PNG)
    for n, problem in ((1, "主要负责人未经考核合格"), (3, "外部安全防护距离不足")):
        page.get_by_test_id(f"noncompliant-{n}").click()
        page.get_by_test_id(f"note-{n}").fill(problem)
        page.get_by_test_id(f"photos-{n}").set_input_files(str(photo))
        if n == 1:
            site.screenshot("inspection-3-noncompliant", full_page=False)
        page.get_by_test_id(f"save-noncompliant-{n}").click()
        card = page.get_by_test_id(f"item-{n}")
        # the answer's own label says 不符合 before the save too: wait for what only the saved card shows
        card.get_by_text("已保存在本机").wait_for()
        assert "不符合" in card.inner_text()
    assert page.get_by_test_id("progress").inner_text().endswith(f"已查 2/{total}")
    page.get_by_test_id("all-compliant").click()
    page.get_by_test_id("confirm-dialog").get_by_role("button", name="确定").click()
    page.get_by_test_id("outbox").get_by_text("待发送 3 条").wait_for()
    assert page.get_by_test_id("progress").inner_text().endswith(f"已查 {total}/{total}")
    # the signatory signs with a finger
    page.get_by_test_id("signatory").fill("王建国")
    pad = page.get_by_test_id("signature-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    page.mouse.move(box["x"] + 30, box["y"] + 100)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 30 + step * 22, box["y"] + 100 - (step % 3) * 30)
    page.mouse.up()
    site.screenshot("inspection-4-signature", full_page=False)
    page.get_by_test_id("complete").click()
    page.get_by_test_id("outbox").get_by_text("待发送 4 条").wait_for()
    assert "联网后自动发送" in page.get_by_test_id("outbox").inner_text()
    site.screenshot("inspection-5-offline-queued", full_page=False)
    assert posts == [] and not Hazard.objects.filter(source="inspection").exists()

    site.context.set_offline(False)
    page.get_by_test_id("outbox-note").filter(has_text="已发送 4 条").wait_for()
    insp.refresh_from_db()
    assert insp.status == "done" and insp.signatory_name == "王建国"
    hazards = list(Hazard.objects.filter(source="inspection").order_by("pk"))
    assert [h.level for h in hazards] == ["major", "major"]  # judgement-standard items
    assert [a.hazard_id for a in Attachment.objects.filter(hazard__in=hazards)] == [h.pk for h in hazards]
    # a page loaded now would send anything still queued: nothing is, nothing is made twice
    page.goto(f"/inspections/{insp.pk}/record/")
    record = page.get_by_test_id("onsite-record")
    assert record.get_by_test_id("record-enterprise").inner_text() == world.chem_t1.name
    findings = record.get_by_test_id("record-findings").locator("li").all_inner_texts()
    assert len(findings) == 2 and "主要负责人未经考核合格" in findings[0] and hazards[0].number in findings[0]
    assert "外部安全防护距离不足" in findings[1] and hazards[1].number in findings[1]
    assert record.get_by_test_id("record-items").locator("tbody tr").count() == total
    assert "王建国" in record.get_by_test_id("record-signatory").inner_text()
    assert record.get_by_test_id("record-signatory").locator("img").evaluate("img => img.naturalWidth") > 0
    site.screenshot("inspection-6-record")
    assert Hazard.objects.filter(source="inspection").count() == 2
    assert Inspection.objects.get(pk=insp.pk).items.filter(hazard__isnull=False).count() == 2
    # the hazard names the inspection that found it
    page.goto(f"/hazards/{hazards[0].pk}/")
    assert page.get_by_test_id("hazard-inspection").get_attribute("href") == f"/inspections/{insp.pk}/"
    # the desk list shows it done
    page.set_viewport_size(DESKTOP)
    page.goto("/inspections/?status=done")
    assert page.get_by_test_id("inspections").locator("tbody tr").count() == 1
    site.screenshot("inspection-7-desk-list")
    walk_the_loop(site, insp)


def walk_the_loop(site, insp):
    """Items 6 and 7 on from the completed inspection: the order, the review card, the county's dashboard."""
    page = site.page
    # the documents the completion issued, and the rectification order from the phone
    page.set_viewport_size(PHONE)
    page.goto(f"/inspections/{insp.pk}/")
    assert page.get_by_test_id("document-inspection_record").is_visible()
    order = page.get_by_test_id("order-card")
    order.get_by_test_id("order-deadline").fill(days(3).isoformat())
    submit(page, order.get_by_test_id("issue-order"))
    assert page.get_by_test_id("document-rectification_order").is_visible()
    site.screenshot("loop-1-inspection-documents")
    page.goto("/inspections/reviews/")
    card = page.get_by_test_id("review-cards").locator("article").first
    assert card.get_by_test_id("countdown").inner_text() == "剩余 3 天"
    site.screenshot("loop-2-review-cards")
    submit(page, card.get_by_role("link", name="去复查"))
    page.get_by_test_id("rectified-1").click()
    page.get_by_test_id("not-rectified-2").click()
    page.get_by_test_id("review-note").fill("外部安全防护距离仍不足")
    assert sideways(page) <= 0
    site.screenshot("loop-3-review-card")
    submit(page, page.get_by_test_id("record-review"))
    assert page.get_by_test_id("review-status").inner_text() == "未整改"
    assert page.get_by_test_id("open-case").get_attribute("href") == f"/cases/new/?inspection={insp.pk}"
    assert page.get_by_test_id("document-review_opinion").is_visible()
    site.screenshot("loop-4-not-rectified")
    # the county office reads the loop: one inspection with findings, not rectified and no case yet
    site.context.clear_cookies()
    site.login("county_office")
    page.set_viewport_size(DESKTOP)
    page.goto("/enforcement/loops/")
    assert page.get_by_test_id("total-stuck").inner_text() == "1"
    assert page.get_by_test_id("total-open").inner_text() == "1"
    site.screenshot("loop-5-dashboard")
    page.set_viewport_size(PHONE)
    assert sideways(page) <= 0
    site.screenshot("loop-6-dashboard-phone")
