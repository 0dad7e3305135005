import io, re
import pytest
from openpyxl import Workbook
from anquan.enterprises import uscc
from anquan.enterprises.models import Enterprise
from anquan.enterprises.validation import FIELDS
pytestmark = [pytest.mark.browser]

def test_explore_import_minimal(site, world):
    wb = Workbook(); ws = wb.active
    ws.append([f.label for f in FIELDS])
    code = uscc.make("91", "360402", "55556666")
    row = {"name": "最少字段有限公司", "uscc": code, "region": world.t1.code, "industry": "hazardous_chemicals", "employee_count": 5}
    ws.append([row.get(f.name) for f in FIELDS])
    b = io.BytesIO(); wb.save(b)
    page = site.login("county_office")
    page.goto("/enterprises/import/")
    page.locator("input[type=file]").set_input_files(files=[{"name": "a.xlsx", "mimeType": "application/octet-stream", "buffer": b.getvalue()}])
    with page.expect_response(re.compile("/enterprises/import/")) as r:
        page.locator("form[enctype='multipart/form-data'] button").click()
    print("status", r.value.status)
    print(page.locator("body").inner_text()[:300])
    e = Enterprise.objects.filter(uscc=code).first()
    if e: print("created", repr(e.scale), repr(e.status), e.employee_count, repr(e.standardization_grade))

def test_explore_edit(site, world):
    page = site.login("county_office")
    page.goto(f"/enterprises/{world.chem_t1.pk}/edit/")
    site.screenshot("explore-edit")
    page.locator("#id_address").fill("十里大道1号")
    page.locator("form.card button[type=submit]").click()
    page.wait_for_load_state()
    print("edit ->", page.url, page.locator(".alert, .aq-field-error").all_inner_texts())
    world.chem_t1.refresh_from_db()
    print("territorial", world.chem_t1.territorial_region.code, "scale", world.chem_t1.scale, world.chem_t1.address)
