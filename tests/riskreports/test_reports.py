"""Yearly safety risk reports (安全生产风险报告): the snapshot frozen at submission, worked out by hand from
the enterprise's risk points, installations, hazards and check tasks; the workflow (draft → submitted →
accepted, or returned → resubmitted) with its roles, scope, 409 on a repeated or stale step, history,
audit and notifications; the coverage view whose counts are worked out from the fixture below; the
pages and the Excel export of the enterprises not yet reported."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from anquan.accounts.services import create_user
from anquan.checks import services as tasks
from anquan.core.audit import verify
from anquan.core.errors import Conflict, NotPermitted, ValidationFailed
from anquan.core.models import AuditEntry, Notification
from anquan.hazards.services import report_hazard
from anquan.majorhazards import services as installations
from anquan.regions.models import Region
from anquan.riskpoints import services as points
from anquan.riskreports import actions as reports
from anquan.riskreports import coverage as report_coverage
from anquan.riskreports.models import RiskReport
from tests.conftest import PASSWORD, login, make_enterprise

from ..riskpoints.helpers import REFERENCE_INSTALLATION, new_point

API = "/api/v1"
TZ = timezone.get_fixed_timezone(8 * 60)
YEAR = timezone.localdate().year

pytestmark = pytest.mark.django_db


def local(*args):
    return dt.datetime(*args, tzinfo=TZ)


SUBMIT_AT = local(YEAR, 3, 10, 9)
STATEMENT = {
    "principal_name": "王总",
    "contact_name": "李安全",
    "contact_phone": "0792-8888888",
    "statement": "主要风险为液氯储存和氯化反应，已落实双人巡检、自动联锁和应急演练。",
}


def manager_of(enterprise, username: str):
    return create_user(
        actor=None,
        username=username,
        role="enterprise_manager",
        password=PASSWORD,
        enterprise_uscc=enterprise.uscc,
        full_name=f"{enterprise.name}安全员",
    )


def draft(world, enterprise=None, actor=None, **extra):
    enterprise = enterprise or world.chem_t1
    actor = actor or world.users["enterprise_manager"]
    raw = {"enterprise": enterprise.uscc, "year": YEAR, **STATEMENT, **extra}
    return reports.create_report(raw, actor=actor, now=SUBMIT_AT)


def submitted(world, **kw):
    report = draft(world, **kw)
    return reports.submit(report, actor=kw.get("actor") or world.users["enterprise_manager"], now=SUBMIT_AT)


# --- the snapshot: worked out by hand ----------------------------------------------------------------


@pytest.fixture
def chem_t1_risks(world):
    """江西化工测试有限公司 with four risk points, two installations, one open hazard and check tasks:

    液氯储罐区 LEC 10·6·15 = 900 → red, 2 measures; 反应釜 3·6·15 = 270 → orange, 1 measure;
    配电室 1·6·7 = 42 → blue, no measures; 叉车作业 not assessed. Installations: the reference
    storage unit (S = 1.2, R = 5.4, grade 4) and one of 1 t chlorine (S = 0.2: not a major hazard
    installation, so not in the report). Check tasks: last year's 31 December task missed (another
    year), this year's 2 March task missed and 3 March task open → this year 2 tasks, 1 missed."""
    manager = world.users["enterprise_manager"]
    tank = new_point(world, name="液氯储罐区")
    reactor = new_point(world, name="反应釜（氯化工艺）")
    room = new_point(world, name="配电室", kind="place")
    new_point(world, name="叉车作业", kind="activity")
    for point, (likelihood, e, c) in ((tank, (10, 6, 15)), (reactor, (3, 6, 15)), (room, (1, 6, 7))):
        points.assess(point, {"method": "LEC", "l": likelihood, "e": e, "c": c}, actor=manager)
    for point, n in ((tank, 2), (reactor, 1)):
        for i in range(n):
            points.add_measure(
                point,
                {"kind": "engineering", "tier": "company", "description": f"措施{i + 1}"},
                actor=manager,
            )
    installations.create_installation(
        {**REFERENCE_INSTALLATION, "enterprise": world.chem_t1.uscc}, actor=manager
    )
    installations.create_installation(
        {
            "enterprise": world.chem_t1.uscc,
            "name": "氯气钢瓶间",
            "unit_type": "storage",
            "substances": [{"name": "氯", "quantity_t": "1"}],
        },
        actor=manager,
    )
    report_hazard(
        {"enterprise": world.chem_t1.uscc, "source": "self_check", "description": "储罐区防火堤有裂缝"},
        actor=manager,
    )
    tasks.add_schedule(
        reactor,
        {"frequency": "day", "post": "反应岗", "content": "检查温度、压力和联锁"},
        actor=manager,
        now=local(YEAR - 1, 12, 31, 10),
    )
    tasks.mark_missed(local(YEAR, 1, 1, 0, 30))
    tasks.generate(local(YEAR, 3, 2, 9))
    tasks.mark_missed(local(YEAR, 3, 3, 9))
    tasks.generate(local(YEAR, 3, 3, 9))
    return {"tank": tank, "reactor": reactor, "room": room}


def test_snapshot_counts_points_installations_hazards_and_missed_tasks(world, chem_t1_risks):
    report = submitted(world)
    snap = report.snapshot
    assert snap["year"] == YEAR
    assert snap["enterprise"]["uscc"] == world.chem_t1.uscc
    assert snap["enterprise"]["supervising_department"] == "应急管理局"
    assert snap["points_by_level"] == {"red": 1, "orange": 1, "yellow": 0, "blue": 1, "unassessed": 1}
    assert snap["points_total"] == 4
    assert [(p["name"], p["level"], p["measures"]) for p in snap["points"]] == [
        ("液氯储罐区", "red", 2),
        ("反应釜（氯化工艺）", "orange", 1),
        ("配电室", "blue", 0),
        ("叉车作业", "", 0),
    ]
    assert [(i["name"], i["grade"], i["r"]) for i in snap["installations"]] == [
        ("液氯液氨储存单元", 4, "5.4")
    ]
    assert snap["hazards"] == {"open": 1, "open_major": 0, "overdue": 0}
    assert (snap["check_tasks"]["total"], snap["check_tasks"]["missed"]) == (2, 1)
    # the highest current level (red), with the rule that gave it
    assert snap["risk_level"] == "red" and snap["risk_level_rule"] == points.RULE_TEXT


def test_snapshot_is_frozen_at_submission(world, chem_t1_risks):
    report = submitted(world)
    frozen = report.snapshot
    points.assess(
        chem_t1_risks["room"], {"method": "LEC", "l": 10, "e": 6, "c": 15}, actor=world.users["county_office"]
    )
    report.refresh_from_db()
    assert report.snapshot == frozen and report.snapshot["points_by_level"]["red"] == 1
    # the live figures did change: a draft's preview would show two red points now
    assert reports.build_snapshot(world.chem_t1, YEAR)["points_by_level"]["red"] == 2
    body = login(world.users["county_office"]).get(f"{API}/risk-reports/{report.pk}").json()
    assert body["snapshot_frozen"] is True and body["snapshot"]["points_by_level"]["red"] == 1


def test_empty_enterprise_reports_zeros(world):
    snap = submitted(world).snapshot
    assert snap["points_by_level"] == {"red": 0, "orange": 0, "yellow": 0, "blue": 0, "unassessed": 0}
    assert snap["points"] == [] and snap["installations"] == [] and snap["risk_level"] == ""
    assert snap["check_tasks"]["missed"] == 0


# --- the workflow ------------------------------------------------------------------------------------


def test_draft_defaults_to_the_enterprise_people(world):
    chem = world.chem_t1
    chem.principal_name, chem.safety_manager_name, chem.safety_manager_phone = "陈总", "刘芳", "13907920002"
    chem.save()
    report = reports.create_report({"year": YEAR}, actor=world.users["enterprise_manager"], now=SUBMIT_AT)
    assert (report.status, report.principal_name, report.contact_name, report.contact_phone) == (
        "draft",
        "陈总",
        "刘芳",
        "13907920002",
    )
    assert (report.region_code, report.supervising_department_id) == (
        chem.region_code,
        chem.supervising_department_id,
    )


def test_full_cycle_with_history_audit_and_notifications(world):
    manager, county = world.users["enterprise_manager"], world.users["county_office"]
    report = draft(world)
    report = reports.submit(report, actor=manager, now=SUBMIT_AT)
    assert (report.status, report.submitted_by, report.submitted_at) == ("submitted", manager, SUBMIT_AT)
    # the reviewers nearest the enterprise hear of it: its county and township offices and the county's
    # emergency management bureau (its supervising department); not 住建局, not the city, not 修水县
    notified = set(
        Notification.objects.filter(title__contains="提交了").values_list("user__username", flat=True)
    )
    assert notified == {"county_office", "township_office", "emergency_supervisor"}

    report = reports.return_report(
        report, actor=county, reason="未列出有限空间作业风险", now=SUBMIT_AT + dt.timedelta(days=1)
    )
    assert (report.status, report.return_reason, report.reviewed_by) == (
        "returned",
        "未列出有限空间作业风险",
        county,
    )
    note = Notification.objects.get(user=manager, title__contains="退回")
    assert note.body == "未列出有限空间作业风险" and note.url == f"/risk/reports/{report.pk}/"

    report = reports.submit(
        report,
        {"statement": "补充：有限空间作业已纳入管控。"},
        actor=manager,
        now=SUBMIT_AT + dt.timedelta(days=2),
    )
    assert (report.status, report.statement, report.reviewed_by) == (
        "submitted",
        "补充：有限空间作业已纳入管控。",
        None,
    )
    assert Notification.objects.filter(user=county, title__contains="重新提交").count() == 1

    report = reports.accept(
        report, actor=world.users["emergency_supervisor"], now=SUBMIT_AT + dt.timedelta(days=3)
    )
    assert report.status == "accepted"
    assert Notification.objects.filter(user=manager, title__contains="审核通过").count() == 1
    history = [(e.action, e.from_status, e.to_status, e.actor_label) for e in report.events.all()]
    assert history == [
        ("create", "", "draft", "enterprise_manager"),
        ("submit", "draft", "submitted", "enterprise_manager"),
        ("return", "submitted", "returned", "county_office"),
        ("resubmit", "returned", "submitted", "enterprise_manager"),
        ("accept", "submitted", "accepted", "emergency_supervisor"),
    ]
    entries = AuditEntry.objects.filter(model="riskreports.riskreport", object_id=str(report.pk)).order_by(
        "id"
    )
    assert [e.action for e in entries] == ["create", "transition", "transition", "transition", "transition"]
    assert [(e.before or {}).get("status") for e in entries] == [
        None,
        "draft",
        "submitted",
        "returned",
        "submitted",
    ]
    assert verify().ok


def test_submitting_twice_makes_no_second_submission(world):
    manager = world.users["enterprise_manager"]
    report = draft(world)
    stale = RiskReport.objects.get(pk=report.pk)
    reports.submit(report, actor=manager, now=SUBMIT_AT)
    with pytest.raises(Conflict) as exc:
        reports.submit(stale, actor=manager, now=SUBMIT_AT)  # the second tap, with the page's old copy
    assert exc.value.code == "invalid_state"
    assert report.events.filter(action="submit").count() == 1
    # and through the API: 409 naming the state, nothing changed
    client = login(manager)
    response = client.post(f"{API}/risk-reports/{report.pk}/submit", {}, content_type="application/json")
    assert response.status_code == 409 and response.json()["detail"][0]["code"] == "invalid_state"
    assert report.events.count() == 2


def test_two_reviewers_at_once_one_wins(world):
    report = submitted(world)
    copy = RiskReport.objects.get(pk=report.pk)
    reports.accept(report, actor=world.users["county_office"])
    with pytest.raises(Conflict):
        reports.return_report(copy, actor=world.users["emergency_supervisor"], reason="迟到的退回")
    report.refresh_from_db()
    assert report.status == "accepted" and report.return_reason == ""


def test_one_report_per_enterprise_and_year(world):
    draft(world)
    with pytest.raises(Conflict) as exc:
        draft(world)
    assert exc.value.code == "exists"
    client = login(world.users["enterprise_manager"])
    response = client.post(f"{API}/risk-reports", {"year": YEAR}, content_type="application/json")
    assert response.status_code == 409 and response.json()["detail"][0]["code"] == "exists"
    assert RiskReport.objects.count() == 1


def test_create_with_idempotency_key_replays(world):
    client = login(world.users["enterprise_manager"])
    payload = {"year": YEAR, **STATEMENT}
    first = client.post(
        f"{API}/risk-reports", payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    again = client.post(
        f"{API}/risk-reports", payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json() and RiskReport.objects.count() == 1
    assert first.json()["status"] == "draft" and first.json()["actions"] == ["submit"]


@pytest.mark.parametrize(
    ("raw", "field", "code"),
    [
        ({"year": YEAR + 1}, "year", "out_of_range"),
        ({"year": YEAR - 2}, "year", "out_of_range"),
        ({"year": "二〇二六"}, "year", "int_parsing"),  # refused by the schema
        ({"year": None}, "year", "int_type"),  # required by the schema
        ({"year": YEAR, "contact_phone": "call me"}, "contact_phone", "invalid"),
        ({"year": YEAR, "principal_name": "张" * 51}, "principal_name", "string_too_long"),
        ({"year": YEAR, "enterprise": "91360424MA00000000"}, "enterprise", "unknown_enterprise"),
    ],
)
def test_bad_input_names_the_field(world, raw, field, code):
    client = login(world.users["enterprise_manager"])
    response = client.post(f"{API}/risk-reports", raw, content_type="application/json")
    assert response.status_code == 422
    assert [(d["field"], d["code"]) for d in response.json()["detail"]] == [(field, code)]
    assert RiskReport.objects.count() == 0


def test_last_year_may_still_be_reported(world):
    report = reports.create_report({"year": YEAR - 1}, actor=world.users["enterprise_manager"], now=SUBMIT_AT)
    assert report.year == YEAR - 1


def test_submission_needs_the_whole_statement(world):
    report = draft(world, statement="", contact_phone="")
    with pytest.raises(ValidationFailed) as exc:
        reports.submit(report, actor=world.users["enterprise_manager"])
    assert [(e.field, e.code) for e in exc.value.errors] == [
        ("contact_phone", "required"),
        ("statement", "required"),
    ]
    report.refresh_from_db()
    assert report.status == "draft" and report.snapshot == {}


def test_return_needs_a_reason(world):
    report = submitted(world)
    client = login(world.users["county_office"])
    response = client.post(
        f"{API}/risk-reports/{report.pk}/return", {"reason": " "}, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "reason"
    report.refresh_from_db()
    assert report.status == "submitted"


# --- roles and scope ---------------------------------------------------------------------------------

VIEWERS = {  # persona → sees 江西化工测试有限公司's report (濂溪区 t1, 应急管理局)
    "sysadmin": True,
    "province_office": True,
    "city_office": True,
    "county_office": True,
    "county_office_b": False,
    "township_office": True,
    "emergency_supervisor": True,
    "housing_supervisor": False,
    "inspector": True,
    "grid_worker": True,
    "enterprise_manager": True,
}
REVIEW_ROLES = {"province_office", "city_office", "county_office", "township_office", "emergency_supervisor"}


@pytest.mark.parametrize("persona", sorted(VIEWERS))
def test_who_sees_and_who_accepts(world, persona):
    report = submitted(world)
    client = login(world.users[persona])
    detail = client.get(f"{API}/risk-reports/{report.pk}")
    listed = client.get(f"{API}/risk-reports").json()["count"]
    response = client.post(f"{API}/risk-reports/{report.pk}/accept", {}, content_type="application/json")
    if not VIEWERS[persona]:
        assert (detail.status_code, listed, response.status_code) == (404, 0, 404)
    elif persona in REVIEW_ROLES:
        assert (detail.status_code, listed, response.status_code) == (200, 1, 200)
        assert detail.json()["actions"] == ["accept", "return"]
        assert response.json()["status"] == "accepted"
    else:
        assert (detail.status_code, listed, response.status_code) == (200, 1, 403)
        assert detail.json()["actions"] == []
    report.refresh_from_db()
    assert report.status == ("accepted" if persona in REVIEW_ROLES else "submitted")


@pytest.mark.parametrize("persona", ["county_office", "emergency_supervisor", "sysadmin"])
def test_only_the_enterprise_prepares_and_submits(world, persona):
    client = login(world.users[persona])
    response = client.post(
        f"{API}/risk-reports",
        {"enterprise": world.chem_t1.uscc, "year": YEAR},
        content_type="application/json",
    )
    assert response.status_code == 403
    report = draft(world)
    response = client.post(f"{API}/risk-reports/{report.pk}/submit", {}, content_type="application/json")
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == "draft" and RiskReport.objects.count() == 1


def test_enterprise_cannot_accept_its_own_report(world):
    report = submitted(world)
    with pytest.raises(NotPermitted):
        reports.accept(report, actor=world.users["enterprise_manager"])


def test_api_list_filters(world):
    submitted(world)
    manager_xs = manager_of(world.chem_xiushui, "xs_manager")
    reports.create_report({"year": YEAR, **STATEMENT}, actor=manager_xs, now=SUBMIT_AT)
    client = login(world.users["city_office"])
    body = client.get(f"{API}/risk-reports", {"year": YEAR}).json()
    assert body["count"] == 2
    assert [
        r["enterprise_name"] for r in client.get(f"{API}/risk-reports", {"status": "draft"}).json()["items"]
    ] == ["修水化学有限公司"]
    assert client.get(f"{API}/risk-reports", {"region": "360402"}).json()["count"] == 1
    assert client.get(f"{API}/risk-reports", {"year": YEAR - 1}).json()["count"] == 0
    bad = client.get(f"{API}/risk-reports", {"status": "done", "region": "36x"})
    assert bad.status_code == 422
    assert sorted(d["field"] for d in bad.json()["detail"]) == ["region", "status"]
    assert login(world.users["county_office_b"]).get(f"{API}/risk-reports").json()["count"] == 1


# --- coverage ----------------------------------------------------------------------------------------


@pytest.fixture
def coverage_world(world):
    """This year's reports in the fixture world, plus two enterprises in t2:

    濂溪区 t1: 江西化工测试 (hazardous chemicals, C) accepted · 濂溪建筑工程 (construction, E) submitted
    濂溪区 t2: 九江精细化工 (C) returned · 九江五金机械 (machinery, C) draft · 九江关停化工 (closed: not counted)
    修水县:    修水化学 (C) submitted
    Last year: no reports at all."""
    t2 = world.t2
    machine_t2 = make_enterprise(t2, "machinery", "九江五金机械有限公司", "360402", 5)
    make_enterprise(t2, "hazardous_chemicals", "九江关停化工有限公司", "360402", 6, status="closed")
    managers = {
        "build_t1": manager_of(world.build_t1, "build_manager"),
        "chem_t2": manager_of(world.chem_t2, "chem_t2_manager"),
        "machine_t2": manager_of(machine_t2, "machine_manager"),
        "chem_xiushui": manager_of(world.chem_xiushui, "xs_manager"),
    }
    county = world.users["county_office"]
    reports.accept(submitted(world), actor=county)
    submitted(world, enterprise=world.build_t1, actor=managers["build_t1"])
    returned = submitted(world, enterprise=world.chem_t2, actor=managers["chem_t2"])
    reports.return_report(returned, actor=county, reason="缺少重大危险源信息")
    draft(world, enterprise=machine_t2, actor=managers["machine_t2"])
    submitted(world, enterprise=world.chem_xiushui, actor=managers["chem_xiushui"])
    return machine_t2


def rows(data):
    return {
        r["name"]: (r["enterprises"], r["reported"], r["accepted"], r["not_reported"], r["coverage"])
        for r in [*data["items"], data["total"]]
        if r["enterprises"]
    }


def test_coverage_by_township_for_the_county_office(world, coverage_world):
    t1, t2 = world.t1.name, world.t2.name
    data = login(world.users["county_office"]).get(f"{API}/stats/risk-report-coverage", {"year": YEAR}).json()
    assert data["region"] == "360402" and data["year"] == YEAR
    # t1: both reported, one accepted; t2: the returned and the draft are not reported, the closed one
    # is not counted; total 2 of 4 = 50.0 %
    assert rows(data) == {
        t1: (2, 2, 1, 0, 100.0),
        t2: (2, 0, 0, 2, 0.0),
        "合计": (4, 2, 1, 2, 50.0),
    }
    townships = Region.objects.filter(parent__code="360402").count()
    assert len(data["items"]) == townships  # every township is listed, also those with no enterprise


def test_coverage_by_county_for_the_city_and_other_scopes(world, coverage_world):
    data = login(world.users["city_office"]).get(f"{API}/stats/risk-report-coverage", {"year": YEAR}).json()
    assert rows(data) == {
        "濂溪区": (4, 2, 1, 2, 50.0),
        "修水县": (1, 1, 0, 0, 100.0),
        "合计": (5, 3, 1, 2, 60.0),
    }
    # the emergency bureau sees its own industries only: not the construction company
    data = login(world.users["emergency_supervisor"]).get(f"{API}/stats/risk-report-coverage").json()
    assert rows(data) == {
        world.t1.name: (1, 1, 1, 0, 100.0),
        world.t2.name: (2, 0, 0, 2, 0.0),
        "合计": (3, 1, 1, 2, 33.3),
    }
    # industrial enterprises only (GB/T 4754 B, C, D): the construction company drops out
    data = (
        login(world.users["county_office"])
        .get(f"{API}/stats/risk-report-coverage", {"year": YEAR, "sector": "industrial"})
        .json()
    )
    assert rows(data)["合计"] == (3, 1, 1, 2, 33.3)
    # last year nobody reported
    data = (
        login(world.users["county_office"])
        .get(f"{API}/stats/risk-report-coverage", {"year": YEAR - 1})
        .json()
    )
    assert rows(data)["合计"] == (4, 0, 0, 4, 0.0)
    # a township below: no children, only the total
    data = (
        login(world.users["county_office"])
        .get(f"{API}/stats/risk-report-coverage", {"region": world.t2.code, "year": YEAR})
        .json()
    )
    assert data["items"] == [] and rows(data) == {"合计": (2, 0, 0, 2, 0.0)}


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({"region": "36040"}, 422, "region"),
        ({"region": "360499"}, 422, "region"),
        ({"year": 1999}, 422, "year"),
        ({"sector": "mines"}, 422, "sector"),
        ({"region": "360424"}, 404, None),  # 修水县: outside 濂溪区
    ],
)
def test_coverage_bad_input(world, params, status, field):
    response = login(world.users["county_office"]).get(f"{API}/stats/risk-report-coverage", params)
    assert response.status_code == status
    if field:
        assert [d["field"] for d in response.json()["detail"]] == [field]


def test_not_reported_list_and_excel_export(world, coverage_world):
    user = world.users["county_office"]
    region = Region.objects.get(code="360402")
    missing = report_coverage.not_reported(user, region, YEAR)
    assert [(e.name, e.report_status) for e in missing] == [
        ("九江五金机械有限公司", "draft"),
        ("九江精细化工有限公司", "returned"),
    ]
    only = report_coverage.not_reported(user, region, YEAR, params={"industry": "machinery"})
    assert [e.name for e in only] == ["九江五金机械有限公司"]
    client = login(user)
    response = client.get("/risk/reports/coverage/export.xlsx", {"year": YEAR, "q": "jjjx"})
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument"
    )
    wb = load_workbook(io.BytesIO(response.content))
    sheet = list(wb["未报告企业"].values)
    assert sheet[0][0] == f"濂溪区{YEAR}年度安全风险报告未报告企业名单"
    assert sheet[2] == tuple(c.label for c in report_coverage.NOT_REPORTED_COLUMNS)
    assert [(r[1], r[10]) for r in sheet[3:]] == [("九江精细化工有限公司", "已退回")]  # pinyin jjjx: 九江精细
    by_region = list(wb["分地区覆盖率"].values)
    assert by_region[-1] == ("合计", "360402", 4, 2, 1, 2, 50)


# --- pages -------------------------------------------------------------------------------------------


def test_enterprise_prepares_and_submits_on_the_page(world, chem_t1_risks):
    client = login(world.users["enterprise_manager"])
    page = client.get(f"/risk/reports/year/{YEAR}/")
    html = page.content.decode()
    assert page.status_code == 200 and "液氯储罐区" in html and 'data-testid="snapshot"' in html
    response = client.post(f"/risk/reports/year/{YEAR}/", {**STATEMENT, "do": "save"})
    assert response.status_code == 302
    report = RiskReport.objects.get()
    assert report.status == "draft" and report.statement == STATEMENT["statement"]
    # submitting with the statement emptied is refused and changes nothing
    response = client.post(f"/risk/reports/year/{YEAR}/", {**STATEMENT, "statement": "", "do": "submit"})
    assert response.status_code == 422 and "提交前请填写主要风险及管控措施" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "draft" and report.statement == STATEMENT["statement"]
    response = client.post(f"/risk/reports/year/{YEAR}/", {**STATEMENT, "do": "submit"})
    assert response.status_code == 302 and response["Location"] == f"/risk/reports/{report.pk}/"
    # the second tap: 409, the report shown as it stands, still one submission
    again = client.post(f"/risk/reports/year/{YEAR}/", {**STATEMENT, "do": "submit"})
    assert again.status_code == 409 and "不能重复提交" in again.content.decode()
    assert report.events.filter(action="submit").count() == 1
    assert client.get(f"/risk/reports/year/{YEAR}/")["Location"] == f"/risk/reports/{report.pk}/"


def test_supervisor_pages(world, coverage_world):
    client = login(world.users["county_office"])
    report = RiskReport.objects.get(enterprise=world.build_t1)
    html = client.get(f"/risk/reports/{report.pk}/").content.decode()
    assert 'data-testid="form-accept"' in html and 'data-testid="report-history"' in html
    response = client.post(f"/risk/reports/{report.pk}/act/", {"action": "return", "reason": ""})
    assert response.status_code == 422 and "退回报告须填写理由" in response.content.decode()
    response = client.post(f"/risk/reports/{report.pk}/act/", {"action": "accept"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "accepted"
    html = client.get("/risk/reports/coverage/", {"year": YEAR}).content.decode()
    assert 'data-testid="total-coverage">50.0%' in html and "九江五金机械有限公司" in html
    html = client.get("/risk/reports/").content.decode()
    assert "濂溪建筑工程有限公司" in html and "修水化学有限公司" not in html
    # the enterprise's own page is not for supervisors; out-of-scope reports are 404
    assert client.get(f"/risk/reports/year/{YEAR}/").status_code == 404
    other = RiskReport.objects.get(enterprise=world.chem_xiushui)
    assert client.get(f"/risk/reports/{other.pk}/").status_code == 404
    assert client.post(f"/risk/reports/{other.pk}/act/", {"action": "accept"}).status_code == 404
    assert (
        login(world.users["enterprise_manager"]).get("/").content.decode().count('href="/risk/reports/"') == 1
    )


def test_lists_do_not_grow_queries_with_rows(world, coverage_world, django_assert_max_num_queries):
    client = login(world.users["city_office"])
    with django_assert_max_num_queries(8):
        body = client.get(f"{API}/risk-reports", {"year": YEAR}).json()
    assert body["count"] == 5
    with django_assert_max_num_queries(10):  # session, user, regions ×3, grouped counts, total
        client.get(f"{API}/stats/risk-report-coverage", {"year": YEAR})
