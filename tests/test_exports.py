"""Exports come out ready to file (issue #12 item 6): a title row naming the region and the list, "截至" and
the time below it, Chinese labels (never codes), column widths, the header frozen, an autofilter, A4
landscape printing, and a Chinese file name (RFC 6266 ``filename*``)."""

import io
import re
from urllib.parse import unquote

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook

from anquan.core.xlsx import export_filename
from anquan.hazards import excel as hazard_excel
from anquan.hazards import services as reporting
from anquan.hazards.choices import Level, Source, Status
from anquan.jobs.models import Job, result_path

from .browserless import Session
from .conftest import PASSWORD, login

pytestmark = pytest.mark.django_db

AS_OF = re.compile(r"截至\d{4}年\d{2}月\d{2}日 \d{2}:\d{2}")


def filename_of(disposition: str) -> str:
    """The file name a browser saves: RFC 6266 ``filename*=utf-8''…``, percent-decoded."""
    match = re.search(r"filename\*=utf-8''([^;]+)", disposition, re.IGNORECASE)
    assert match, disposition
    return unquote(match.group(1))


def sheet_of(content: bytes, title: str | None = None):
    wb = load_workbook(io.BytesIO(content))
    return wb[title] if title else wb.worksheets[0]


@pytest.mark.django_db(transaction=True)
def test_the_downloaded_ledger_is_ready_to_file(live_server, world):
    """The county office downloads its ledger over HTTP: opened with openpyxl it has the title, the date,
    Chinese labels and values, widths, a frozen header, a filter and A4 landscape printing."""
    major = reporting.report_hazard(
        {"enterprise": world.chem_t1.uscc, "source": "inspection", "description": "罐区无紧急切断阀"},
        actor=world.users["inspector"],
    )
    reporting.report_hazard({"description": "配电箱未接地"}, actor=world.users["enterprise_manager"])
    browser = Session(live_server.url)
    browser.login(world.users["county_office"].username, PASSWORD)
    status, headers, body = browser.request("GET", "/hazards/export.xlsx")
    assert status == 200
    today = timezone.localdate().strftime("%Y%m%d")
    assert filename_of(headers["Content-Disposition"]) == f"濂溪区隐患排查治理台账_{today}.xlsx"

    ws = sheet_of(body)
    assert ws.title == "隐患排查治理台账"
    assert ws["A1"].value == "濂溪区隐患排查治理台账" and ws["A1"].font.b
    assert AS_OF.fullmatch(ws["A2"].value)
    header = [c.value for c in ws[3]]
    assert header == [c.label for c in hazard_excel.LEDGER_COLUMNS]
    assert {"单位或场所", "隐患描述", "等级", "状态", "是否超期"} <= set(header)
    assert all(ws.cell(3, i).font.b for i in range(1, len(header) + 1))
    last = chr(ord("A") + len(header) - 1)
    assert ws.merged_cells.ranges and f"A1:{last}1" in {str(r) for r in ws.merged_cells.ranges}
    rows = {r[5]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=4, values_only=True)}
    assert set(rows) == {"罐区无紧急切断阀", "配电箱未接地"}
    row = rows[major.description]
    with translation.override("zh-hans"):
        labels = (str(Level.GENERAL.label), str(Source.INSPECTION.label), str(Status(major.status).label))
    assert all(re.fullmatch(r"[\u4e00-\u9fff（）]+", label) for label in labels)  # Chinese, not codes
    assert (row["单位或场所"], row["等级"], row["来源"], row["状态"]) == (world.chem_t1.name, *labels)
    assert row["是否超期"] == "否"
    assert row["隐患编号"] == major.number and re.fullmatch(
        r"濂溪隐〔\d{4}〕\d{4}", major.number
    )  # the business number
    # widths: the description is the widest column, the serial number the narrowest, none left at default
    widths = {h: ws.column_dimensions[chr(ord("A") + i)].width for i, h in enumerate(header)}
    assert widths["隐患描述"] >= 30 and widths["序号"] <= 8 and all(w >= 6 for w in widths.values())
    assert ws.freeze_panes == "A4"  # title, date and header stay in view
    assert ws.auto_filter.ref == f"A3:{last}5"
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"  # A4
    assert ws.print_title_rows == "$3:$3"


def test_no_code_reaches_an_export(world):
    """The enterprise list shows the industry as users name it, not its code; it still imports back."""
    response = login(world.users["county_office"]).get(
        "/enterprises/export.xlsx?industry=hazardous_chemicals"
    )
    assert response.status_code == 200
    assert filename_of(response["Content-Disposition"]).startswith("濂溪区企业名录_")
    ws = sheet_of(response.content)
    assert ws["A1"].value == "濂溪区企业名录" and AS_OF.fullmatch(ws["A2"].value)
    values = [v for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    assert not [v for v in values if re.fullmatch(r"[a-z_]+", v)], "a code in the export"
    header = [c.value for c in ws[3]]
    industries = {r[header.index("行业类别")] for r in ws.iter_rows(min_row=4, values_only=True)}
    assert industries == {"危险化学品"}
    assert ws.freeze_panes == "A4" and ws.auto_filter.ref.startswith("A3:")


def test_titles_name_the_filtered_region_or_the_department(world):
    county = login(world.users["county_office"])
    ws = sheet_of(county.get(f"/hazards/export.xlsx?region={world.t1.code}").content)
    assert ws["A1"].value == f"{world.t1.name}隐患排查治理台账"
    # a region outside the scope does not name the title (the list is empty anyway)
    ws = sheet_of(county.get(f"/hazards/export.xlsx?region={world.chem_xiushui.region.code}").content)
    assert ws["A1"].value == "濂溪区隐患排查治理台账"
    department = world.users["emergency_supervisor"]
    ws = sheet_of(login(department).get("/hazards/export.xlsx").content)
    assert ws["A1"].value == f"濂溪区{department.department.name}隐患排查治理台账"
    enterprise = world.users["enterprise_manager"]
    response = login(enterprise).get("/hazards/export.xlsx")
    assert sheet_of(response.content)["A1"].value == f"{world.chem_t1.name}隐患排查治理台账"
    assert filename_of(response["Content-Disposition"]).startswith(f"{world.chem_t1.name}隐患排查治理台账_")


def test_the_api_export_has_the_same_title(world, api_token):
    from django.test import Client

    response = Client().get("/api/v1/hazards/export", **api_token("county_office"))
    assert response.status_code == 200
    assert sheet_of(response.content)["A1"].value == "濂溪区隐患排查治理台账"
    assert filename_of(response["Content-Disposition"]).startswith("濂溪区隐患排查治理台账_")


def test_other_exports_have_titles_and_chinese_names(world):
    county = login(world.users["county_office"])
    response = county.get("/risk/map/export.xlsx")
    assert response.status_code == 200
    assert filename_of(response["Content-Disposition"]).startswith("濂溪区区域安全风险四色图统计表_")
    ws = sheet_of(response.content, "区域风险四色图")
    assert ws["A1"].value == "濂溪区区域安全风险四色图统计表" and AS_OF.fullmatch(ws["A2"].value)
    assert ws.freeze_panes == "A4"
    response = county.get("/risk/reports/coverage/export.xlsx")
    assert response.status_code == 200
    assert "未报告名单" in filename_of(response["Content-Disposition"])
    ws = sheet_of(response.content, "分地区覆盖率")
    assert ws["A1"].value.endswith("安全风险报告分地区覆盖率") and ws[3][0].value == "区域"
    for path, name in (
        ("/enterprises/import/template.xlsx", "企业名录导入模板.xlsx"),
        ("/hazards/import/template.xlsx", "隐患自查台账导入模板.xlsx"),
    ):
        assert filename_of(county.get(path)["Content-Disposition"]) == name


def test_file_names_keep_what_file_systems_accept():
    when = timezone.make_aware(timezone.datetime(2026, 12, 1, 9, 0))
    assert export_filename("濂溪区", "隐患排查治理台账", when) == "濂溪区隐患排查治理台账_20261201.xlsx"
    assert export_filename('A/B:"公司"', "企业名录", when) == "A_B_公司_企业名录_20261201.xlsx"
    assert export_filename("", "", when) == "导出_20261201.xlsx"


def test_a_background_export_is_stored_under_an_ascii_name(world):
    job = Job(pk=12, region_code="360402")
    assert result_path(job, "濂溪区企业名录_20261201.xlsx") == "jobs/360402/12.xlsx"


def workbook_of(*rows) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    for row in rows:
        wb.active.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_an_import_reads_below_an_exports_title_rows():
    from anquan.core.imports import read_sheet

    exported = workbook_of(
        ["濂溪区企业名录"], ["截至2026年12月01日 09:00"], ["单位名称", "统一社会信用代码"], ["甲", "1"]
    )
    assert read_sheet(exported) == (["单位名称", "统一社会信用代码"], [(4, ("甲", "1"))])
    one_column = workbook_of(["隐患描述"], ["电缆沟积水"], ["配电箱未接地"])  # no title: every row is data
    assert read_sheet(one_column) == (["隐患描述"], [(2, ("电缆沟积水",)), (3, ("配电箱未接地",))])
