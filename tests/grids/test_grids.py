"""Grid units: the office makes township and village grids (errors under their fields), an enterprise its own
internal units (its own list only), coverage of an area, the printable notice, allowances by the rule data,
and the API (scope, bad input, create and patch)."""

import pytest
from django.test import Client

from anquan.core.models import AuditEntry
from anquan.regions.models import Grid, Region
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_the_office_creates_a_grid_and_bad_input_is_shown_under_its_field(world):
    office = login(world.users["township_office"])
    worker = world.users["grid_worker"]
    bad = office.post(
        "/grids/new/",
        {
            "level": "village",
            "region": world.t1.code,
            "name": "",
            "head_phone": "电话",
            "workers": [str(worker.pk)],
        },
    )
    body = bad.content.decode()
    assert bad.status_code == 422
    assert (
        "村（社区）网格须设在村（社区）" in body
        and "请填写网格名称" in body
        and "负责人电话只能包含数字" in body
    )
    assert not Grid.objects.filter(region=world.t1, name="").exists()
    good = office.post(
        "/grids/new/",
        {
            "level": "township",
            "region": world.t1.code,
            "name": "十里街道第九网格",
            "head_name": "刘网格长",
            "head_phone": "13912345678",
            "workers": [str(worker.pk)],
        },
    )
    assert good.status_code == 302
    grid = Grid.objects.get(name="十里街道第九网格")
    assert grid.level == "township" and list(grid.workers.all()) == [worker]
    assert AuditEntry.objects.filter(model="regions.grid", object_id=str(grid.pk), action="create").exists()
    notice = office.get(f"/grids/{grid.pk}/notice/").content.decode()
    assert "刘网格长" in notice and "13912345678" in notice and "12350" in notice
    assert login(world.users["county_office_b"]).get(f"/grids/{grid.pk}/notice/").status_code == 404


def test_an_enterprise_keeps_its_own_internal_grid_list(world):
    manager = login(world.users["enterprise_manager"])
    answer = manager.post(
        "/grids/new/", {"level": "enterprise", "name": "储罐区网格单元", "head_name": "赵班长"}
    )
    assert answer.status_code == 302
    unit = Grid.objects.get(name="储罐区网格单元")
    assert (
        unit.enterprise == world.chem_t1
        and unit.level == "enterprise"
        and unit.region == world.chem_t1.region
    )
    Grid.objects.create(region=world.t1, code="X-1", name="街道网格")  # not the enterprise's
    listing = manager.get("/grids/").content.decode()
    assert "储罐区网格单元" in listing and "街道网格" not in listing
    refused = manager.post("/grids/new/", {"level": "township", "region": world.t1.code, "name": "越权网格"})
    assert refused.status_code == 422 and "企业只能设立本企业的内部网格单元" in refused.content.decode()


def test_coverage_shows_villages_without_a_grid_grids_without_a_worker_and_enterprises_without_units(world):
    village = Region.objects.create(
        code=f"{world.t1.code}201", name="测试村", level=5, parent=world.t1, full_name="测试村"
    )
    Grid.objects.create(region=world.t1, code="C-1", name="无人网格")
    Grid.objects.create(
        region=world.chem_t1.region, enterprise=world.chem_t1, level="enterprise", code="C-2", name="单元"
    )
    page = login(world.users["township_office"]).get("/grids/").content.decode()
    assert 'data-testid="villages-without-grid">1<' in page and village.name in page
    assert 'data-testid="grids-without-worker">1<' in page and "无人网格" in page
    assert 'data-testid="enterprises-without-units">1<' in page and world.build_t1.name in page


def test_allowances_use_the_rule_datas_default_once_a_month(world):
    village = Region.objects.create(
        code=f"{world.t1.code}201", name="测试村", level=5, parent=world.t1, full_name="测试村"
    )
    grid = Grid.objects.create(region=village, level="village", code="V-1", name="测试村网格")
    grid.workers.add(world.users["grid_worker"])
    office = login(world.users["township_office"])
    page = office.get(f"/grids/{grid.pk}/").content.decode()
    assert 'value="200"' in page and 'data-testid="rule-unverified"' in page
    assert office.post(f"/grids/{grid.pk}/allowances/", {"month": "2026-11", "amount": ""}).status_code == 302
    assert (
        office.post(f"/grids/{grid.pk}/allowances/", {"month": "2026-11", "amount": "300"}).status_code == 302
    )
    assert [str(a.amount) for a in grid.allowances.all()] == ["200.00"]  # the month was already recorded
    bad = office.post(f"/grids/{grid.pk}/allowances/", {"month": "2026-13", "amount": "-1"})
    assert bad.status_code == 422 and "月份格式应为" in bad.content.decode()


def _api(world, persona):
    from tests.conftest import PASSWORD

    token = (
        Client()
        .post(
            "/api/v1/auth/token", {"username": persona, "password": PASSWORD}, content_type="application/json"
        )
        .json()["token"]
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_the_grid_api_creates_patches_and_keeps_to_scope(world):
    client = Client()
    office = _api(world, "county_office")
    created = client.post(
        "/api/v1/grids",
        {
            "level": "township",
            "region": world.t1.code,
            "name": "接口网格",
            "workers": [world.users["grid_worker"].pk],
        },
        content_type="application/json",
        **office,
    )
    assert created.status_code == 201, created.content
    grid = created.json()
    assert grid["workers"][0]["id"] == world.users["grid_worker"].pk
    patched = client.patch(
        f"/api/v1/grids/{grid['id']}", {"head_phone": "abc"}, content_type="application/json", **office
    )
    assert patched.status_code == 422 and patched.json()["detail"][0]["field"] == "head_phone"
    patched = client.patch(
        f"/api/v1/grids/{grid['id']}", {"head_name": "周网格长"}, content_type="application/json", **office
    )
    assert patched.status_code == 200 and patched.json()["head_name"] == "周网格长"
    other = _api(world, "county_office_b")
    assert client.get(f"/api/v1/grids/{grid['id']}", **other).status_code == 404
    assert (
        client.patch(
            f"/api/v1/grids/{grid['id']}", {"name": "x"}, content_type="application/json", **other
        ).status_code
        == 404
    )
    assert client.get(f"/api/v1/stats/grids?region={world.t1.code}", **other).status_code == 404
    bad = client.get("/api/v1/stats/grids?from=2026-12-01&to=2026-11-01", **office)
    assert bad.status_code == 422
    wrong = client.post(
        "/api/v1/grids", {"level": "planet", "name": "x"}, content_type="application/json", **office
    )
    assert wrong.status_code == 422
