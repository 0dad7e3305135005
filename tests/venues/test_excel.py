"""Small venues from and to Excel: the import reports each bad row and column in Chinese (all or nothing imports
nothing; valid rows only imports the good ones, each with its own public code), the export lists the filtered
venues of the user's scope."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from anquan.core.models import AuditEntry
from anquan.venues.models import SmallVenue
from anquan.venues.validation import FIELDS
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _workbook(world, rows):
    wb = Workbook()
    ws = wb.active
    ws.append([f.label + ("*" if f.required else "") for f in FIELDS])
    for row in rows:
        ws.append([row.get(f.name, "") for f in FIELDS])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _rows(world):
    good = {
        "kind": "小商店",
        "name": "十里便利店",
        "address": "十里大道1号",
        "region": world.t1.code,
        "owner_name": "张三",
        "owner_phone": "13800000001",
        "uses_gas": "否",
        "exits": 2,
    }
    bad = {**good, "name": "坏行", "kind": "大商场", "owner_phone": "电话"}
    return [good, bad]


def _post(client, data, mode):
    upload = SimpleUploadedFile("venues.xlsx", data)
    return client.post("/venues/import/", {"file": upload, "mode": mode})


def test_import_reports_bad_rows_and_imports_by_mode(world):
    client = login(world.users["county_office"])
    data = _workbook(world, _rows(world))
    page = _post(client, data, "all_or_nothing").content.decode()
    assert "类别应为：小商店" in page and "联系电话格式不正确" in page and "<td>3</td>" in page
    assert not SmallVenue.objects.exists()
    page = _post(client, data, "valid_only").content.decode()
    [venue] = SmallVenue.objects.all()
    assert (
        venue.name == "十里便利店"
        and venue.kind == "shop"
        and venue.exits == 2
        and len(venue.public_code) == 12
    )
    assert AuditEntry.objects.filter(model="venues.smallvenue", action="import").count() == 1


def test_import_out_of_scope_region_is_a_row_error(world):
    row = {**_rows(world)[0], "region": "360424001"}
    page = _post(login(world.users["county_office"]), _workbook(world, [row]), "valid_only").content.decode()
    assert "区域不存在或不在您的管辖范围内" in page and not SmallVenue.objects.exists()


def test_export_lists_the_scoped_filtered_venues(world, venue):
    answer = login(world.users["county_office"]).get("/venues/export/?kind=small_restaurant")
    sheet = load_workbook(io.BytesIO(answer.content)).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert "老王小吃店" in values and venue.public_code in values
    answer = login(world.users["county_office_b"]).get("/venues/export/")
    values = [
        c for row in load_workbook(io.BytesIO(answer.content)).active.iter_rows(values_only=True) for c in row
    ]
    assert "老王小吃店" not in values
