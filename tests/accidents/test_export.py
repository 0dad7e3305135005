"""The accident register's Excel export (issue #18): the register's rows under its filters, cell by cell as the
register and the accident's page show them, only the user's scope; a filter it cannot mean answered with the
register's error (page) or 422 (API); over the threshold a job whose file holds every row; the API export with a
token over real HTTP."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook

from anquan.accidents import actions
from anquan.accidents.choices import Grade, Status
from anquan.accidents.models import Accident
from anquan.jobs import worker
from anquan.jobs.models import Job, JobKind, JobStatus

from ..browserless import call, token_for
from ..conftest import login

pytestmark = pytest.mark.django_db

HEADER = [
    "序号",
    "发生时间",
    "单位或场所",
    "统一社会信用代码",
    "区域",
    "地点",
    "行业",
    "事故类别",
    "死亡（人）",
    "失踪（人）",
    "重伤（人）",
    "轻伤（人）",
    "直接经济损失（元）",
    "事故等级",
    "状态",
    "调查报告期限",
    "调查是否超期",
    "事故简要经过",
]


@pytest.fixture
def accidents(world):
    """Two accidents in 濂溪区 (one at an enterprise, one at an address) and one in 修水县."""
    county = world.users["county_office"]
    larger = actions.report_accident(
        {
            "occurred_at": "2026-11-02T08:15",
            "enterprise": world.chem_t1.uscc,
            "category": "WSA10023",
            "deaths": 3,
            "missing": 1,
            "serious_injuries": 2,
            "minor_injuries": 4,
            "direct_loss_yuan": "1234567.89",
            "summary": "有限空间作业中毒",
        },
        actor=county,
    )
    ordinary = actions.report_accident(
        {
            "occurred_at": "2026-10-20T14:30",
            "region": "360402",
            "address": "濂溪区十里大道路口",
            "category": "WSA10001",
            "minor_injuries": 1,
            "direct_loss_yuan": "800",
            "summary": "搬运时物体打击",
        },
        actor=county,
    )
    elsewhere = actions.report_accident(
        {
            "occurred_at": "2026-11-05T09:00",
            "enterprise": world.chem_xiushui.uscc,
            "category": "WSA10001",
            "summary": "修水县的事故",
        },
        actor=world.users["county_office_b"],
    )
    return {"larger": larger, "ordinary": ordinary, "elsewhere": elsewhere}


def data_rows(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet[3]] == HEADER
    return [list(row) for row in sheet.iter_rows(min_row=4, values_only=True)]


def expected(a: Accident) -> list:
    """An accident as the register and its page show it (read as a model instance, labels in Chinese)."""
    with translation.override("zh-hans"):
        grade, status = str(Grade(a.grade).label), str(Status(a.status).label)
    return [
        timezone.localtime(a.occurred_at).strftime("%Y-%m-%d %H:%M"),
        a.enterprise.name if a.enterprise_id else a.address,
        a.enterprise.uscc if a.enterprise_id else None,
        a.region.full_name,
        a.address,
        a.industry.name if a.industry_id else None,
        a.category.name,
        a.deaths,
        a.missing,
        a.serious_injuries,
        a.minor_injuries,
        float(a.direct_loss_yuan),
        grade,
        status,
        a.investigation_due.isoformat() if a.investigation_due else None,
        "否",
        a.summary,
    ]


def test_the_register_export_holds_each_accident_in_scope_cell_by_cell(world, accidents):
    client = login(world.users["county_office"])
    assert 'href="/accidents/export.xlsx?' in client.get("/accidents/").content.decode()  # the button
    response = client.get("/accidents/export.xlsx")
    assert response.status_code == 200
    rows = data_rows(response.content)
    larger, ordinary = (Accident.objects.get(pk=accidents[k].pk) for k in ("larger", "ordinary"))
    assert rows == [[1, *expected(larger)], [2, *expected(ordinary)]]  # newest first, as the register
    assert rows[0][2:5] == ["江西化工测试有限公司", world.chem_t1.uscc, larger.region.full_name]
    assert rows[0][8:14] == [3, 1, 2, 4, 1234567.89, "较大事故"]
    assert rows[1][2] == "濂溪区十里大道路口" and rows[1][12] == 800 and rows[1][13] == "一般事故"
    assert all("修水" not in str(cell) for row in rows for cell in row)  # out of scope: absent
    # the register's filters: what the list shows is what the file holds
    only = data_rows(client.get("/accidents/export.xlsx?grade=larger&year=2026").content)
    assert [r[2] for r in only] == ["江西化工测试有限公司"]
    assert data_rows(client.get("/accidents/export.xlsx?year=2025").content) == []
    # the other county sees only its own accident
    other = data_rows(login(world.users["county_office_b"]).get("/accidents/export.xlsx").content)
    assert [r[2] for r in other] == ["修水化学有限公司"]


def test_an_investigation_past_its_due_date_is_marked_overdue(world, accidents):
    Accident.objects.filter(pk=accidents["larger"].pk).update(
        status=Status.INVESTIGATING, investigation_due=timezone.localdate() - dt.timedelta(days=1)
    )
    rows = data_rows(login(world.users["county_office"]).get("/accidents/export.xlsx").content)
    assert rows[0][15:17] == [(timezone.localdate() - dt.timedelta(days=1)).isoformat(), "是"]
    assert rows[1][16] == "否"


def test_a_filter_the_register_cannot_mean_goes_back_to_it_saying_why(world, accidents, api_token):
    client = login(world.users["county_office"])
    response = client.get("/accidents/export.xlsx?grade=huge&year=1800", follow=True)
    assert response.redirect_chain == [("/accidents/?grade=huge&year=1800", 302)]
    page = response.content.decode()
    assert "事故等级无效" in page and "江西化工测试有限公司" not in page
    assert not Job.objects.exists()
    api = client.get("/api/v1/accidents/export?grade=huge&from=2026-13-01", **api_token("county_office"))
    assert api.status_code == 422
    fields = {e["field"] for e in api.json()["detail"]}
    assert {"grade", "from"} <= fields


def test_a_large_register_export_runs_as_a_job_and_its_file_holds_every_row(world, accidents, settings):
    settings.EXPORT_BACKGROUND_ROWS = 1
    client = login(world.users["county_office"])
    response = client.get("/accidents/export.xlsx")
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.kind == JobKind.ACCIDENT_EXPORT and job.status == JobStatus.QUEUED
    worker.run_pending()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.total_rows == 2 and job.processed == 2
    download = client.get(f"/jobs/{job.pk}/download")
    content = b"".join(download.streaming_content) if download.streaming else download.content
    rows = data_rows(content)
    assert [r[2] for r in rows] == ["江西化工测试有限公司", "濂溪区十里大道路口"]
    assert login(world.users["county_office_b"]).get(f"/jobs/{job.pk}/download").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_api_export_over_http_with_a_token(live_server, world, accidents, settings):
    base = live_server.url
    token = token_for(base, world.users["county_office"].username)
    code, headers, body = call(base, "GET", "/api/v1/accidents/export?grade=ordinary", token=token)
    assert code == 200 and headers["Content-Type"].startswith("application/vnd.openxmlformats")
    assert [r[2] for r in data_rows(body)] == ["濂溪区十里大道路口"]
    code, _, body = call(base, "GET", "/api/v1/accidents/export?region=360424", token=token)
    assert code == 200 and data_rows(body) == []  # another county's region: nothing of it
    assert call(base, "GET", "/api/v1/accidents/export?from=2026-02-30", token=token)[0] == 422
    assert call(base, "GET", "/api/v1/accidents/export")[0] == 401
    settings.EXPORT_BACKGROUND_ROWS = 1
    code, _, body = call(base, "GET", "/api/v1/accidents/export?from=2026-10-01&to=2026-11-30", token=token)
    queued = json.loads(body)
    assert code == 202 and queued["kind"] == "accident_export"
    worker.run_pending()
    done = json.loads(call(base, "GET", queued["url"], token=token)[2])
    code, _, body = call(base, "GET", done["result_url"], token=token)
    assert code == 200 and len(data_rows(body)) == 2
    assert Decimal(str(data_rows(body)[0][12])) == Decimal("1234567.89")
