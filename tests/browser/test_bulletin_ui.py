"""The city office in a real browser (Debian's headless Chromium): reads the accident dashboard, generates
the quarterly bulletin from it and downloads the .docx. Screenshots: var/screens/bulletins-*.png."""

import pytest

from anquan.bulletins.models import Bulletin

from ..bulletins.conftest import docx_text, jiujiang_history, read_docx  # noqa: F401 (a fixture, too)

pytestmark = [pytest.mark.browser]


def test_dashboard_to_quarterly_bulletin(site, jiujiang_history):  # noqa: F811 (the imported fixture)
    page = site.login("city_office")
    page.goto("/bulletins/dashboard/?region=360400&period=month&year=2026&month=11")
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
