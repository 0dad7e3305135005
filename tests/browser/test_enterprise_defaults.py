"""Registration and import defaults, as a user meets them: empty optional fields take the usual
defaults, grid workers register through the form, and untouched fields do not take surprising values."""

import re

import pytest

from anquan.enterprises import uscc
from anquan.enterprises.models import Enterprise

from .pages import pick_region, submit, upload, workbook_bytes

pytestmark = [pytest.mark.browser]


def register(page, *, name: str, code: str, employees: str | None):
    """Fill the required fields of the registration form (and 从业人数 if given) and save."""
    page.locator("#id_name").fill(name)
    page.locator("#id_uscc").fill(code)
    page.locator("#id_industry").select_option("hazardous_chemicals")
    if employees is not None:
        page.locator("#id_employee_count").fill(employees)
    return submit(page, page.locator("form.card button[type=submit]"))


def test_registering_without_an_employee_count_saves(site, world):
    code = uscc.make("91", "360402", "60000001")
    page = site.login("county_office")
    page.goto("/enterprises/new/")
    pick_region(page, "region", 0, world.t1.code)
    response = register(page, name="未填人数测试有限公司", code=code, employees=None)
    assert response.status != 500, "the server failed on a form with 从业人数 left empty"
    assert re.search(r"/enterprises/\d+/$", page.url)
    assert Enterprise.objects.get(uscc=code).employee_count == 0


def test_grid_worker_registers_an_enterprise_through_the_form(site, world):
    code = uscc.make("91", "360402", "60000002")
    page = site.login("grid_worker")
    page.goto("/enterprises/new/")
    register(page, name="网格员登记测试有限公司", code=code, employees="8")
    errors = page.locator(".aq-field-error, .alert-danger").all_inner_texts()
    assert errors == [], errors
    assert re.search(r"/enterprises/\d+/$", page.url)
    assert Enterprise.objects.filter(uscc=code, region=world.t1).exists()


def test_untouched_registration_fields_get_the_usual_defaults(site, world):
    code = uscc.make("91", "360402", "60000003")
    page = site.login("city_office")
    page.goto("/enterprises/new/")
    pick_region(page, "region", 0, "360402")
    pick_region(page, "region", 1, world.t1.code)
    register(page, name="默认值测试有限公司", code=code, employees="8")
    assert re.search(r"/enterprises/\d+/$", page.url)
    created = Enterprise.objects.get(uscc=code)
    assert created.territorial_region.code == world.t1.code, created.territorial_region.full_name
    assert created.scale == "below", created.scale


def test_importing_a_row_with_only_the_required_columns(site, world):
    code = uscc.make("91", "360402", "60000004")
    data = workbook_bytes(
        [
            {
                "name": "仅必填列导入有限公司",
                "uscc": code,
                "region": world.t1.code,
                "industry": "hazardous_chemicals",
            }
        ]
    )
    page = site.login("county_office")
    page.goto("/enterprises/import/")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        result = upload(page, data, "mode-all")
    assert posted.value.status == 200, f"the import answered {posted.value.status}"
    assert result.locator("tbody tr").count() == 0
    created = Enterprise.objects.get(uscc=code)
    assert (created.employee_count, created.scale, created.status, created.standardization_grade) == (
        0,
        "below",
        "operating",
        "none",
    )
