"""Enterprise pages without a browser: list filters and paging, form errors in Chinese, edit permissions."""

import pytest

from anquan.enterprises import uscc
from anquan.enterprises.models import Enterprise

from .conftest import login

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "name": "濂溪安达机械有限公司",
        "uscc": uscc.make("91", "360402", "77777777"),
        "region": "360402001",
        "industry": "machinery",
        "scale": "below",
        "employee_count": "12",
        "standardization_grade": "none",
        "status": "operating",
        "key_supervision_level": "",
        "supervising_department": "",
        "principal_phone": "13800000000",
    }
    data.update(overrides)
    return data


def test_register_through_the_form(world):
    client = login(world.users["county_office"])
    response = client.post("/enterprises/new/", form_data())
    assert response.status_code == 302
    enterprise = Enterprise.objects.get(name="濂溪安达机械有限公司")
    assert response["Location"] == f"/enterprises/{enterprise.pk}/"
    assert enterprise.supervising_department.name == "应急管理局"


def test_form_shows_field_errors_in_chinese_and_saves_nothing(world):
    client = login(world.users["county_office"])
    good = uscc.make("91", "360402", "77777777")
    page = client.post(
        "/enterprises/new/",
        form_data(
            uscc=good[:17] + ("X" if good[17] != "X" else "Y"), principal_phone="abc", key_supervision="on"
        ),
    ).content.decode()
    assert f"第18位应为“{good[17]}”" in page
    assert "主要负责人电话格式不正确" in page
    assert "重点监管企业须选择重点监管层级" in page
    assert not Enterprise.objects.filter(name="濂溪安达机械有限公司").exists()


def test_edit_changes_only_what_the_role_may_change(world):
    manager = login(world.users["enterprise_manager"])
    page = manager.get(f"/enterprises/{world.chem_t1.pk}/edit/")
    assert page.status_code == 200
    data = {
        "name": world.chem_t1.name,
        "uscc": world.chem_t1.uscc,
        "region": world.chem_t1.region.code,
        "industry": "hazardous_chemicals",
        "scale": "below",
        "employee_count": "88",
        "standardization_grade": "none",
        "status": "operating",
        "territorial_region": world.chem_t1.region.code,
        "safety_manager_name": "刘芳",
        "safety_manager_phone": "13907920002",
    }
    response = manager.post(f"/enterprises/{world.chem_t1.pk}/edit/", data)
    assert response.status_code == 302
    world.chem_t1.refresh_from_db()
    assert (world.chem_t1.employee_count, world.chem_t1.safety_manager_name) == (88, "刘芳")
    # supervision fields are not on an enterprise manager's form, and posting one anyway changes nothing
    assert (
        'name="status"' not in page.content.decode() and 'name="key_supervision"' not in page.content.decode()
    )
    manager.post(
        f"/enterprises/{world.chem_t1.pk}/edit/", {**data, "status": "closed", "key_supervision": "on"}
    )
    world.chem_t1.refresh_from_db()
    assert (world.chem_t1.status, world.chem_t1.key_supervision) == ("operating", False)
    # registry fields are shown but refused with a field error
    refused = manager.post(f"/enterprises/{world.chem_t1.pk}/edit/", {**data, "name": "改名有限公司"})
    assert "您无权修改单位名称" in refused.content.decode()


def test_list_filters_by_industry_department_and_region(world):
    client = login(world.users["city_office"])
    page = client.get("/enterprises/?industry=construction").content.decode()
    assert world.build_t1.uscc in page and world.chem_t1.uscc not in page
    page = client.get("/enterprises/?department=应急管理局&region=360424").content.decode()
    assert world.chem_xiushui.uscc in page and world.chem_t1.uscc not in page
    page = client.get("/enterprises/?q=jxhgcs").content.decode()
    assert world.chem_t1.uscc in page and world.chem_t2.uscc not in page


def test_home_counts_only_the_users_area(world):
    page = login(world.users["township_office"]).get("/").content.decode()
    assert 'data-testid="stat-total">2<' in page


def test_navigation_shows_only_permitted_modules(world):
    grid = login(world.users["grid_worker"]).get("/").content.decode()
    assert "用户管理" not in grid and "企业名录" in grid
    office = login(world.users["county_office"]).get("/").content.decode()
    assert "用户管理" in office and "审计日志" in office
