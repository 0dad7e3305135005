"""Excel import: per-row error report; "all or nothing" imports nothing when a row is bad;
"valid rows only" imports exactly the good rows; export → import round trip."""

import io

import pytest
from django.test import Client
from openpyxl import Workbook, load_workbook

from anquan.core import audit
from anquan.enterprises import excel, uscc
from anquan.enterprises.models import Enterprise
from anquan.enterprises.validation import FIELDS

from .conftest import login

pytestmark = pytest.mark.django_db

LABELS = [f.label for f in FIELDS]


def workbook(rows: list[dict]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(LABELS)
    for row in rows:
        ws.append([row.get(f.name, "") for f in FIELDS])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def good_row(n: int, region: str) -> dict:
    return {
        "name": f"测试企业{n:05d}有限公司",
        "uscc": uscc.make("91", "360402", f"{n + 50_000_000:08d}"),
        "region": region,
        "industry": "machinery",
        "scale": "规下",
        "employee_count": n % 300,
        "key_supervision": "否",
    }


def test_ten_thousand_rows_with_three_bad_all_or_nothing(world, settings):
    settings.IMPORT_MAX_ROWS = 10_000  # above the default of 5,000: a deployment may raise it
    region = world.t1.code
    rows = [good_row(n, region) for n in range(10, 10_010)]
    rows[99]["uscc"] = rows[99]["uscc"][:17] + ("0" if rows[99]["uscc"][17] != "0" else "1")  # sheet row 101
    rows[4999]["region"] = "369999"  # sheet row 5001
    rows[9998]["employee_count"] = "很多"  # sheet row 10000
    before = Enterprise.objects.count()
    result = excel.import_workbook(workbook(rows), actor=world.users["county_office"], mode="all_or_nothing")
    assert result.total_rows == 10_000
    assert result.bad_rows == [101, 5001, 10000]
    assert [(e.row, e.column) for e in result.errors] == [
        (101, "统一社会信用代码"),
        (5001, "所在区域代码"),
        (10000, "从业人数"),
    ]
    assert result.errors[1].message == "区域代码“369999”不存在"
    assert result.imported == 0
    assert Enterprise.objects.count() == before


def test_valid_rows_only_imports_the_good_rows_and_audits_them(world):
    rows = [good_row(n, world.t1.code) for n in range(1, 6)]
    rows[2]["industry"] = "spaceships"
    rows[4]["uscc"] = rows[0]["uscc"]  # duplicate inside the file
    result = excel.import_workbook(workbook(rows), actor=world.users["county_office"], mode="valid_only")
    assert result.bad_rows == [4, 6]
    assert "与第2行的统一社会信用代码重复" in [e.message for e in result.errors]
    assert result.imported == 3
    imported = Enterprise.objects.filter(name__startswith="测试企业")
    assert imported.count() == 3
    assert {e.supervising_department.name for e in imported} == {"应急管理局"}
    assert audit.verify().ok


def test_import_refuses_rows_outside_the_users_area(world):
    rows = [good_row(1, world.t2.code)]
    result = excel.import_workbook(workbook(rows), actor=world.users["township_office"], mode="valid_only")
    assert result.imported == 0
    assert result.errors[0].message.endswith("不在您的管辖范围内")


def test_a_file_that_is_not_a_workbook_is_refused_clearly(world):
    result = excel.import_workbook(b"not a workbook", actor=world.users["county_office"], mode="valid_only")
    assert result.file_error.startswith("文件无法读取")


def test_unknown_and_missing_columns_are_reported(world):
    wb = Workbook()
    wb.active.append(["单位名称", "颜色"])
    buffer = io.BytesIO()
    wb.save(buffer)
    result = excel.import_workbook(buffer.getvalue(), actor=world.users["county_office"], mode="valid_only")
    assert result.file_error == "无法识别的列：颜色"


def test_export_then_import_round_trip_reports_duplicates_only(world):
    client = login(world.users["county_office"])
    exported = client.get("/enterprises/export.xlsx?industry=hazardous_chemicals").content
    sheet = load_workbook(io.BytesIO(exported)).active
    assert sheet.max_row == 3 + 2  # title, date, header and the two chemical enterprises of 濂溪区
    result = excel.import_workbook(exported, actor=world.users["county_office"], mode="all_or_nothing")
    assert result.bad_rows == [4, 5]  # the rows as numbered in the sheet
    assert {e.column for e in result.errors} == {"统一社会信用代码"}


def test_template_download_has_every_column(world):
    response = login(world.users["county_office"]).get("/enterprises/import/template.xlsx")
    header = next(load_workbook(io.BytesIO(response.content)).active.iter_rows(max_row=1, values_only=True))
    assert [h.rstrip("*") for h in header] == LABELS


def test_upload_page_shows_the_row_report(world):
    rows = [good_row(1, world.t1.code), {**good_row(2, world.t1.code), "scale": "巨大"}]
    upload = io.BytesIO(workbook(rows))
    upload.name = "企业.xlsx"
    page = login(world.users["county_office"]).post(
        "/enterprises/import/", {"file": upload, "mode": "all_or_nothing"}
    )
    html = page.content.decode()
    assert "规模“巨大”无效" in html
    assert not Enterprise.objects.filter(name__startswith="测试企业").exists()


def test_grid_worker_cannot_import(world):
    assert Client().get("/enterprises/import/").status_code == 302  # anonymous → login
    assert login(world.users["grid_worker"]).get("/enterprises/import/").status_code == 403
