"""The enforcement statistics of a seeded period reproduce hand-counted figures, phrased as the seeds phrase them
(issue #13, must show): the same figures in GET /api/v1/stats/enforcement (bearer token, real HTTP), in the
sentence of /enforcement/stats/ and in the enforcement section of the monthly dispatch (.docx)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from docx import Document as Docx
from openpyxl import load_workbook

from anquan.bulletins import generate
from anquan.documents import services as documents

from ..browserless import Session, call, token_for
from ..conftest import PASSWORD, login
from .conftest import (
    another_chemical_enterprise,
    approved_plan,
    decided,
    fine,
    inspect,
    listed,
    opened_only,
    rectification_order,
    referred,
)


def seed_period(world) -> dict:
    """This month to today in 濂溪区, made through the services; returns the figures counted by hand."""
    today = timezone.localdate()
    before = today - dt.timedelta(days=40)  # always before this month: outside the period
    chem_t1, chem_t2 = world.chem_t1, world.chem_t2
    chem3 = another_chemical_enterprise(world)  # t1, not a key enterprise of the plan
    approved_plan(
        world
    )  # key enterprises chem_t1 and chem_t2; its seed adds self-check hazards (not counted)

    # inspections: chem_t1 twice (2 non-compliant items, then none), chem3 once (1 non-compliant item);
    # chem_t2 has one planned, never done
    first = inspect(world, chem_t1, noncompliant=2)
    inspect(world, chem_t1)
    third = inspect(world, chem3, noncompliant=1)
    from anquan.inspections import services as inspections

    inspections.create(
        {
            "enterprise": chem_t2.uscc,
            "planned_on": today.isoformat(),
            "inspectors": ["inspector", "inspector2"],
        },
        actor=world.users["inspector"],
    )
    # → 检查生产经营单位 2家 (chem_t1, chem3); 查处问题隐患 3处 (2 + 1)

    rectification_order(world, first)  # counted
    voided = rectification_order(world, third)
    documents.void(
        voided, reason="文书内容有误，重新制作", actor=world.users["emergency_supervisor"]
    )  # not counted

    # cases decided in the period
    c1 = decided(
        world, chem_t1, [fine("99-overdue", "80000"), {"kind": "suspend", "note": "停产整顿一个月"}], today
    )
    c2 = decided(
        world,
        chem_t2,
        [
            fine("102", "30000"),
            fine("99-overdue", "15000", target="person", person="李四"),
            {"kind": "close"},
        ],
        today,
        parties=[{"name": "李四", "position": "主要负责人"}],
    )
    c3 = decided(world, chem_t1, [fine("101", "12345.67"), {"kind": "suspend"}], today)
    # decided 40 days ago (opened 45 days ago): outside the period — not counted anywhere
    old = decided(world, chem_t2, [fine("99-overdue", "50000"), {"kind": "suspend"}], before)
    assert old.decided_on == before
    opened_only(world, chem_t2, today)  # opened in the period, not decided
    # → 立案 4起 (c1, c2, c3, the last one); 责令停产整顿 1家 (chem_t1, twice); 关闭取缔 1家 (chem_t2);
    #   罚款 80 000 + 30 000 + 15 000 + 12 345.67 = 137 345.67元 = 13.73万元
    # → 下达执法文书 22份, every one issued today by the step that makes it (the 40-day-old case's steps are
    #   recorded today, so its documents are issued today too):
    #   现场检查记录 3 (three completed inspections) + 责令限期整改指令书 1 (two issued, one voided)
    #   + 立案审批表 5 (c1, c2, c3, old, the opened-only case) + 行政处罚告知书 4 + 听证告知书 4 (c1, c2, c3, old:
    #   each fine is large enough for a hearing) + 行政处罚决定书 4 + 案件移送书 1 (c1's transferred referral)
    referred(world, c1, ["王五", "赵六"])  # transferred: counted
    referred(world, c2, ["钱七"], transfer=False)  # approved, not yet transferred: not counted
    # → 移送司法机关 2人: the two people named in the transferred referral
    listed(world, c1)
    listed(world, c3)  # the same enterprise again
    listed(world, c2)
    # → 联合惩戒企业 2家; plan coverage: key enterprises 2, inspected 1 (chem_t1) → 50.0%
    return {
        "start": today.replace(day=1),
        "end": today,
        "inspected_enterprises": 2,
        "inspection_hazards": 3,
        "documents": 22,
        "suspended_enterprises": 1,
        "closed_enterprises": 1,
        "fines_wan_yuan": "13.73",
        "cases_opened": 4,
        "referred_people": 2,
        "listed_enterprises": 2,
        "plan_enterprises": 2,
        "plan_covered": 1,
        "coverage_rate": 50.0,
    }


def sentence(expected: dict) -> str:
    from anquan.core import periods

    label = periods.label(expected["start"], expected["end"])
    return (
        f"{label}，全区共检查生产经营单位2家，查处问题隐患3处，下达执法文书{expected['documents']}份，"
        "责令1家停工停产，罚款13.73万元。"
    )


def cases_sentence(expected: dict) -> str:
    return (
        "立案4起，责令停产整顿企业1家，关闭取缔企业1家，经济处罚13.73万元，"
        f"移送司法机关{expected['referred_people']}人，联合惩戒企业2家。"
    )


@pytest.mark.django_db(transaction=True)
def test_a_seeded_period_reproduces_the_hand_counted_figures_in_api_page_and_bulletin(live_server, team):
    expected = seed_period(team)
    base = live_server.url
    query = f"region=360402&from={expected['start'].isoformat()}&to={expected['end'].isoformat()}"

    status, _, body = call(
        base, "GET", f"/api/v1/stats/enforcement?{query}", token=token_for(base, "county_office")
    )
    assert status == 200, body
    data = json.loads(body)
    figures = {k: v for k, v in expected.items() if k not in ("start", "end")}
    assert data["total"] == figures
    assert data["summary"] == sentence(expected)
    assert data["cases"] == cases_sentence(expected)
    assert data["coverage"] == f"{expected['end'].year}年度执法计划重点企业2家，已检查1家，覆盖率50.0%。"
    by_area = {row["region"]: row for row in data["items"]}
    t1, t2 = by_area[team.t1.code], by_area[team.t2.code]
    assert (t1["inspected_enterprises"], t1["inspection_hazards"], t1["suspended_enterprises"]) == (2, 3, 1)
    assert (t2["closed_enterprises"], t2["fines_wan_yuan"], t2["plan_covered"]) == (1, "4.50", 0)

    browser = Session(base)
    browser.login("county_office", PASSWORD)
    status, _, page = browser.request("GET", f"/enforcement/stats/?{query}")
    assert status == 200
    html = page.decode()
    assert sentence(expected) in html and cases_sentence(expected) in html

    today = expected["end"]
    raw = {
        "kind": "monthly_dispatch",
        "region": "360402",
        "year": today.year,
        "month": today.month,
        "confirm_incomplete": True,
    }
    bulletin = generate.generate(team.users["county_office"], raw, today=today)
    with bulletin.file.open("rb") as handle:
        text = "\n".join(p.text for p in Docx(io.BytesIO(handle.read())).paragraphs)
    assert "执法检查情况" in text
    assert sentence(expected) + cases_sentence(expected) in text


def test_another_countys_office_gets_404_and_bad_dates_a_field_error(team, api_token):
    client = Client()
    outside = client.get("/api/v1/stats/enforcement?region=360402", **api_token("county_office_b"))
    assert outside.status_code == 404
    assert login(team.users["county_office_b"]).get("/enforcement/stats/?region=360402").status_code == 404
    bad = client.get("/api/v1/stats/enforcement?from=2026-12-01&to=2026-11-01", **api_token("county_office"))
    assert bad.status_code == 422
    assert bad.json()["detail"] == [
        {"field": "to", "code": "before_start", "message": "结束日期不能早于开始日期"}
    ]
    page = login(team.users["county_office"]).get("/enforcement/stats/?from=2026-12-01&to=2026-11-01")
    assert page.status_code == 200 and "结束日期不能早于开始日期" in page.content.decode()


def test_the_number_of_queries_does_not_grow_with_the_rows(team):
    user = team.users["county_office"]
    c = Client()
    c.force_login(user)
    today = timezone.localdate()
    path = f"/api/v1/stats/enforcement?region=360402&from={today.replace(day=1)}&to={today}"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert c.get(path).status_code == 200
        return len(captured)

    decided(team, team.chem_t1, [fine("102", "10000")], today)
    one = queries()
    decided(team, team.chem_t2, [fine("102", "20000"), {"kind": "suspend"}], today)
    decided(team, team.chem_t1, [fine("102", "30000")], today)
    listed(team, decided(team, team.chem_t2, [{"kind": "close"}], today))
    assert queries() == one


def test_the_excel_export_has_each_area_and_the_total(team):
    today = timezone.localdate()
    decided(team, team.chem_t1, [fine("102", "12345"), {"kind": "suspend"}], today)
    response = login(team.users["county_office"]).get(
        f"/enforcement/stats/export/?region=360402&from={today.replace(day=1)}&to={today}"
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert "执法工作情况统计表" in rows[0][0]
    header = rows[2]
    assert header[:3] == ["区域", "检查生产经营单位（家）", "查处问题隐患（处）"]
    total = rows[-1]
    assert total[0] == "合计"
    assert total[header.index("罚款（万元）")] == 1.23 and total[header.index("责令停产整顿企业（家）")] == 1
    assert team.t1.name in [r[0] for r in rows[3:-1]]


def test_the_quarterly_bulletin_carries_the_section_for_its_quarter(team):
    from anquan.core import periods
    from anquan.documents.models import Document

    today = timezone.localdate()
    decided(team, team.chem_t1, [fine("102", "10000")], today)
    quarter = periods.quarter_of(today.month)
    start = periods.calendar_span("quarter", today.year, quarter).start
    raw = {
        "kind": "quarterly_bulletin",
        "region": "360402",
        "year": today.year,
        "quarter": quarter,
        "confirm_incomplete": True,
    }
    bulletin = generate.generate(team.users["county_office"], raw, today=today)
    with bulletin.file.open("rb") as handle:
        text = "\n".join(p.text for p in Docx(io.BytesIO(handle.read())).paragraphs)
    issued = Document.objects.filter(status="issued").count()  # none unless a case step issues its own
    assert (
        f"{periods.label(start, today)}，全区共检查生产经营单位0家，查处问题隐患0处，下达执法文书{issued}份，"
        "责令0家停工停产，罚款1.00万元。立案1起，责令停产整顿企业0家，关闭取缔企业0家，经济处罚1.00万元，"
        "移送司法机关0人，联合惩戒企业0家。"
    ) in text
    assert f"{today.year}年度执法计划尚未确定全区重点企业。" in text
