"""Risk pages render for an authority and for an enterprise, keep to the scope, and their forms work."""

from decimal import Decimal

import pytest

from anquan.majorhazards import services as installations
from anquan.majorhazards.models import MajorHazardInstallation
from anquan.riskpoints import services as points
from anquan.riskpoints.models import RiskPoint
from tests.conftest import login

from .helpers import REFERENCE_INSTALLATION, new_point

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(world):
    point = new_point(world)
    points.assess(point, {"method": "LEC", "l": 3, "e": 6, "c": 15}, actor=world.users["enterprise_manager"])
    points.add_measure(
        point,
        {"kind": "ppe", "tier": "post", "description": "佩戴正压式空气呼吸器"},
        actor=world.users["inspector"],
    )
    inst = installations.create_installation(REFERENCE_INSTALLATION, actor=world.users["enterprise_manager"])
    return point, inst


@pytest.mark.parametrize("persona", ["county_office", "enterprise_manager"])
def test_pages_render(world, data, persona):
    point, inst = data
    client = login(world.users[persona])
    page = client.get("/risk/")
    assert page.status_code == 200
    html = page.content.decode()
    assert point.name in html and 'data-level="orange"' in html
    if persona == "enterprise_manager":
        assert 'data-testid="enterprise-level"' in html and points.RULE_TEXT in html
    html = client.get(f"/risk/{point.pk}/").content.decode()
    assert "佩戴正压式空气呼吸器" in html and "270" in html
    assert 'data-testid="form-LEC"' in html and 'data-testid="form-measure"' in html
    assert points.RULE_TEXT in html
    assert client.get("/risk/new/").status_code == 200
    assert inst.name in client.get("/risk/installations/").content.decode()
    html = client.get(f"/risk/installations/{inst.pk}/").content.decode()
    assert 'data-testid="s">1.2<' in html and 'data-testid="r">5.4<' in html and "赵六" in html


def test_scope_and_read_only(world, data):
    point, inst = data
    other = login(world.users["county_office_b"])
    assert other.get(f"/risk/{point.pk}/").status_code == 404
    assert other.get(f"/risk/installations/{inst.pk}/").status_code == 404
    assert point.name not in other.get("/risk/").content.decode()
    html = login(world.users["grid_worker"]).get(f"/risk/{point.pk}/").content.decode()
    assert 'data-testid="form-LEC"' not in html
    response = login(world.users["grid_worker"]).post(
        f"/risk/{point.pk}/assess/", {"method": "LS", "ls_l": "1", "ls_s": "1"}
    )
    assert response.status_code == 422 and point.assessments.count() == 1


def test_forms(world):
    client = login(world.users["county_office"])
    response = client.post(
        "/risk/new/",
        {
            "form_key": "f1",
            "enterprise": world.chem_t1.uscc,
            "name": "氯气钢瓶库",
            "kind": "place",
            "factor_kinds": ["object", "environment"],
            "accident_categories": ["WSA10009"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    point = RiskPoint.objects.get(name="氯气钢瓶库")
    assert point.factor_kinds == ["object", "environment"]
    response = client.post(
        "/risk/new/", {"form_key": "f2", "enterprise": world.chem_t1.uscc, "kind": "place"}
    )
    assert response.status_code == 422 and "请填写风险点名称" in response.content.decode()

    response = client.post(
        f"/risk/{point.pk}/assess/", {"method": "LS", "ls_l": "4", "ls_s": "5", "residual": "true"}
    )
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.current_level == "red" and point.assessments.get().residual
    response = client.post(f"/risk/{point.pk}/assess/", {"method": "LEC", "lec_l": "3"})
    assert response.status_code == 422 and point.assessments.count() == 1
    response = client.post(
        f"/risk/{point.pk}/measures/",
        {"kind": "engineering", "tier": "company", "description": "设置防护围堰"},
    )
    assert response.status_code == 302 and point.measures.count() == 1
    response = client.post(f"/risk/{point.pk}/measures/", {"kind": "engineering", "tier": "company"})
    assert response.status_code == 422 and "请填写措施内容" in response.content.decode()


def test_installation_form_creates_and_recomputes(world):
    manager = login(world.users["enterprise_manager"])
    assert manager.get("/risk/installations/new/").status_code == 200
    response = manager.post(
        "/risk/installations/new/",
        {
            "name": "液氯液氨储存单元",
            "unit_type": "storage",
            "exposed_persons": "60",
            "s0_name": "氯",
            "s0_quantity_t": "3",
            "s1_name": "氨",
            "s1_quantity_t": "6",
            "technical_name": "赵六",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    inst = MajorHazardInstallation.objects.get()
    assert (inst.enterprise, inst.grade, inst.technical_name) == (world.chem_t1, 4, "赵六")
    page = manager.get(f"/risk/installations/{inst.pk}/edit/")
    assert page.status_code == 200 and 'value="氨"' in page.content.decode()
    response = manager.post(
        f"/risk/installations/{inst.pk}/edit/",
        {
            "name": inst.name,
            "unit_type": "storage",
            "exposed_persons": "60",
            "s0_name": "氯",
            "s0_quantity_t": "3",
        }
        | {"s1_name": "氨", "s1_quantity_t": "60"},
    )
    assert response.status_code == 302
    inst.refresh_from_db()
    assert (inst.r, inst.grade, inst.technical_name) == (Decimal("21.6"), 3, "")
    response = manager.post(
        f"/risk/installations/{inst.pk}/edit/", {"name": inst.name, "unit_type": "storage"}
    )
    assert response.status_code == 422 and "请至少填写一种危险化学品" in response.content.decode()
    assert (
        login(world.users["county_office_b"]).get(f"/risk/installations/{inst.pk}/edit/").status_code == 404
    )
    response = login(world.users["grid_worker"]).post(
        f"/risk/installations/{inst.pk}/edit/",
        {"name": "x", "unit_type": "storage", "s0_name": "氯", "s0_quantity_t": "1"},
    )
    assert response.status_code == 422
    inst.refresh_from_db()
    assert inst.grade == 3


@pytest.mark.parametrize(
    "url",
    [
        "/risk/tasks/missed/?from=0001-01-01&to=9999-12-31",
        "/risk/tasks/missed/?enterprise=9223372036854775808",
        "/risk/plans/?enterprise=99999999999999999999",
        "/risk/reports/?year=99999999999999999999",
    ],
)
def test_odd_query_values_on_pages_fall_back_instead_of_500(world, url):
    """Page filters ignore what they cannot use (a year-1 range, an id past a bigint) and still render."""
    response = login(world.users["county_office"]).get(url)
    assert response.status_code == 200
