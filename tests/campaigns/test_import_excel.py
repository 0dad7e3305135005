"""Task lists in Excel: an office's own workbook read, the export read back to the same lines, bad files refused."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from anquan.campaigns.choices import UnitKind, UnitRole
from anquan.campaigns.importing import excel, services
from anquan.campaigns.importing.parse import parse_text
from anquan.core.errors import ValidationFailed

from .import_fixtures import gaoan_fixture, seed_text  # noqa: F401

pytestmark = pytest.mark.django_db


def _workbook(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_an_offices_workbook_is_read_with_roles_and_deadlines(gaoan):
    campaign, office = gaoan
    data = _workbook(
        [
            ["序号", "任务名称", "任务内容", "牵头单位", "责任单位", "完成时限"],
            [
                1,
                "开展燃气安全专项整治",
                "全面排查餐饮场所燃气隐患",
                "市城管局",
                "各乡镇(街道)、市消防救援队",
                "2024年12月底",
            ],
            [
                2,
                "危化品企业专项检查",
                "",
                "市安委组织，市应急管理局会同",
                "市直有关部门分工负责",
                dt.datetime(2024, 6, 30),
            ],
            [3, "安全生产月", "", "", "", "六月份"],
        ]
    )
    rows = services.preview_workbook(campaign, data, "清单.xlsx", actor=office).rows
    assert [(r["number"], r["title"], r["deadline"], r["deadline_text"]) for r in rows] == [
        ("1", "开展燃气安全专项整治", "2024-12-31", ""),
        ("2", "危化品企业专项检查", "2024-06-30", ""),
        ("3", "安全生产月", None, "六月份"),  # kept as written, never guessed
    ]
    assert [(u["role"], u["text"], u["kind"], u["flagged"]) for u in rows[0]["units"]] == [
        (UnitRole.LEAD, "市城管局", UnitKind.DEPARTMENT, False),
        (UnitRole.RESPONSIBLE, "各乡镇(街道)", UnitKind.CHILD_REGIONS, False),
        (UnitRole.RESPONSIBLE, "市消防救援队", UnitKind.UNRECOGNISED, True),
    ]
    assert [(u["role"], u["text"]) for u in rows[1]["units"]] == [
        (UnitRole.ORGANISE, "市安委"),
        (UnitRole.JOINTLY, "市应急管理局"),
        (UnitRole.SHARE, "市直有关部门"),
    ]


def test_the_export_reads_back_to_the_same_lines(gaoan):
    campaign, office = gaoan
    services.apply(services.preview_text(campaign, seed_text(), actor=office), actor=office)
    response = excel.export_response(campaign)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    back = excel.read_workbook(response.content)
    source = parse_text(seed_text()).items
    assert len(back) == 34

    def shape(item):
        return (
            item.number,
            item.battle_number,
            item.battle,
            item.title,
            item.content,
            [(u.role, u.text) for u in item.units],
        )

    assert [shape(i) for i in back] == [shape(i) for i in source]


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("清单.txt", b"1.task", "file_type"),
        ("清单.xlsx", b"not a workbook", "file_type"),
        ("清单.xlsx", _workbook([["编号", "名称"], [1, "x"]]), "unreadable"),  # unknown columns
        ("清单.xlsx", _workbook([["序号", "任务内容"], [1, "x"]]), "unreadable"),  # no 任务名称
        ("清单.xlsx", _workbook([["序号", "任务名称"]]), "no_items"),
        ("清单.xlsx", b"PK" + b"0" * (5 * 1024 * 1024), "too_large"),
    ],
    ids=["txt", "not-xlsx", "unknown-columns", "no-title-column", "no-rows", "too-large"],
)
def test_bad_files_are_refused_on_the_file_field(gaoan, name, data, code):
    campaign, office = gaoan
    with pytest.raises(ValidationFailed) as refused:
        services.preview_workbook(campaign, data, name, actor=office)
    assert [(e.field, e.code) for e in refused.value.errors] == [("file", code)]
    assert all(not e.message.isascii() for e in refused.value.errors)
