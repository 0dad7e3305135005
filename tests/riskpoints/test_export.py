"""The risk point list's Excel export (issue #18): the list's rows under its filters, cell by cell as the list and
the point's page show them (the level with its colour, the control measures' count and who is responsible for
them), only the user's scope; a filter the list cannot mean answered with its error (page) or 422 (API); over the
threshold a job whose file holds every row; the API export with a token over real HTTP."""

import datetime as dt
import io
import json

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from anquan.jobs import worker
from anquan.jobs.models import Job, JobKind, JobStatus
from anquan.riskpoints import services as points
from anquan.riskpoints.choices import FactorKind, PointKind
from anquan.riskpoints.models import RiskPoint

from ..browserless import call, token_for
from ..conftest import login
from .helpers import new_point

pytestmark = pytest.mark.django_db

HEADER = [
    "序号",
    "风险点名称",
    "类型",
    "企业名称",
    "统一社会信用代码",
    "区域",
    "位置",
    "危险有害因素类别",
    "责任人",
    "风险等级",
    "管控措施（项）",
    "管控措施责任人",
    "下次评估日期",
    "评估到期",
]
LEVEL_TEXT = {
    "red": "重大风险（红色）",
    "orange": "较大风险（橙色）",
    "yellow": "一般风险（黄色）",
    "blue": "低风险（蓝色）",
}


@pytest.fixture
def risk_points(world):
    """濂溪区: an assessed point with two measures (one owner named twice… once) and an unassessed one without
    measures; 修水县: a point the county office must not see."""
    manager, county = world.users["enterprise_manager"], world.users["county_office"]
    tank = new_point(world)  # 液氯储罐区, installation, object + management factors, 张三
    due = timezone.localdate() + dt.timedelta(days=3)
    points.assess(tank, {"method": "LS", "l": "5", "s": "5", "next_due": due.isoformat()}, actor=county)
    for person, description in (("李四", "安装紧急切断阀"), ("王五", "每班巡检")):
        points.add_measure(
            tank,
            {
                "kind": "engineering",
                "tier": "workshop",
                "description": description,
                "responsible_person": person,
            },
            actor=manager,
        )
    points.add_measure(tank, {"kind": "training", "tier": "team", "description": "岗前培训"}, actor=manager)
    dock = new_point(
        world, name="装卸站台", kind="place", location="", factor_kinds=["human"], responsible_person=""
    )
    far = points.create_point(
        {
            "enterprise": world.chem_xiushui.uscc,
            "name": "修水仓库",
            "kind": "place",
            "factor_kinds": ["object"],
        },
        actor=world.users["county_office_b"],
    )
    return {"tank": RiskPoint.objects.get(pk=tank.pk), "dock": dock, "far": far}


def data_rows(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet[3]] == HEADER
    return [list(row) for row in sheet.iter_rows(min_row=4, values_only=True)]


def test_the_list_export_holds_each_point_in_scope_cell_by_cell(world, risk_points):
    client = login(world.users["county_office"])
    assert 'href="/risk/export.xlsx?' in client.get("/risk/").content.decode()  # the button
    response = client.get("/risk/export.xlsx")
    assert response.status_code == 200
    rows = {row[1]: row for row in data_rows(response.content)}
    assert set(rows) == {"液氯储罐区", "装卸站台"}  # 修水仓库 is out of the county's scope
    tank = risk_points["tank"]
    assert tank.current_level in LEVEL_TEXT
    region = world.chem_t1.region.full_name
    with translation.override("zh-hans"):
        installation, place = str(PointKind.INSTALLATION.label), str(PointKind.PLACE.label)
        factors = [str(FactorKind(k).label) for k in ("object", "management", "human")]
    assert rows["液氯储罐区"][2:] == [
        installation,
        "江西化工测试有限公司",
        world.chem_t1.uscc,
        region,
        "厂区东侧",
        f"{factors[0]}、{factors[1]}",
        "张三",
        LEVEL_TEXT[tank.current_level],
        3,
        "李四、王五",
        tank.next_assessment_due.isoformat(),
        "即将到期",
    ]
    assert rows["装卸站台"][2] == place
    assert rows["装卸站台"][6:] == [None, factors[2], None, "未评价", 0, None, None, None]
    assert sorted(r[0] for r in rows.values()) == [1, 2]


def test_labels_are_those_the_list_page_shows(world, risk_points):
    """Kind labels as the list's 类型 column writes them; no code reaches the file."""
    client = login(world.users["county_office"])
    with translation.override("zh-hans"):
        page = client.get("/risk/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    rows = data_rows(client.get("/risk/export.xlsx").content)
    assert all(f"<td>{row[2]}</td>" in page for row in rows)
    assert not any(code in str(rows) for code in ("installation", "place", "object", "red", "orange"))


def test_the_list_filters_narrow_the_file(world, risk_points):
    client = login(world.users["county_office"])
    level = risk_points["tank"].current_level

    def names(query: str) -> list[str]:
        return [r[1] for r in data_rows(client.get(f"/risk/export.xlsx?{query}").content)]

    assert names(f"level={level}") == ["液氯储罐区"]
    assert names("measures=none") == ["装卸站台"]
    assert names("q=装卸") == ["装卸站台"]
    assert names("due=soon") == ["液氯储罐区"]
    assert names("region=360424") == []  # another county's region: nothing of it
    city = login(world.users["city_office"])
    assert {r[1] for r in data_rows(city.get("/risk/export.xlsx?region=360424").content)} == {"修水仓库"}


def test_a_filter_the_list_cannot_mean_goes_back_to_it_saying_why(world, risk_points, api_token):
    client = login(world.users["county_office"])
    response = client.get("/risk/export.xlsx?level=purple", follow=True)
    assert response.redirect_chain == [("/risk/?level=purple", 302)]
    page = response.content.decode()
    with translation.override("zh-hans"):
        message = gettext("Unknown risk level.")
    assert message in page and "液氯储罐区" not in page  # the list says why and shows nothing
    assert not Job.objects.exists()
    api = client.get("/api/v1/risk-points/export?level=purple&due=later", **api_token("county_office"))
    assert api.status_code == 422
    assert {"level", "due"} <= {e["field"] for e in api.json()["detail"]}


def test_a_large_list_export_runs_as_a_job_and_its_file_holds_every_row(world, risk_points, settings):
    settings.EXPORT_BACKGROUND_ROWS = 1
    client = login(world.users["county_office"])
    response = client.get("/risk/export.xlsx")
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.kind == JobKind.RISK_POINT_EXPORT and job.status == JobStatus.QUEUED
    worker.run_pending()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.total_rows == 2 and job.processed == 2
    download = client.get(f"/jobs/{job.pk}/download")
    content = b"".join(download.streaming_content) if download.streaming else download.content
    assert {r[1] for r in data_rows(content)} == {"液氯储罐区", "装卸站台"}


@pytest.mark.django_db(transaction=True)
def test_the_api_export_over_http_with_a_token(live_server, world, risk_points, settings):
    base = live_server.url
    token = token_for(base, world.users["county_office"].username)
    code, headers, body = call(base, "GET", "/api/v1/risk-points/export?measures=none", token=token)
    assert code == 200 and headers["Content-Type"].startswith("application/vnd.openxmlformats")
    assert [r[1] for r in data_rows(body)] == ["装卸站台"]
    code, _, body = call(
        base, "GET", f"/api/v1/risk-points/export?enterprise={world.chem_xiushui.uscc}", token=token
    )
    assert code == 200 and data_rows(body) == []  # out of scope
    assert call(base, "GET", "/api/v1/risk-points/export?level=purple", token=token)[0] == 422
    settings.EXPORT_BACKGROUND_ROWS = 1
    code, _, body = call(base, "GET", "/api/v1/risk-points/export", token=token)
    queued = json.loads(body)
    assert code == 202 and queued["kind"] == "risk_point_export"
    worker.run_pending()
    done = json.loads(call(base, "GET", queued["url"], token=token)[2])
    code, _, body = call(base, "GET", done["result_url"], token=token)
    assert code == 200 and {r[1] for r in data_rows(body)} == {"液氯储罐区", "装卸站台"}
