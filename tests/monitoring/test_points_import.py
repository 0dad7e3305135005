"""Bulk registration of monitoring points from Excel: the template, a check that previews and writes nothing, row-level
Chinese errors (thresholds out of order, a device id twice, an unknown installation) that stop the whole import, and a
good file registered entirely, audited."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from anquan.core.models import AuditEntry
from anquan.monitoring import points_excel
from anquan.monitoring.models import MonitoringPoint

from ..conftest import login

pytestmark = pytest.mark.django_db

HEADER = [
    "设备编号*",
    "监测点名称*",
    "监测类型*",
    "低低报阈值",
    "低报阈值",
    "高报阈值",
    "高高报阈值",
    "采集周期（秒）",
    "职业接触限值（OEL）",
    "重大危险源名称",
]


def workbook(rows, header=HEADER) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


GOOD = [
    ["GT-201", "罐区可燃气体1", "可燃气体", None, None, None, None, 10, None, None],
    ["NH3-201", "氨气探测1", "有毒气体", None, None, None, None, 5, 20, None],
    ["PT-201", "出口压力", "压力", None, 0.1, 1.6, 2.0, 1, None, None],
]


def upload(client, data: bytes, mode: str):
    return client.post(
        "/monitoring/points/import/", {"file": io.BytesIO(data), "mode": mode}, format="multipart"
    )


def test_the_template_has_the_columns_and_the_kind_list(world):
    response = login(world.users["enterprise_manager"]).get("/monitoring/points/import/template/")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    titles = [c.value for c in ws[1]]
    assert "设备编号*" in titles and "监测类型*" in titles and "职业接触限值（OEL）" in titles
    assert "可燃气体" in ws.data_validations.dataValidation[0].formula1


def test_check_previews_and_import_registers_everything(world):
    client = login(world.users["enterprise_manager"])
    data = workbook(GOOD)
    checked = upload(client, data, "check")
    page = checked.content.decode()
    assert checked.status_code == 200 and "检查通过" in page and "NH3-201" in page
    assert not MonitoringPoint.objects.exists()
    done = upload(client, data, "import")
    assert done.status_code == 200 and "已导入3个监测点" in done.content.decode()
    by_id = {p.device_id: p for p in MonitoringPoint.objects.all()}
    assert (by_id["GT-201"].high, by_id["GT-201"].high_high) == (25, 50)
    assert (by_id["NH3-201"].high, by_id["NH3-201"].high_high) == (20, 40)
    assert (by_id["PT-201"].low, by_id["PT-201"].high, by_id["PT-201"].expected_interval_s) == (0.1, 1.6, 1)
    assert all(
        p.enterprise == world.chem_t1 and p.region_code == world.chem_t1.region_code for p in by_id.values()
    )
    assert AuditEntry.objects.filter(model="monitoring.monitoringpoint", action="import").count() == 3


def test_one_bad_row_and_nothing_is_registered(world):
    rows = [
        *GOOD,
        ["GT-202", "探测器", "可燃气体", None, None, 60, 50, 10, None, None],  # row 5: order
        ["GT-201", "重复", "可燃气体", None, None, None, None, 10, None, None],  # row 6: twice in the file
        ["NH3-9", "氨", "有毒气体", None, None, None, None, 10, None, None],  # row 7: no OEL
        [
            "X-1",
            "储罐",
            "辐射",
            None,
            None,
            None,
            None,
            0,
            None,
            "不存在的罐区",
        ],  # row 8: kind, interval, installation
    ]
    client = login(world.users["enterprise_manager"])
    response = upload(client, workbook(rows), "import")
    assert response.status_code == 422
    page = response.content.decode()
    assert "未导入任何数据" in page
    result = points_excel.import_workbook(
        workbook(rows), actor=world.users["enterprise_manager"], dry_run=False
    )
    errors = {(e.row, e.column): e.message for e in result.errors}
    assert errors[(5, "高高报阈值")] == "高高报阈值应不小于高报阈值（60）"
    assert "在文件中重复" in errors[(6, "设备编号")]
    assert "职业接触限值" in errors[(7, "职业接触限值（OEL）")]
    assert "监测类型应为" in errors[(8, "监测类型")] and "1到86400" in errors[(8, "采集周期（秒）")]
    assert "不存在的罐区" in errors[(8, "重大危险源名称")]
    assert result.bad_rows == [5, 6, 7, 8] and result.imported == 0
    assert not MonitoringPoint.objects.exists()


def test_an_office_names_the_enterprise_and_may_not_reach_another_county(world):
    header = ["企业统一社会信用代码", *HEADER]
    rows = [
        [world.chem_t1.uscc, *GOOD[0]],
        [world.chem_xiushui.uscc, "GT-301", "修水", "可燃气体", None, None, None, None, 10, None, None],
    ]
    result = points_excel.import_workbook(
        workbook(rows, header), actor=world.users["county_office"], dry_run=False
    )
    assert [(e.row, e.column) for e in result.errors] == [(3, "企业统一社会信用代码")]
    assert not MonitoringPoint.objects.exists()
    result = points_excel.import_workbook(
        workbook(rows[:1], header), actor=world.users["county_office"], dry_run=False
    )
    assert result.imported == 1


def test_files_that_are_not_the_template(world):
    client = login(world.users["enterprise_manager"])
    assert "无法识别的列" in upload(client, workbook([["a"]], ["颜色"]), "check").content.decode()
    assert "缺少必填列" in upload(client, workbook([["GT-1"]], ["设备编号"]), "check").content.decode()
    assert "文件无法读取" in upload(client, b"not a workbook", "check").content.decode()
    assert login(world.users["grid_worker"]).get("/monitoring/points/import/").status_code == 404
