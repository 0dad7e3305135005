"""The city office in a real browser (Debian's headless Chromium): reads the accident dashboard, generates
the quarterly bulletin from it — queued, its progress on the page, then the download — and downloads the .docx. Screenshots: var/screens/bulletins-*.png."""

import pytest
from django.utils import timezone

from anquan.accidents.models import Accident
from anquan.bulletins.models import Bulletin
from anquan.jobs import worker

from ..bulletins.conftest import docx_text, jiujiang_history, read_docx  # noqa: F401 (a fixture, too)
from .pages import pick_region, submit

pytestmark = [pytest.mark.browser]


def test_dashboard_to_quarterly_bulletin(site, jiujiang_history):  # noqa: F811 (the imported fixture)
    page = site.login("city_office")
    page.goto("/bulletins/dashboard/")
    # narrow to one county and a quarter through the form, as an official would
    pick_region(page, "region", 0, "360402")
    page.locator("#d-period").select_option("quarter")
    page.locator("#d-year").fill("2026")
    page.locator("#d-quarter").select_option("4")
    submit(page, page.get_by_role("button", name="查询"))
    assert "濂溪区" in page.locator("h1").inner_text()
    county_count = Accident.objects.filter(
        region_code__startswith="360402", occurred_at__year=2026, occurred_at__month__gte=10
    ).count()
    assert page.get_by_test_id("count").inner_text() == str(county_count)
    # back to the whole city and November: the seeds' sentence
    page.get_by_test_id("region-picker-region").locator("select").first.select_option("")  # 九江市（全部）
    page.wait_for_function(
        "() => document.querySelector('#picker-region input[type=hidden]').value === '360400'"
    )
    page.locator("#d-period").select_option("month")
    page.locator("#d-month").select_option("11")
    submit(page, page.get_by_role("button", name="查询"))
    page.locator("#chart canvas").wait_for()  # ECharts drew the chart
    summary = page.get_by_test_id("summary").text_content()
    assert "同比分别下降24.4%、7.1%" in summary
    assert page.get_by_test_id("area-table").locator("tbody tr").count() == 14  # 13 counties and the total
    site.screenshot("bulletins-dashboard")

    page.get_by_test_id("generate-quarterly").click()
    # the fourth quarter has not ended: a warning first, generated once confirmed
    confirm_incomplete(page, site)
    # the bulletins page shows the queued job; the worker generates it and the page shows the download
    page.wait_for_url("**/bulletins/?job=*")
    box = page.get_by_test_id("job-box")
    assert box.get_attribute("data-status") == "queued" and "等待中" in box.inner_text()
    assert (
        page.get_by_test_id("job-bar").is_visible() and not page.get_by_test_id("job-download").is_visible()
    )
    site.screenshot("bulletins-queued")
    worker.run_pending()
    page.get_by_test_id("job-download").wait_for(timeout=30_000)  # found by the page's polling, no reload
    assert box.get_attribute("data-status") == "done" and not page.get_by_test_id("job-bar").is_visible()
    bulletin = Bulletin.objects.get()
    assert bulletin.kind == "quarterly_bulletin" and bulletin.period_start.month == 10
    site.screenshot("bulletins-ready")

    with page.expect_download() as info:
        page.get_by_test_id("job-download").click()
    download = info.value
    assert download.suggested_filename == f"九江市2026年第四季度（{as_of()}）安全生产形势通报.docx"
    with open(download.path(), "rb") as handle:
        assert "同比分别下降24.4%、7.1%" in docx_text(read_docx(handle.read()))
    page.reload()
    assert (
        f"九江市2026年第四季度（{as_of()}）安全生产形势通报"
        in page.get_by_test_id("bulletin-table").text_content()
    )


def as_of() -> str:
    today = timezone.localdate()
    return f"截至{today.month}月{today.day}日"


def confirm_incomplete(page, site, screenshot: str = "bulletins-incomplete-warning") -> None:
    """The warning a running period gets on the bulletins page, then its confirmation."""
    page.wait_for_url("**/bulletins/generate/")
    warning = page.get_by_test_id("incomplete-warning")
    assert "尚未结束" in warning.inner_text() and as_of() in warning.inner_text()
    assert not Bulletin.objects.exists()
    site.screenshot(screenshot)
    page.locator("#g-confirm").check()
    submit(page, page.get_by_test_id("generate-form").get_by_role("button", name="生成"))


def test_a_province_quarterly_bulletin_on_a_phone(phone_site, jiujiang_history):  # noqa: F811
    """The province office asks for the quarterly bulletin on a phone: the page shows the job's progress
    while it runs, then the download."""
    page = phone_site.login("province_office")
    page.goto("/bulletins/dashboard/?region=360000&period=quarter&year=2026&quarter=4")
    page.get_by_test_id("generate-quarterly").click()
    confirm_incomplete(page, phone_site, "bulletins-province-phone-incomplete-warning")
    page.wait_for_url("**/bulletins/?job=*")
    box = page.get_by_test_id("job-box")
    assert "等待中" in box.inner_text() and page.get_by_test_id("job-bar").is_visible()
    assert box.bounding_box()["width"] <= 390  # fits the phone's width
    phone_site.screenshot("bulletins-province-phone-queued")
    worker.run_pending()
    link = page.get_by_test_id("job-download")
    link.wait_for(timeout=30_000)
    assert f"江西省2026年第四季度（{as_of()}）安全生产形势通报.docx" in link.inner_text()
    phone_site.screenshot("bulletins-province-phone-ready")
    with page.expect_download() as info:
        link.click()
    assert info.value.suggested_filename == f"江西省2026年第四季度（{as_of()}）安全生产形势通报.docx"


def test_a_first_year_dashboard_leads_to_entering_last_years_totals(site):
    """The system's first year: the dashboard states no 同比 and says why, with a link for the office to enter
    last year's months; once entered, the comparison appears."""
    from anquan.regions.models import Region

    from ..bulletins.conftest import seed

    counties = list(Region.objects.filter(parent__code="360400").values_list("code", flat=True))
    seed(2026, [1] * 30, counties)  # recorded from January 2026 only
    page = site.login("city_office")
    page.goto("/bulletins/dashboard/?region=360400&period=month&year=2026&month=11")
    summary = page.get_by_test_id("summary").text_content()
    assert "1-11月，全市共发生生产安全事故30起、死亡30人，未发生较大" in summary and "为零" not in summary
    note = page.get_by_test_id("comparison-note")
    assert "不作同比" in note.inner_text()
    site.screenshot("periods-first-year-dashboard")

    submit(page, note.get_by_role("link", name="填报上年同期数据"))
    assert "2025" in page.locator("h1").inner_text()
    for month in range(1, 12):
        page.locator("#p-month").select_option(str(month))
        page.locator("#p-accidents").fill("4")
        page.locator("#p-deaths").fill("3")
        page.locator("#p-note").fill("2025年事故统计台账")
        submit(page, page.get_by_test_id("prior-form").get_by_role("button", name="保存"))
    assert page.get_by_test_id("months-table").locator("tr[data-month='11'] td").nth(1).inner_text() == "4"
    site.screenshot("periods-last-year-entered")

    page.goto("/bulletins/dashboard/?region=360400&period=month&year=2026&month=11")
    summary = page.get_by_test_id("summary").text_content()
    assert "同比分别下降31.8%、9.1%" in summary
    assert "安委办填报" in page.get_by_test_id("comparison-note").inner_text()
    site.screenshot("periods-first-year-compared")
