"""The overview page's risk figures for a supervisor: levels, points, installations by grade, report
coverage — each counted through the user's scope."""

import pytest
from django.utils import timezone

from anquan.majorhazards import services as installations
from anquan.riskreports import actions as reports

from ..conftest import login
from ..riskpoints.helpers import REFERENCE_INSTALLATION, assessed_point

pytestmark = pytest.mark.django_db


def test_overview_counts_the_scope(world):
    assessed_point(world, world.chem_t1, {"l": 4, "s": 5})  # red
    assessed_point(world, world.chem_t2, {"l": 1, "s": 2})  # blue
    assessed_point(world, world.chem_xiushui, {"l": 4, "s": 5}, actor="county_office_b")  # another county
    installations.create_installation(  # chlorine 50 t, 60 persons: R 60, grade 2
        {
            **REFERENCE_INSTALLATION,
            "enterprise": world.chem_t1.uscc,
            "substances": [{"name": "氯", "quantity_t": "50"}],
        },
        actor=world.users["county_office"],
    )
    html = login(world.users["county_office"]).get("/").content.decode()
    block = html[html.index('data-testid="risk-overview"') :]
    assert '<span class="badge aq-risk-red fs-6" data-level="red">1</span>' in block  # not 修水's
    assert '<span class="badge aq-risk-blue fs-6" data-level="blue">1</span>' in block
    assert 'data-testid="stat-points">2<' in block
    assert "一级、二级 <strong>1</strong>" in block
    assert 'data-testid="stat-coverage">0.0%<' in block  # 3 enterprises of 濂溪区, none reported
    manager = world.users["enterprise_manager"]
    report = reports.create_report(
        {
            "enterprise": world.chem_t1.uscc,
            "year": timezone.localdate().year,
            "principal_name": "王五",
            "contact_name": "赵六",
            "contact_phone": "13800000002",
            "statement": "液氯储罐区为重大风险，已落实分级管控",
        },
        actor=manager,
    )
    reports.submit(report, actor=manager)
    html = login(world.users["county_office"]).get("/").content.decode()
    assert 'data-testid="stat-coverage">33.3%<' in html  # 1 of 3
    # an enterprise's own users get no regional figures
    assert 'data-testid="risk-overview"' not in login(manager).get("/").content.decode()


def test_control_and_accountability_gaps_are_counted_and_listed(world, api_token):
    """管控到位 and 包保责任制 (seeds): a major-risk point with no control measure, a major installation
    whose accountable persons are not all named with a phone."""
    from django.test import Client

    from anquan.riskpoints import services as points

    office = world.users["county_office"]
    red = assessed_point(world, world.chem_t1, {"l": 4, "s": 5})
    assessed_point(world, world.chem_t2, {"l": 4, "s": 5})
    points.add_measure(
        red, {"kind": "engineering", "tier": "company", "description": "紧急切断装置"}, actor=office
    )
    complete = installations.create_installation(
        {**REFERENCE_INSTALLATION, "enterprise": world.chem_t1.uscc}, actor=office
    )
    lacking = installations.create_installation(
        {**REFERENCE_INSTALLATION, "enterprise": world.chem_t2.uscc, "technical_phone": ""}, actor=office
    )
    html = login(office).get("/").content.decode()
    assert 'data-testid="stat-uncontrolled">其中1处未落实管控措施<' in html
    assert 'data-testid="stat-persons-incomplete">1处包保责任人不全<' in html
    listed = login(office).get("/risk/", {"measures": "none"}).content.decode()
    assert "九江精细化工有限公司" in listed and "江西化工测试有限公司" not in listed
    page = login(office).get("/risk/installations/", {"persons": "incomplete"}).content.decode()
    assert f"/risk/installations/{lacking.pk}/" in page and f"/risk/installations/{complete.pk}/" not in page
    headers = api_token("county_office")
    body = (
        Client().get("/api/v1/major-hazard-installations", {"persons_incomplete": "true"}, **headers).json()
    )
    assert [i["id"] for i in body["items"]] == [lacking.pk]
    body = Client().get("/api/v1/risk-points", {"measures": "none"}, **headers).json()
    assert [p["enterprise"] for p in body["items"]] == [world.chem_t2.uscc]
    assert Client().get("/api/v1/risk-points", {"measures": "some"}, **headers).status_code == 422


def test_enterprise_page_shows_its_risk_side(world):
    assessed_point(world, world.chem_t1, {"l": 4, "s": 5})  # red
    assessed_point(world, world.chem_t1, {"l": 1, "s": 2})  # blue
    inst = installations.create_installation(
        {**REFERENCE_INSTALLATION, "enterprise": world.chem_t1.uscc}, actor=world.users["county_office"]
    )
    html = login(world.users["county_office"]).get(f"/enterprises/{world.chem_t1.pk}/").content.decode()
    block = html[html.index('data-testid="enterprise-risk"') :]
    assert 'data-level="red">重大风险</span>' in block  # the enterprise level
    assert '<span class="badge aq-risk-red" data-level="red">1</span>' in block
    assert '<span class="badge aq-risk-blue" data-level="blue">1</span>' in block
    assert "风险点2处" in block and f"/risk/installations/{inst.pk}/" in block and "四级" in block
    assert "未报告" in block
