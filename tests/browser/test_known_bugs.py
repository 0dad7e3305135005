"""UI bugs found while writing the browser suite, pinned as strict expected failures.

Each test states what the user should get. While the bug is there it fails with an
AssertionError and is reported as xfail; once the bug is fixed it passes, which a strict
xfail turns into a failure: then delete the `xfail` marker and keep the test. Any other
exception (a selector that no longer matches, a timeout) is a plain failure.
"""

import re

import pytest

from anquan.enterprises import uscc
from anquan.enterprises.models import Enterprise

from .pages import pick_region, submit, upload, workbook_bytes

pytestmark = [pytest.mark.browser]


def known_bug(reason: str):
    return pytest.mark.xfail(reason=reason, strict=True, raises=AssertionError)


def register(page, *, name: str, code: str, employees: str | None):
    """Fill the required fields of the registration form (and 从业人数 if given) and save."""
    page.locator("#id_name").fill(name)
    page.locator("#id_uscc").fill(code)
    page.locator("#id_industry").select_option("hazardous_chemicals")
    if employees is not None:
        page.locator("#id_employee_count").fill(employees)
    return submit(page, page.locator("form.card button[type=submit]"))


@known_bug("blank 从业人数 on the registration form: validation gives None, the NOT NULL column "
           "raises IntegrityError → 500 (validation.clean_enterprise should apply DEFAULTS on create)")
def test_registering_without_an_employee_count_saves(site, world):
    code = uscc.make("91", "360402", "60000001")
    page = site.login("county_office")
    page.goto("/enterprises/new/")
    pick_region(page, "region", 0, world.t1.code)
    response = register(page, name="未填人数测试有限公司", code=code, employees=None)
    assert response.status != 500, "the server failed on a form with 从业人数 left empty"
    assert re.search(r"/enterprises/\d+/$", page.url)
    assert Enterprise.objects.get(uscc=code).employee_count == 0


@known_bug("a grid worker (township level, no enterprise.supervise) cannot register through the form: "
           "the territorial-region picker posts the user's own region, which validation reads as a change "
           "of 属地监管区域代码 → “您无权修改属地监管区域代码”")
def test_grid_worker_registers_an_enterprise_through_the_form(site, world):
    code = uscc.make("91", "360402", "60000002")
    page = site.login("grid_worker")
    page.goto("/enterprises/new/")
    register(page, name="网格员登记测试有限公司", code=code, employees="8")
    errors = page.locator(".aq-field-error, .alert-danger").all_inner_texts()
    assert errors == [], errors
    assert re.search(r"/enterprises/\d+/$", page.url)
    assert Enterprise.objects.filter(uscc=code, region=world.t1).exists()


@known_bug("fields the user did not touch on the registration form do not get the defaults the API and "
           "import use: 属地监管 becomes the user's own region (九江市 for a city official) instead of the "
           "enterprise's region, and 规模 becomes 规上 (first option) instead of 规下")
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


@known_bug("Excel import of a row with only the required columns: blank 从业人数 → IntegrityError → 500; "
           "with 从业人数 filled, blank 规模/经营状态/安全生产标准化等级 are stored as '' instead of "
           "规下/在营/未评级, so the enterprise does not count as operating")
def test_importing_a_row_with_only_the_required_columns(site, world):
    code = uscc.make("91", "360402", "60000004")
    data = workbook_bytes([{"name": "仅必填列导入有限公司", "uscc": code, "region": world.t1.code,
                            "industry": "hazardous_chemicals"}])
    page = site.login("county_office")
    page.goto("/enterprises/import/")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        result = upload(page, data, "mode-all")
    assert posted.value.status == 200, f"the import answered {posted.value.status}"
    assert result.locator("tbody tr").count() == 0
    created = Enterprise.objects.get(uscc=code)
    assert (created.employee_count, created.scale, created.status, created.standardization_grade) == (
        0, "below", "operating", "none")
