"""The city office in a real browser (Debian's headless Chromium): reads the accident dashboard, generates
the quarterly bulletin from it and downloads the .docx. Screenshots: var/screens/bulletins-*.png."""

import pytest

from anquan.accidents.models import Accident
from anquan.bulletins.models import Bulletin

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
    page.wait_for_url("**/bulletins/?new=*")
    bulletin = Bulletin.objects.get()
    assert bulletin.kind == "quarterly_bulletin" and bulletin.period_start.month == 10
    assert "九江市2026年第四季度安全生产形势通报" in page.get_by_test_id("bulletin-table").text_content()
    site.screenshot("bulletins-list")

    with page.expect_download() as info:
        page.get_by_test_id(f"download-{bulletin.pk}").click()
    download = info.value
    assert download.suggested_filename == "九江市2026年第四季度安全生产形势通报.docx"
    with open(download.path(), "rb") as handle:
        assert "同比分别下降24.4%、7.1%" in docx_text(read_docx(handle.read()))
