"""The division tree, grids, and the 三管三必须 table."""

import json

import pytest
from django.db import connection
from django.test import Client

from anquan.core.scope import within
from anquan.enterprises.models import Enterprise
from anquan.orgs.models import Department, Industry, IndustryDepartmentRule, department_for_industry
from anquan.regions.choices import RegionLevel
from anquan.regions.loader import load_villages
from anquan.regions.models import Grid, Region

from .conftest import login

pytestmark = pytest.mark.django_db


def test_jiangxi_tree_has_the_real_counts(reference):
    counts = {
        level: Region.objects.filter(level=level, code__startswith="36").count()
        for level in RegionLevel.values
    }
    assert counts[RegionLevel.PROVINCE] == 1
    assert counts[RegionLevel.CITY] == 11
    assert counts[RegionLevel.COUNTY] == 100
    assert counts[RegionLevel.TOWNSHIP] == 1767
    assert Region.objects.get(code="360113").name == "红谷滩区"
    assert Region.objects.get(code="360402").full_name == "江西省九江市濂溪区"


def test_subtree_is_a_code_prefix(reference):
    jiujiang = Region.objects.get(code="360400")
    assert jiujiang.prefix == "3604"
    subtree = jiujiang.subtree()
    assert subtree.filter(level=RegionLevel.COUNTY).count() == 13
    assert not subtree.filter(code__startswith="3605").exists()


def test_subtree_filter_uses_an_index(reference):
    """A county's region condition is a range an ordinary index serves, on both backends; on SQLite a city's is
    not offered to the region index (its planner would read the whole city through it and sort; docs/adr/0049)."""

    def plan(prefix: str) -> str:
        sql, params = Enterprise.objects.filter(within(prefix)).only("id").query.sql_with_params()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET enable_seqscan = off")
                cursor.execute("EXPLAIN " + sql, params)
            else:
                cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            return " ".join(str(row) for row in cursor.fetchall())

    county = plan("360424")
    assert "region_code" in county and ("Index" in county or "INDEX" in county)
    if connection.vendor == "sqlite":
        assert "region_code>" not in plan("3604")


@pytest.mark.django_db
def test_name_search_has_a_trigram_index_on_postgresql_and_works_everywhere(world):
    found = Enterprise.objects.filter(name__contains="化工测试").values_list("name", flat=True)
    assert list(found) == ["江西化工测试有限公司"]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'enterprises_enterprise'")
            names = {row[0] for row in cursor.fetchall()}
        assert {"enterprise_name_trgm", "enterprise_initials_trgm"} <= names


def test_villages_load_on_demand_for_one_county(reference):
    assert not Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith="360429").exists()
    total = load_villages("360429")  # 湖口县
    villages = Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith="360429")
    assert total == villages.count() > 50
    assert {v.parent.level for v in villages.select_related("parent")[:20]} == {RegionLevel.TOWNSHIP}
    assert load_villages("360429") == total  # loading again adds nothing
    assert villages.count() == total


def test_region_api_unknown_parent_is_404(world, api_token):
    assert Client().get("/api/v1/regions?parent=999999", **api_token("county_office")).status_code == 404


def test_grid_created_by_township_office_is_audited(world):
    client = login(world.users["township_office"])
    response = client.post(f"/regions/{world.t1.code}/grids/", {"name": "一号网格"})
    assert response.status_code == 302
    grid = Grid.objects.get(region=world.t1, name="一号网格")
    assert grid.region_code == world.t1.code
    other = client.post(f"/regions/{world.t2.code}/grids/", {"name": "越界网格"})
    assert other.status_code == 404
    assert not Grid.objects.filter(name="越界网格").exists()


def test_default_duties_follow_three_musts(reference):
    region = "360402001"
    expect = {
        "hazardous_chemicals": "应急管理局",
        "construction": "住建局",
        "road_transport": "交通运输局",
        "special_equipment": "市场监管局",
        "small_venue": "消防救援",
        "fireworks": "应急管理局",
    }
    for code, department in expect.items():
        assert department_for_industry(Industry.objects.get(code=code), region).name == department


def test_county_override_rederives_its_enterprises_only(world):
    client = login(world.users["county_office"])
    response = client.post(
        "/orgs/duties/set/", {"industry": "hazardous_chemicals", "department": "industry_it"}
    )
    assert response.status_code == 302
    rule = IndustryDepartmentRule.objects.get(region__code="360402", industry__code="hazardous_chemicals")
    assert rule.department.name == "工信局"
    for enterprise in (world.chem_t1, world.chem_t2, world.chem_xiushui):
        enterprise.refresh_from_db()
    assert world.chem_t1.supervising_department.name == "工信局"
    assert world.chem_t2.supervising_department.name == "工信局"
    assert world.chem_xiushui.supervising_department.name == "应急管理局"  # another county keeps the default
    # removing the override restores the province default
    client.post("/orgs/duties/set/", {"industry": "hazardous_chemicals", "department": ""})
    world.chem_t1.refresh_from_db()
    assert world.chem_t1.supervising_department.name == "应急管理局"


def test_hand_set_department_survives_rule_changes(world, api_token):
    Client().patch(
        f"/api/v1/enterprises/{world.chem_t1.pk}",
        json.dumps({"supervising_department": "消防救援"}),
        content_type="application/json",
        **api_token("county_office"),
    )
    login(world.users["county_office"]).post(
        "/orgs/duties/set/", {"industry": "hazardous_chemicals", "department": "industry_it"}
    )
    world.chem_t1.refresh_from_db()
    assert world.chem_t1.supervising_department.name == "消防救援"


def test_supervisors_cannot_edit_duties(world):
    response = login(world.users["emergency_supervisor"]).post(
        "/orgs/duties/set/", {"industry": "construction", "department": "emergency"}
    )
    assert response.status_code in (302, 403)
    assert not IndustryDepartmentRule.objects.filter(region__isnull=False).exists()


def test_reference_lists_through_the_api(world, api_token):
    headers = api_token("inspector")
    departments = Client().get("/api/v1/departments", **headers).json()
    assert departments["count"] == Department.objects.count() >= 14
    industries = Client().get("/api/v1/industries?kind=category", **headers).json()
    codes = {i["code"] for i in industries["items"]}
    assert {
        "hazardous_chemicals",
        "coal_mine",
        "non_coal_mine",
        "fireworks",
        "metallurgy",
        "construction",
        "road_transport",
        "gas",
        "small_venue",
    } <= codes
