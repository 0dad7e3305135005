"""/api/v1/bulletins (generate, list, download) and the pages /bulletins/ and /bulletins/dashboard/."""

import pytest
from django.test import Client

from anquan.bulletins.models import Bulletin
from anquan.jobs import worker
from anquan.jobs.models import Job

from ..conftest import login
from .conftest import docx_text, read_docx

pytestmark = pytest.mark.django_db

YOY = "同比分别下降24.4%、7.1%"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def post(headers, **body):
    return Client().post("/api/v1/bulletins", body, content_type="application/json", **headers)


def generated(headers, response) -> dict:
    """The bulletin a 202 asked for, once the worker has run the queued job (polled as a client would)."""
    assert response.status_code == 202, response.content
    job = response.json()
    assert (
        job["status"] == "queued" and job["url"] == f"/api/v1/jobs/{job['id']}" and job["result_url"] is None
    )
    worker.run_pending()
    done = Client().get(job["url"], **headers).json()
    assert done["status"] == "done" and done["percent"] == 100 and done["error"] == "", done
    bulletin_id = int(done["result_url"].split("/")[-2])
    assert done["result_url"] == f"/api/v1/bulletins/{bulletin_id}/download"
    return Client().get(f"/api/v1/bulletins/{bulletin_id}", **headers).json()


def test_generate_list_and_download(world, jiujiang_history, api_token):
    city = api_token("city_office")
    body = generated(
        city, post(city, kind="monthly_dispatch", region="360400", year=2026, month=11, issue_number="第11期")
    )
    assert body["kind"] == "monthly_dispatch" and body["title"] == "九江市2026年11月安全生产月调度"
    assert body["period"]["name"] == "2026年11月" and body["period"]["start"] == "2026-11-01"
    assert body["issue_number"] == "第11期" and body["created_by"] == "city_office"
    assert body["download_url"] == f"/api/v1/bulletins/{body['id']}/download"

    download = Client().get(body["download_url"], **city)
    assert download.status_code == 200 and download["Content-Type"] == DOCX
    assert "attachment" in download["Content-Disposition"]
    text = docx_text(read_docx(b"".join(download.streaming_content)))
    assert "1-11月" in text and YOY in text and "第11期" in text

    listed = Client().get("/api/v1/bulletins", **city).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == body["id"]
    assert Client().get("/api/v1/bulletins?kind=quarterly_bulletin", **city).json()["count"] == 0
    assert Client().get(f"/api/v1/bulletins/{body['id']}", **city).json()["title"] == body["title"]


def test_scope_out_of_region_is_422_and_another_countys_bulletin_is_404(world, jiujiang_history, api_token):
    lianxi, xiushui = api_token("county_office"), api_token("county_office_b")
    refused = post(lianxi, kind="yearly_evaluation", region="360400", year=2026)
    assert refused.status_code == 422
    assert refused.json()["detail"] == [
        {"field": "region", "code": "out_of_scope", "message": "区域不存在或不在您的管辖范围内"}
    ]
    own = post(lianxi, kind="yearly_evaluation", region="360402", year=2026, confirm_incomplete=True)
    bulletin_id = generated(lianxi, own)["id"]
    # the job is its owner's: another county does not find it
    assert Client().get(own.json()["url"], **xiushui).status_code == 404
    assert Client().get(f"/api/v1/bulletins/{bulletin_id}/download", **xiushui).status_code == 404
    assert Client().get(f"/api/v1/bulletins/{bulletin_id}", **xiushui).status_code == 404
    assert Client().get("/api/v1/bulletins", **xiushui).json() == {
        "items": [],
        "count": 0,
        "count_exact": True,
        "next": None,
    }
    # the city above sees the county's bulletin
    assert Client().get("/api/v1/bulletins", **api_token("city_office")).json()["count"] == 1


def test_bad_periods_and_roles(world, api_token):
    city = api_token("city_office")
    future = post(city, kind="yearly_evaluation", region="360400", year=2099)
    assert future.status_code == 422 and future.json()["detail"][0]["code"] == "future"
    no_month = post(city, kind="monthly_dispatch", region="360400", year=2026)
    assert no_month.json()["detail"] == [{"field": "month", "code": "required", "message": "请选择月份"}]
    assert post(city, kind="daily", region="360400", year=2026).status_code == 422
    supervisor = post(api_token("emergency_supervisor"), kind="yearly_evaluation", region="360402", year=2026)
    assert supervisor.status_code == 403
    assert not Bulletin.objects.exists()


def test_a_retried_request_creates_one_bulletin(world, api_token):
    city = api_token("city_office")
    body = {"kind": "monthly_dispatch", "region": "360400", "year": 2026, "month": 10}
    first = post({**city, "HTTP_IDEMPOTENCY_KEY": "k-1"}, **body)
    second = post({**city, "HTTP_IDEMPOTENCY_KEY": "k-1"}, **body)
    assert first.status_code == second.status_code == 202 and first.json() == second.json()
    assert Job.objects.count() == 1
    generated(city, first)
    assert Bulletin.objects.count() == 1


def test_bulletin_page_generates_lists_and_downloads(world, jiujiang_history):
    client = login(world.users["city_office"])
    page = client.get("/bulletins/")
    assert page.status_code == 200 and 'data-testid="generate-form"' in page.content.decode()
    done = client.post(
        "/bulletins/generate/",
        {
            "form_key": "f-1",
            "kind": "quarterly_bulletin",
            "region": "360400",
            "year": "2026",
            "quarter": "4",
            "confirm_incomplete": "1",
        },
    )
    job = Job.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/bulletins/?job={job.pk}"
    waiting = client.get(done["Location"]).content.decode()
    assert (
        'data-testid="job-box"' in waiting and 'data-status="queued"' in waiting and "js/jobs.js" in waiting
    )
    worker.run_pending()
    status = client.get(f"/jobs/{job.pk}/status").json()
    bulletin = Bulletin.objects.get()
    assert status["status"] == "done" and status["result_url"] == f"/bulletins/{bulletin.pk}/download/"
    listing = client.get(done["Location"]).content.decode()
    # the quarter has not ended (these tests run in it): the title says up to which day
    assert 'data-status="done"' in listing and "九江市2026年第四季度（截至" in listing
    assert bulletin.title.endswith("）安全生产形势通报") and f"/bulletins/{bulletin.pk}/download/" in listing
    download = client.get(f"/bulletins/{bulletin.pk}/download/")
    assert download.status_code == 200 and YOY in docx_text(read_docx(b"".join(download.streaming_content)))
    assert login(world.users["county_office_b"]).get(f"/bulletins/{bulletin.pk}/download/").status_code == 404
    # the job is its owner's, even for the province above the city; an id that is no job's is not found either
    assert login(world.users["province_office"]).get(f"/bulletins/?job={job.pk}").status_code == 404
    for bad in ("99999999999999999999", "abc", "-1"):
        assert client.get(f"/bulletins/?job={bad}").status_code == 404


def test_bulletin_form_shows_field_errors_in_chinese(world):
    client = login(world.users["county_office"])
    page = client.post(
        "/bulletins/generate/",
        {"form_key": "f-2", "kind": "monthly_dispatch", "region": "360424", "year": "2026"},
    ).content.decode()
    assert "区域不存在或不在您的管辖范围内" in page and "请选择月份" in page
    assert not Bulletin.objects.exists()
    # roles that do not issue bulletins get no form, and the endpoint refuses them
    inspector = login(world.users["inspector"])
    assert 'data-testid="generate-form"' not in inspector.get("/bulletins/").content.decode()
    refused = inspector.post(
        "/bulletins/generate/", {"kind": "yearly_evaluation", "region": "360402", "year": "2026"}
    )
    assert refused.status_code == 403


def test_dashboard_shows_the_year_on_year_sentence_table_and_chart(world, jiujiang_history):
    client = login(world.users["city_office"])
    page = client.get("/bulletins/dashboard/?region=360400&period=month&year=2026&month=11").content.decode()
    assert "1-11月，全市共发生生产安全事故99起、死亡104人，" + YOY in page
    assert 'data-testid="ytd-count">99<' in page and 'data-testid="ytd-deaths">104<' in page
    assert "濂溪区" in page and "修水县" in page and "echarts.min.js" in page and "js/charts.js" in page
    assert 'data-aq-chart="accident-dashboard"' in page and 'id="chart-data"' in page
    assert 'data-testid="generate-quarterly"' in page and 'name="quarter" value="4"' in page
    quarter = client.get("/bulletins/dashboard/?region=360400&period=quarter&year=2026&quarter=4")
    assert 'data-testid="period-name">2026年第四季度（截至' in quarter.content.decode()
    # out of scope or in the future: back to the user's own area and this month, with a message
    county = login(world.users["county_office_b"])
    fallback = county.get("/bulletins/dashboard/?region=360402&period=year&year=2026").content.decode()
    assert "修水县" in fallback and "濂溪区" not in fallback.split('data-testid="area-table"')[1]
