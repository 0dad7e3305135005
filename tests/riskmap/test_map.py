"""The stored enterprise risk level and the regional four-colour map: the colour rule at each of its
share boundaries, counts by child region through the scope, versioned rules, the API and the page."""

from decimal import Decimal

import pytest
from django.test import Client

from anquan.core.errors import NotPermitted, ValidationFailed
from anquan.core.models import AuditEntry
from anquan.enterprises.models import Enterprise
from anquan.hazards import actions
from anquan.hazards import services as reporting
from anquan.majorhazards import services as installations
from anquan.regions import shapes
from anquan.riskmap import maps
from anquan.riskpoints import levels
from anquan.riskpoints import services as points
from anquan.standards import map_rules
from anquan.standards.models import RiskMapRule

from ..conftest import login
from ..riskpoints.helpers import REFERENCE_INSTALLATION, assessed_point, new_point

pytestmark = pytest.mark.django_db

API = "/api/v1"
RULE = map_rules.Rule(
    Decimal(10), Decimal(20), Decimal(30), version=1, region_code="", source="t", verified=False
)


def counts(red=0, orange=0, yellow=0, blue=0):
    return {"red": red, "orange": orange, "yellow": yellow, "blue": blue}


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (counts(), ""),  # nothing assessed: no colour
        (counts(red=1, blue=9), "red"),  # 1/10 = 10 % red: exactly the red share
        (counts(red=1, blue=10), "blue"),  # 1/11 = 9.09 % red, 9.09 % up to orange, up to yellow
        (counts(red=1, orange=3, blue=16), "orange"),  # red 5 %; red + orange 20 %, exactly
        (counts(red=1, orange=1, blue=9), "blue"),  # 9.1 % red; 18.2 % up to orange and to yellow
        (counts(orange=1, yellow=2, blue=7), "yellow"),  # 10 % up to orange; 30 % up to yellow, exactly
        (counts(orange=2, yellow=1, blue=8), "blue"),  # 2/11 = 18.2 % < 20 %, 3/11 = 27.3 % < 30 %
        (counts(yellow=3, blue=7), "yellow"),
        (counts(yellow=3, blue=8), "blue"),  # 27.3 %
        (counts(blue=5), "blue"),
        (counts(red=5), "red"),
    ],
)
def test_colour_rule_boundaries(given, expected):
    assert RULE.level(given) == expected


def test_unassessed_enterprises_are_not_in_the_base():
    # 1 red among 10 assessed is 10 %: the 90 unassessed enterprises do not dilute it
    assert RULE.level({**counts(red=1, blue=9), "unassessed": 90}) == "red"


def test_stored_level_follows_assessments_hazards_and_installations(world):
    manager, office = world.users["enterprise_manager"], world.users["county_office"]
    chem = world.chem_t1

    def stored():
        return Enterprise.objects.get(pk=chem.pk).risk_level

    assert stored() == ""
    point = new_point(world)
    points.assess(point, {"method": "LS", "l": 1, "s": 2}, actor=manager)  # R = 2: blue
    assert stored() == "blue"
    hazard = reporting.report_hazard(
        {
            "enterprise": chem.uscc,
            "description": "液氯储罐未设置紧急切断装置",
            "level": "major",
            "judgement_note": "化工和危险化学品生产经营单位重大生产安全事故隐患判定标准",
        },
        actor=office,
    )
    assert stored() == "orange"  # an open major hazard raises it
    actions.transition(hazard, "cancel", actor=office, comment="重复登记")
    assert stored() == "blue"  # and it falls back once the hazard is no longer open
    # chlorine 50 t in storage, 60 persons: α 1.5 × β 4 × 50/5 = R 60 → grade 2 (GB 18218-2018 表6)
    inst = installations.create_installation(
        {
            **REFERENCE_INSTALLATION,
            "enterprise": chem.uscc,
            "substances": [{"name": "氯", "quantity_t": "50"}],
        },
        actor=office,
    )
    assert inst.grade == 2
    assert stored() == "orange"
    installations.update_installation(inst, {"substances": [{"name": "氯", "quantity_t": "6"}]}, actor=office)
    assert Enterprise.objects.get(pk=chem.pk).risk_level == "blue"  # 1.5 × 4 × 1.2 = 7.2: grade 4
    points.assess(point, {"method": "LS", "l": 4, "s": 5}, actor=manager)  # R = 20: red
    assert stored() == "red" == levels.enterprise_risk_level(chem)


def test_refresh_many_repairs_stored_levels(world):
    point = new_point(world)
    points.assess(point, {"method": "LS", "l": 2, "s": 5}, actor=world.users["enterprise_manager"])  # yellow
    Enterprise.objects.update(risk_level="red")  # e.g. a restored backup
    assert levels.refresh_many() == 4  # every world enterprise was wrong
    assert dict(Enterprise.objects.values_list("name", "risk_level")) == {
        "江西化工测试有限公司": "yellow",
        "濂溪建筑工程有限公司": "",
        "九江精细化工有限公司": "",
        "修水化学有限公司": "",
    }
    assert levels.refresh_many() == 0


RED, YELLOW, BLUE = {"l": 4, "s": 5}, {"l": 2, "s": 5}, {"l": 1, "s": 2}


def test_counts_by_child_region_through_the_scope(world):
    assessed_point(world, world.chem_t1, RED)
    assessed_point(world, world.chem_t2, BLUE)
    assessed_point(world, world.chem_xiushui, YELLOW, actor="county_office_b")
    city = maps.compute(world.users["city_office"], "360400")
    by_code = {c["code"]: c for c in city["children"]}
    lianxi, xiushui = by_code["360402"], by_code["360424"]
    assert lianxi["counts"] == {"red": 1, "orange": 0, "yellow": 0, "blue": 1, "unassessed": 1}
    assert lianxi["level"] == "red"  # 1 of 2 assessed is red: 50 % ≥ 10 %
    assert (xiushui["counts"]["yellow"], xiushui["level"]) == (1, "yellow")
    assert by_code["360403"]["level"] == "" and by_code["360403"]["total"] == 0  # 浔阳区: no enterprises
    assert city["total"]["counts"] == {"red": 1, "orange": 0, "yellow": 1, "blue": 1, "unassessed": 1}
    assert city["total"]["level"] == "red"  # 1/3 = 33 %
    # the county office of 濂溪区 sees its townships only, and cannot ask for the city
    county = maps.compute(world.users["county_office"])
    assert county["region"]["code"] == "360402"
    assert sum(c["total"] for c in county["children"]) == 3
    with pytest.raises(ValidationFailed):
        maps.compute(world.users["county_office"], "360400")
    # a department supervisor counts the enterprises of its department only
    emergency = maps.compute(world.users["emergency_supervisor"], "360402")
    assert emergency["total"]["total"] == 2  # not the construction company: 住建局 supervises it


def test_closed_enterprises_are_not_counted(world):
    assessed_point(world, world.chem_t1, RED)
    Enterprise.objects.filter(pk=world.chem_t1.pk).update(status="closed")
    lianxi = maps.compute(world.users["city_office"], "360402")
    assert lianxi["total"]["counts"]["red"] == 0


def test_shapes_name_todays_regions():
    # the county shapes of 九江 predate 柴桑区 (was 九江县, 360421) and 庐山市's new code (360427 → 360483)
    assert shapes.shape_ids("360404") == ["360404", "360421"]
    assert shapes.shape_ids("360483") == ["360483", "360427"]


def test_map_files_exist_for_jiangxi_and_its_cities(world):
    from anquan.regions.models import Region

    province = shapes.children_map(Region.objects.get(code="360000"))
    assert province.name == "江西" and len(province.feature_ids) == 11
    for city in Region.objects.filter(parent__code="360000"):
        drawn = shapes.children_map(city)
        assert drawn is not None, city.name
        current = {c.code for c in city.children.all()}
        # every feature stands for a county of today (directly or through an alias) …
        assert {shapes.aliases().get(i, i) for i in drawn.feature_ids} <= current, city.name
    # … and only 红谷滩区 (2019) has no shape of its own
    nanchang = shapes.children_map(Region.objects.get(code="360100"))
    missing = {c.code for c in Region.objects.filter(parent__code="360100")} - {
        shapes.aliases().get(i, i) for i in nanchang.feature_ids
    }
    assert missing == {"360113"}


def test_a_province_rule_is_a_new_audited_version(world):
    office = world.users["province_office"]
    assessed_point(world, world.chem_t1, YELLOW)
    assessed_point(world, world.chem_t2, BLUE)
    assessed_point(world, world.chem_xiushui, BLUE, actor="county_office_b")
    assert maps.compute(office, "360400")["total"]["level"] == "yellow"  # 1/3 = 33 % ≥ 30 %
    row = map_rules.set_rule(
        {
            "region": "360000",
            "red_share": "5",
            "orange_share": "15",
            "yellow_share": "40",
            "source": "赣安〔2026〕1号",
        },
        actor=office,
    )
    assert (row.version, row.active) == (1, True)
    data = maps.compute(office, "360400")
    assert data["total"]["level"] == "blue"  # 33 % < 40 %
    assert data["rule"]["version"] == 1 and "40%" in data["rule"]["text"]
    second = map_rules.set_rule(
        {
            "region": "360000",
            "red_share": "5",
            "orange_share": "15",
            "yellow_share": "30",
            "source": "赣安〔2026〕2号",
        },
        actor=office,
    )
    assert second.version == 2 and second.supersedes_id == row.pk
    assert list(RiskMapRule.objects.filter(active=True)) == [second]
    changes = list(
        AuditEntry.objects.filter(model="standards.riskmaprule").values_list("action", "object_id")
    )
    assert changes == [("create", str(row.pk)), ("update", str(row.pk)), ("create", str(second.pk))]
    assert maps.compute(office, "360400")["total"]["level"] == "yellow"


def test_rule_input_is_checked(world):
    with pytest.raises(NotPermitted):
        map_rules.set_rule(
            {"region": "360000", "red_share": 5, "orange_share": 15, "yellow_share": 30, "source": "x"},
            actor=world.users["county_office"],
        )
    with pytest.raises(ValidationFailed) as exc:
        map_rules.set_rule(
            {"region": "360000", "red_share": "abc", "orange_share": 0, "yellow_share": 120, "source": ""},
            actor=world.users["province_office"],
        )
    assert {e.field for e in exc.value.errors} == {"red_share", "orange_share", "yellow_share", "source"}
    with pytest.raises(ValidationFailed) as exc:
        map_rules.set_rule(
            {"region": "360000", "red_share": 30, "orange_share": 20, "yellow_share": 40, "source": "x"},
            actor=world.users["province_office"],
        )
    assert [e.code for e in exc.value.errors] == ["not_cumulative"]
    assert not RiskMapRule.objects.exists()


def test_risk_map_api(world, api_token):
    assessed_point(world, world.chem_t1, RED)
    headers = api_token("city_office")
    response = Client().get(f"{API}/stats/risk-map", {"region": "360400"}, **headers)
    assert response.status_code == 200
    body = response.json()
    assert body["map"]["name"] == "九江"
    assert Client().get(body["map"]["url"]).status_code == 200  # the boundary file is served
    chaisang = next(c for c in body["children"] if c["code"] == "360404")
    assert chaisang["name"] == "柴桑区" and "360421" in chaisang["shape_ids"] and chaisang["on_map"]
    assert next(c for c in body["children"] if c["code"] == "360402")["counts"]["red"] == 1
    assert body["ancestors"] == []  # the province is outside a city office's scope: no link up
    bad = Client().get(f"{API}/stats/risk-map", {"region": "999999"}, **headers)
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "region"
    outside = Client().get(f"{API}/stats/risk-map", {"region": "360400"}, **api_token("county_office"))
    assert outside.status_code == 422
    assert Client().get(f"{API}/stats/risk-map", **api_token("enterprise_manager")).status_code == 403


def test_rule_api(world, api_token):
    headers = api_token("province_office")
    listed = Client().get(f"{API}/tools/risk-map-rules", **headers).json()
    assert (
        listed["items"] == [] and listed["default"]["version"] == 0 and listed["default"]["verified"] is False
    )
    body = {
        "region": "360000",
        "red_share": 5,
        "orange_share": 15,
        "yellow_share": 30,
        "source": "赣安〔2026〕1号",
    }
    created = Client().post(f"{API}/tools/risk-map-rules", body, content_type="application/json", **headers)
    assert created.status_code == 201 and created.json()["version"] == 1
    wrong = Client().post(
        f"{API}/tools/risk-map-rules", body | {"yellow_share": 1}, content_type="application/json", **headers
    )
    assert wrong.status_code == 422
    refused = Client().post(
        f"{API}/tools/risk-map-rules", body, content_type="application/json", **api_token("county_office")
    )
    assert refused.status_code == 403


def test_map_page(world):
    assessed_point(world, world.chem_t1, RED)
    client = login(world.users["city_office"])
    html = client.get("/risk/map/", {"region": "360400"}).content.decode()
    assert 'data-code="360402" data-level="red"' in html
    assert "vendor/maps/cities/" in html  # the county shapes of 九江市 are loaded
    assert "?region=360402&amp;risk_level=red" in html  # the count links to the enterprises
    assert "柴桑区" in html
    # a region outside the scope falls back to the user's own
    county = login(world.users["county_office"]).get("/risk/map/", {"region": "360424"}).content.decode()
    assert "濂溪区" in county and 'data-code="360424"' not in county
    assert login(world.users["enterprise_manager"]).get("/risk/map/").status_code == 403
    # the province office sets its rule from the page; a bad value is shown, not saved
    office = login(world.users["province_office"])
    bad = office.post(
        "/risk/map/rule/", {"red_share": "30", "orange_share": "20", "yellow_share": "40", "source": "x"}
    )
    assert bad.status_code == 422 and "累计" in bad.content.decode()
    ok = office.post(
        "/risk/map/rule/", {"red_share": "5", "orange_share": "20", "yellow_share": "40", "source": "x"}
    )
    assert ok.status_code == 302 and RiskMapRule.objects.get().region_code == "360000"


def test_enterprise_list_filters_by_risk_level(world):
    assessed_point(world, world.chem_t1, RED)
    client = login(world.users["county_office"])
    html = client.get("/enterprises/", {"risk_level": "red"}).content.decode()
    assert "江西化工测试有限公司" in html and "九江精细化工有限公司" not in html
    html = client.get("/enterprises/", {"risk_level": "none"}).content.decode()
    assert "江西化工测试有限公司" not in html and "九江精细化工有限公司" in html


def test_map_table_exports_to_excel(world):
    import io

    from openpyxl import load_workbook

    assessed_point(world, world.chem_t1, RED)
    assessed_point(world, world.chem_xiushui, BLUE, actor="county_office_b")
    response = login(world.users["city_office"]).get("/risk/map/export.xlsx", {"region": "360400"})
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    wb = load_workbook(io.BytesIO(response.content))
    rows = {r[1]: r for r in wb["区域风险四色图"].iter_rows(min_row=2, values_only=True)}
    assert rows["360402"][2:] == ("重大风险", 1, 0, 0, 0, 2, 3)
    assert rows["360424"][2:] == ("低风险", 0, 0, 0, 1, 0, 1)
    assert rows["360400"][0] == "九江市合计" and rows["360400"][-1] == 4
    assert "10%" in wb["着色规则"]["B1"].value
    assert (
        login(world.users["county_office"]).get("/risk/map/export.xlsx", {"region": "360424"}).status_code
        == 404
    )
