"""A large import in the browser: the page answers at once with the job's page, htmx polls its progress,
and the outcome appears without reloading (issue #9)."""

import pytest

from anquan.enterprises.models import Enterprise
from anquan.jobs import worker

from ..test_excel_import import good_row, workbook
from .pages import upload

pytestmark = pytest.mark.browser


def test_a_large_import_shows_its_progress_and_outcome(site, world, settings):
    settings.IMPORT_BACKGROUND_ROWS = 50
    rows = [good_row(n, world.t1.code) for n in range(1, 201)]
    rows[149]["employee_count"] = "很多"  # sheet row 151
    page = site.login("county_office")
    page.goto("/enterprises/import/")
    assert "文件不超过5MB，每次最多5000行" in page.get_by_test_id("import-limits").inner_text()
    result = upload(page, workbook(rows), "mode-all")
    assert "/jobs/" in page.url
    worker.run_pending()  # the worker runs it (`anquan worker`); the page finds out by polling
    result.wait_for(timeout=60_000)  # swapped in by the polling, no reload
    assert "共读取 200 行，导入 0 行，1 行有错误。" in result.inner_text()
    cells = [c.strip() for c in result.locator("tbody tr td").all_inner_texts()]
    assert cells == ["151", "从业人数", "从业人数应为不小于0的整数"]
    assert page.get_by_test_id("job-progress").get_attribute("hx-trigger") is None  # polling stopped
    site.screenshot("import-job-outcome")
    assert not Enterprise.objects.filter(name__startswith="测试企业").exists()


def test_the_job_page_polls_until_the_outcome(site, world):
    """A job that has not started yet: its page shows the progress, and the outcome replaces it when the job
    ends, without a reload."""
    from anquan.jobs import runner
    from anquan.jobs.models import JobKind

    rows = [good_row(n, world.t1.code) for n in range(1, 11)]
    job = runner.create(
        JobKind.ENTERPRISE_IMPORT,
        owner=world.users["county_office"],
        mode="valid_only",
        data=workbook(rows),
        file_name="企业.xlsx",
        total_rows=10,
    )
    page = site.login("county_office")
    page.goto(f"/jobs/{job.pk}/")
    progress = page.get_by_test_id("job-progress")
    assert progress.get_attribute("data-status") == "queued"
    assert page.locator("progress").is_visible() and "等待中" in progress.inner_text()
    page.evaluate("window.__same_page = true")
    runner.execute(job)  # the job runs now; the page finds out by polling
    result = page.get_by_test_id("import-result")
    result.wait_for(timeout=30_000)
    assert "共读取 10 行，导入 10 行，0 行有错误。" in result.inner_text()
    assert page.evaluate("window.__same_page") is True  # swapped in place, not reloaded
