"""Hazards (隐患排查治理) as their users meet them in a real browser (headless Debian Chromium).

A grid worker reports from a phone, an enterprise rectifies its self-check finding and a second
account of it accepts, an inspector records a major hazard by the official standard, the county
office reads the ledger, exports it and lists a major hazard for supervision. Each test checks what
the user sees, and the database where "exactly one was created" is the point. Full-page screenshots
go to var/screens/hz-*.png for a human look.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone

from anquan.core.scope import restrict
from anquan.core.workdays import add_working_days
from anquan.hazards import services as reporting
from anquan.hazards.excel import LEDGER_COLUMNS
from anquan.hazards.models import Attachment, Hazard, JudgementItem, Listing

from ..hazards import conftest as hazards_conftest
from ..hazards.conftest import PNG
from .conftest import PHONE
from .pages import (
    CHEM_T1,
    answer_lost,
    download_export,
    flash_messages,
    go_back,
    hazard_action,
    hazard_badges,
    hazard_status,
    ledger_rows,
    pick_enterprise,
    submit,
    timeline,
)

pytestmark = [pytest.mark.browser]

safety_officer = hazards_conftest.safety_officer  # the fixture: a second account of 江西化工测试有限公司

CHEMICAL_DOC_NO = "安监总管三〔2017〕121号"
DETAIL_URL = re.compile(r"/hazards/(\d+)/(?:act/)?$")  # a refused step shows the page again at …/act/


@pytest.fixture
def photo(tmp_path):
    """A real PNG on disk, as a phone's camera would hand it to the file field."""
    path = tmp_path / "现场照片.png"
    path.write_bytes(PNG)
    return path


def chemical_item(no: int) -> JudgementItem:
    return JudgementItem.objects.get(standard__code="chemical", clause=f"第{no}项")


def hazard_id(page) -> int:
    match = DETAIL_URL.search(page.url)
    assert match, f"not on a hazard page: {page.url}"
    return int(match.group(1))


def image_loaded(page, image) -> bool:
    return page.evaluate("(img) => img.complete && img.naturalWidth > 0", image.element_handle())


def fill_public_place_report(page, place: str, description: str, photo):
    page.locator("#r-address").fill(place)
    page.locator("#r-description").fill(description)
    page.locator("#r-photos").set_input_files(str(photo))


def report_button(page):
    return page.locator("form.aq-phone-form button[type=submit]")


# --- 1. a grid worker reports from a phone; a resent form makes no second hazard ------------------


def test_grid_worker_reports_a_public_place_hazard_from_a_phone(phone_site, world, photo):
    site = phone_site
    page = site.login("grid_worker")
    page.goto("/hazards/new/")
    # a public place: the region is the worker's township already, a grid patrol the only source
    assert page.locator("#picker-region input[type=hidden]").input_value() == world.t1.code
    assert page.locator("#r-source").count() == 0
    fill_public_place_report(page, "濂溪农贸市场东门", "消防通道被摊位堵塞，两具灭火器已过期", photo)
    site.screenshot("hz-01-phone-report-form")
    # usable at 390 px: nothing sticks out sideways, the fields and the button span the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for field in ("#r-address", "#r-description", "label[for=r-photos]"):
        assert page.locator(field).bounding_box()["width"] >= 300, field
    # the photo button speaks Chinese whatever the browser's own language, and names the chosen file
    assert page.locator("label[for=r-photos]").inner_text().strip() == "拍照或选择照片"
    assert page.locator("[data-aq-files-shown]").inner_text().endswith(".png")
    button = report_button(page)
    box = button.bounding_box()
    assert box["width"] >= 300 and box["height"] >= 44  # a thumb-sized target

    submit(page, button)
    hazard = Hazard.objects.get()  # exactly one
    assert hazard_id(page) == hazard.pk
    assert hazard_status(page) == "待受理"  # a patrol report waits for an authority to accept it
    main = page.locator("main").inner_text()
    assert "濂溪农贸市场东门" in main and "消防通道被摊位堵塞" in main
    assert f"隐患{hazard.number}已登记。" in flash_messages(page)
    thumb = page.get_by_test_id("photos-before").locator("img")  # labelled 整改前, beside 整改后
    assert thumb.count() == 1
    thumb.scroll_into_view_if_needed()
    page.wait_for_function("(img) => img.complete", arg=thumb.element_handle())
    assert image_loaded(page, thumb), "the photo's thumbnail does not load"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    site.screenshot("hz-02-phone-hazard")
    assert (hazard.status, hazard.source, hazard.enterprise, hazard.region) == (
        "reported",
        "grid_patrol",
        None,
        world.t1,
    )
    assert hazard.address == "濂溪农贸市场东门"
    attachment = Attachment.objects.get()
    assert (attachment.hazard, attachment.stage, attachment.name) == (hazard, "report", "现场照片.png")
    with attachment.file.open("rb") as stored:
        assert stored.read() == PNG

    # weak network: the server records the report but its answer never reaches the phone, so the phone
    # keeps it to send again (field.js) with its hidden form_key, which makes it one hazard.
    page.goto("/hazards/new/")
    fill_public_place_report(page, "濂溪农贸市场西门", "配电箱门未关，电线裸露", photo)
    with answer_lost(page, "*/hazards/new/") as lost:
        report_button(page).click()
    assert lost == [204]  # the server did record it (a done field post answers 204 + X-Aq-Location)…
    second = Hazard.objects.exclude(pk=hazard.pk).get()
    outbox = page.get_by_test_id("outbox")  # …but the phone heard nothing: it waits to be sent
    outbox.get_by_text("待发送 1 条").wait_for()
    assert page.url.endswith("/hazards/new/")
    outbox.get_by_role("button", name="立即发送").click()
    sent = page.get_by_test_id("outbox-note").filter(has_text="已发送 1 条")
    sent.wait_for()
    assert sent.get_by_role("link").get_attribute("href").endswith(f"/hazards/{second.pk}/")  # replayed
    assert Hazard.objects.count() == 2
    assert Attachment.objects.filter(hazard=second).count() == 1

    # a double tap on the submit button of a fresh form: one more hazard, not two
    page.goto("/hazards/new/")
    fill_public_place_report(page, "濂溪公园南门", "游乐设施护栏松动", photo)
    report_button(page).dblclick()
    # the second tap may abort the first tap's navigation, so wait for where the page ends up, not for one load
    page.wait_for_function(r"() => /\/hazards\/\d+\/$/.test(location.pathname)")
    page.wait_for_load_state()
    third = Hazard.objects.get(description="游乐设施护栏松动")
    assert hazard_id(page) == third.pk
    assert Hazard.objects.count() == 3
    assert Attachment.objects.filter(hazard=third).count() == 1


def test_going_back_to_a_sent_report_and_sending_it_again_records_it_once(phone_site, world, photo):
    """The phone's back button after a report shows the form again as it was sent (the browser restores
    the place, the description and the photo); tapping "submit" again must not record a second hazard.
    (A form that comes back empty would be fine too: then there is nothing to resend.)"""
    page = phone_site.login("grid_worker")
    page.goto("/hazards/new/")
    fill_public_place_report(page, "濂溪农贸市场东门", "消防通道被摊位堵塞", photo)
    submit(page, report_button(page))
    first = Hazard.objects.get()
    assert hazard_id(page) == first.pk

    go_back(page)
    page.wait_for_url(re.compile(r"/hazards/new/$"))
    if page.locator("#r-description").input_value() == "":
        return  # the form comes back empty (also fine): whatever is sent from it is a new report
    # Chromium restores what was typed and the chosen photo
    assert page.locator("#r-address").input_value() == "濂溪农贸市场东门"
    assert page.locator("#r-description").input_value() == "消防通道被摊位堵塞"
    assert page.evaluate("document.querySelector('#r-photos').files.length") == 1
    submit(page, report_button(page))
    assert Hazard.objects.count() == 1, (
        "the same report, sent again from the restored form, was recorded twice"
    )
    assert hazard_id(page) == first.pk


# --- 2. an enterprise rectifies its self-check finding; a second account accepts it ------------


def test_enterprise_self_check_is_rectified_and_accepted_by_a_second_account(
    site, world, safety_officer, photo
):
    page = site.login("enterprise_manager")
    page.goto("/hazards/new/")
    # the enterprise is implicit: it is named, not searched for, and a self-check is the only source
    form = page.locator("form.aq-phone-form")
    assert CHEM_T1 in form.inner_text()
    assert page.locator("#r-find").count() == 0 and page.locator("#r-source").count() == 0
    page.locator("#r-description").fill("储罐区防爆灯具损坏")
    submit(page, report_button(page))
    hazard = Hazard.objects.get()
    assert hazard_id(page) == hazard.pk
    assert (hazard.enterprise, hazard.source, hazard.level) == (world.chem_t1, "self_check", "general")
    assert hazard_status(page) == "已确认"
    assert CHEM_T1 in page.locator("main").inner_text()

    # 部署整改 with a period in working days: the page shows the date it ends on and how it was counted
    hazard_action(
        page,
        "assign",
        responsible_party="生产部 王强",
        measures="更换为防爆型灯具",
        deadline_working_days="10",
    )
    assert hazard_status(page) == "整改中"
    today = timezone.localdate()
    due = add_working_days(today, 10)
    deadline = page.get_by_test_id("deadline").inner_text()
    assert deadline.startswith(due.isoformat()), deadline
    assert f"{today.isoformat()}起10个工作日" in deadline
    site.screenshot("hz-03-self-check-assigned")

    # 提交整改: what was done, with a photo
    form = page.get_by_test_id("form-submit")
    form.locator("[name=evidence]").fill("已更换为防爆型灯具并试亮正常")
    form.locator("input[type=file][name=files]").set_input_files(str(photo))
    submit(page, form.locator("button[type=submit]"))
    assert hazard_status(page) == "待验收"
    assert "已更换为防爆型灯具并试亮正常" in page.locator("main").inner_text()
    evidence = Attachment.objects.get(hazard=hazard, stage="evidence")
    assert (
        page.get_by_test_id("photos-after").locator(f"img[src='/hazards/attachments/{evidence.pk}/']").count()
        == 1
    )
    # separation of duties: whoever submitted the rectification does not accept it
    assert page.get_by_role("button", name="验收销号").count() == 0
    assert page.get_by_test_id("form-accept_rectification").count() == 0
    site.screenshot("hz-04-submitted-no-accept-button")

    # the enterprise's safety manager, on the same computer
    page.locator("nav.aq-topbar form[action='/logout/'] button").click()
    page.wait_for_url(re.compile(r"/login/"))
    site.login("safety_officer")
    page.goto(f"/hazards/{hazard.pk}/")
    assert hazard_status(page) == "待验收"
    hazard_action(
        page, "accept_rectification", opinion="灯具已更换为防爆型，验收合格"
    )  # 验收意见 is required
    assert hazard_status(page) == "已销号"
    assert timeline(page) == ["上报", "部署整改", "提交整改", "验收销号"]
    assert page.get_by_role("button", name="验收销号").count() == 0
    site.screenshot("hz-05-self-check-closed")
    hazard.refresh_from_db()
    assert (hazard.status, hazard.accepted_by, hazard.submitted_by) == (
        "closed",
        safety_officer,
        world.users["enterprise_manager"],
    )
    assert hazard.deadline == due


# --- 3. an inspector records a major hazard by the standard; the five assurances are enforced ---


def test_inspector_records_a_major_hazard_by_the_standard_and_must_plan_all_five(site, world):
    item = chemical_item(1)
    page = site.login("inspector")
    page.goto("/hazards/new/")
    pick_enterprise(page, "jxhgcs", world.chem_t1.uscc)
    assert page.locator("#r-found [data-aq-fill]").count() == 0  # the suggestions are gone once picked
    chosen = page.locator("[data-aq-chosen=enterprise]").inner_text()
    assert CHEM_T1 in chosen and world.chem_t1.uscc in chosen

    # the chemical standard's items are offered under its title and document number
    group = page.locator(f"#r-item optgroup[label*='{CHEMICAL_DOC_NO}'][label^='化工']")
    assert group.count() == 1
    offered = group.locator("option").all_inner_texts()
    assert len(offered) == JudgementItem.objects.filter(standard=item.standard).count() >= 20
    page.locator("#r-item").select_option(str(item.pk))
    page.locator("#r-description").fill("危险化学品生产装置未经具备资质的单位设计，主要负责人未经考核合格")
    site.screenshot("hz-06-inspector-report-form")
    submit(page, report_button(page))

    hazard = Hazard.objects.get()
    assert hazard_id(page) == hazard.pk
    assert (hazard.enterprise, hazard.level, hazard.source, hazard.judgement_item) == (
        world.chem_t1,
        "major",
        "inspection",
        item,
    )
    assert "重大事故隐患档案" in page.locator("h1").inner_text()
    assert hazard_badges(page)[:2] == ["已确认", "重大"]
    level = page.locator("main dl dd .text-danger").inner_text()
    assert CHEMICAL_DOC_NO in level and item.clause in level and item.text[:20] in level
    site.screenshot("hz-07-major-dossier")

    # 部署整改 with measures, a person and a period, but no funds and no contingency plan
    hazard_action(
        page,
        "assign",
        responsible_party="江西化工测试有限公司 主要负责人",
        measures="委托具备资质的设计单位进行设计诊断",
        deadline_working_days="30",
    )
    assert hazard_id(page) == hazard.pk
    messages = " ".join(flash_messages(page))
    assert "重大事故隐患的整改方案须落实措施、责任、资金、时限和预案（五落实）" in messages
    assert "整改资金不能为空" in messages and "应急预案不能为空" in messages
    assert hazard_status(page) == "已确认"
    assert timeline(page) == ["上报"]
    # what was typed is still there, to be completed rather than typed again
    form = page.locator('[data-testid="form-assign"]')
    assert form.locator("[name=responsible_party]").input_value() == "江西化工测试有限公司 主要负责人"
    assert form.locator("[name=measures]").input_value() == "委托具备资质的设计单位进行设计诊断"
    site.screenshot("hz-08-five-assurances-refused")
    hazard.refresh_from_db()
    assert hazard.status == "confirmed" and hazard.responsible_party == "" and hazard.deadline is None


# --- 4. the ledger: filter, export exactly what is filtered; statistics ----------------------------


def seed_ledger(world) -> None:
    """Two major and two general hazards in 濂溪区, and a major one in 修水县 the county office must not see."""
    users = world.users
    reporting.report_hazard(
        {
            "enterprise": world.chem_t1.uscc,
            "source": "inspection",
            "judgement_item": chemical_item(1).pk,
            "description": "装置未经正规设计",
        },
        actor=users["inspector"],
    )
    reporting.report_hazard(
        {
            "enterprise": world.chem_t2.uscc,
            "source": "inspection",
            "judgement_item": chemical_item(3).pk,
            "description": "涉及重点监管工艺未实现自动化控制",
        },
        actor=users["inspector"],
    )
    reporting.report_hazard({"description": "消防器材过期"}, actor=users["enterprise_manager"])
    reporting.report_hazard(
        {"region": world.t1.code, "address": "濂溪广场", "description": "广场护栏松动"},
        actor=users["grid_worker"],
    )
    reporting.report_hazard(
        {
            "enterprise": world.chem_xiushui.uscc,
            "source": "inspection",
            "judgement_item": chemical_item(2).pk,
            "description": "修水县的重大隐患",
        },
        actor=users["county_office_b"],
    )


def test_county_office_filters_the_ledger_exports_it_and_reads_the_statistics(site, world):
    seed_ledger(world)
    office = world.users["county_office"]
    mine = restrict(Hazard, office)
    assert mine.count() == 4 and Hazard.objects.count() == 5

    page = site.login("county_office")
    page.goto("/hazards/")
    assert {r["id"] for r in ledger_rows(page)} == set(mine.values_list("pk", flat=True))
    assert "修水县的重大隐患" not in page.locator("main").inner_text()
    page.locator("#f-level").select_option("major")
    submit(page, page.get_by_role("button", name="筛选", exact=True))
    assert re.search(r"[?&]level=major(&|$)", page.url)
    major = mine.filter(level="major")
    shown = ledger_rows(page)
    assert {r["id"] for r in shown} == set(major.values_list("pk", flat=True)) and len(shown) == 2
    site.screenshot("hz-09-ledger-major")

    rows = download_export(page)
    assert list(rows[0]) == [c.label for c in LEDGER_COLUMNS]
    data = rows[1:]
    assert len(data) == major.count()
    assert sorted(r[5] for r in data) == sorted(major.values_list("description", flat=True))
    assert [r[0] for r in data] == list(range(1, len(data) + 1))
    assert {r[6] for r in data} == {"重大事故隐患"}
    assert {r[2] for r in data} == {CHEM_T1, world.chem_t2.name}
    assert {r[15] for r in data} == {"已确认"}

    # statistics: a chart drawn by ECharts, and the table's total is what the database holds
    # every hazard, not the default (the year to the last complete month): these were found today
    page.goto("/hazards/stats/?found_from=&found_to=")
    page.locator("#chart canvas").first.wait_for()
    # ECharts paints on an animation frame: wait until the canvas has a fair number of painted pixels
    page.wait_for_function(
        """() => { const c = document.querySelector("#chart canvas");
            const px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
            let n = 0; for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++; return n > 1000; }"""
    )
    table = page.get_by_test_id("stats-table")
    total = table.locator("tbody tr").last.locator("td")
    assert total.nth(0).inner_text().strip() == "合计"
    assert int(total.nth(1).inner_text()) == mine.count() == 4
    assert int(total.nth(3).inner_text()) == mine.count()  # none closed yet: all open
    by_township = {
        row.locator("td").nth(0).inner_text().strip(): int(row.locator("td").nth(1).inner_text())
        for row in table.locator("tbody tr").all()[:-1]
    }
    assert by_township[world.t1.name] == mine.filter(region_code__startswith=world.t1.prefix).count() == 3
    assert by_township[world.t2.name] == 1
    site.screenshot("hz-10-statistics")


# --- 5. listing a major hazard for supervision (挂牌督办) ------------------------------------------


def test_county_office_lists_a_major_hazard_for_supervision(site, world):
    hazard = reporting.report_hazard(
        {
            "enterprise": world.chem_t1.uscc,
            "source": "inspection",
            "judgement_item": chemical_item(1).pk,
            "description": "装置未经正规设计",
        },
        actor=world.users["inspector"],
    )
    document_no = "濂安委督〔2026〕3号"
    deadline = timezone.localdate() + dt.timedelta(days=60)

    page = site.login("county_office")
    page.goto(f"/hazards/{hazard.pk}/")
    assert "挂牌" not in hazard_badges(page)
    form = page.get_by_test_id("form-list")
    # a county office lists in its own name only
    assert form.locator("select[name=level] option").all_inner_texts() == ["县级"]
    assert form.locator("[name=authority]").input_value() == "濂溪区安全生产委员会"
    form.locator("[name=document_no]").fill(document_no)
    form.locator("[name=deadline]").fill(deadline.isoformat())
    site.screenshot("hz-11-listing-form")
    submit(page, form.locator("button"))

    assert hazard_id(page) == hazard.pk
    assert "已保存。" in flash_messages(page)
    assert hazard_badges(page) == ["已确认", "重大", "挂牌"]
    card = page.locator(".card", has=page.locator(".card-header", has_text="挂牌督办"))
    assert card.count() == 1
    text = card.inner_text()
    assert document_no in text and "濂溪区安全生产委员会" in text and deadline.isoformat() in text
    assert page.get_by_test_id("form-list").count() == 0  # listed once
    assert timeline(page) == ["上报", "挂牌督办"]
    site.screenshot("hz-12-listed")
    listing = Listing.objects.get(hazard=hazard)
    assert (listing.level, listing.document_no, listing.deadline, listing.delisted_at) == (
        "county",
        document_no,
        deadline,
        None,
    )

    # the ledger shows it listed as well
    page.goto("/hazards/?listed=true")
    assert [r["id"] for r in ledger_rows(page)] == [hazard.pk]
    assert "挂牌" in page.get_by_test_id("hazard-table").locator("tbody tr").first.inner_text()
