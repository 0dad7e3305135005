"""Ledger export contains exactly the filtered rows; import reports bad rows by row and column;
statistics count what the ledger holds; the pages work for the roles that use them."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from anquan.core.models import Notification
from anquan.hazards import actions, excel, stats
from anquan.hazards import services as reporting
from anquan.hazards.models import Hazard

from ..conftest import login
from .conftest import NOW, chemical_item, evidence, photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(world):
    """Five hazards in 濂溪区 and one in 修水县, in various states."""
    inspector, manager = world.users["inspector"], world.users["enterprise_manager"]
    made = {}
    made["open_t1"] = reporting.report_hazard({"description": "电缆沟积水"}, actor=manager, now=NOW)
    made["major_t1"] = reporting.report_hazard(
        {
            "enterprise": world.chem_t1.uscc,
            "source": "inspection",
            "description": "罐区无紧急切断",
            "judgement_item": chemical_item(5).pk,
        },
        actor=inspector,
        now=NOW,
    )
    closed = reporting.report_hazard(
        {"enterprise": world.chem_t2.uscc, "source": "inspection", "description": "仓库超量储存"},
        actor=inspector,
        now=NOW,
    )
    actions.transition(
        closed,
        "assign",
        actor=inspector,
        now=NOW,
        responsible_party="仓库主管",
        deadline="2026-12-10",
        measures="清理超量物料",
        funds_yuan="3000",
    )
    from anquan.accounts.services import create_user

    from ..conftest import PASSWORD

    t2_manager = create_user(
        actor=None,
        username="t2_mgr",
        role="enterprise_manager",
        password=PASSWORD,
        enterprise_uscc=world.chem_t2.uscc,
    )
    actions.transition(
        closed,
        "submit",
        actor=t2_manager,
        now=NOW,
        evidence="已清理",
        attachments=evidence(closed, t2_manager),
    )
    made["closed_t2"] = actions.transition(
        closed, "accept_rectification", actor=world.users["emergency_supervisor"], now=NOW
    )
    made["grid_t1"] = reporting.report_hazard(
        {"region": world.t1.code, "address": "十里街道菜市场", "description": "私拉电线"},
        actor=world.users["grid_worker"],
        now=NOW,
    )
    made["xiushui"] = reporting.report_hazard(
        {"enterprise": world.chem_xiushui.uscc, "source": "inspection", "description": "修水企业隐患"},
        actor=world.users["county_office_b"],
        now=NOW,
    )
    return made


def rows(response):
    """The header and the rows, below the title and "截至" rows (tests/test_exports.py checks those)."""
    sheet = load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))[2:]


def test_export_contains_exactly_the_filtered_rows(world, ledger):
    client = login(world.users["county_office"])
    everything = rows(client.get("/hazards/export.xlsx"))
    labels = [c.label for c in excel.LEDGER_COLUMNS]
    assert list(everything[0]) == labels
    assert len(everything) == 1 + 4  # 修水县's hazard is outside 濂溪区
    majors = rows(client.get("/hazards/export.xlsx?level=major"))
    assert [r[5] for r in majors[1:]] == ["罐区无紧急切断"]
    assert majors[1][6] == "重大事故隐患" and majors[1][17] == "否"
    closed = rows(client.get("/hazards/export.xlsx?status=closed"))
    assert len(closed) == 2
    row = dict(zip(labels, closed[1], strict=True))
    assert (row["单位或场所"], row["状态"], row["是否超期"]) == ("九江精细化工有限公司", "已销号", "否")
    assert (
        row["整改措施"] == "清理超量物料"
        and row["资金（元）"] == 3000
        and row["验收人"] == "emergency_supervisor"
    )
    t1 = rows(client.get(f"/hazards/export.xlsx?region={world.t1.code}&source=grid_patrol"))
    assert [r[2] for r in t1[1:]] == ["十里街道菜市场"]


def test_api_and_page_use_the_same_filters(world, ledger, api_token):
    from django.test import Client

    api = Client().get("/api/v1/hazards?status=open&region=360402", **api_token("county_office")).json()
    page = login(world.users["county_office"]).get("/hazards/?status=open&region=360402").content.decode()
    assert api["count"] == 3
    for item in api["items"]:
        assert f'href="/hazards/{item["id"]}/"' in page
    assert f'href="/hazards/{ledger["closed_t2"].pk}/"' not in page


def test_import_reports_bad_rows_by_row_and_column(world):
    wb = Workbook()
    ws = wb.active
    ws.append(["隐患描述*", "发现时间", "判定依据", "整改措施", "责任人", "资金（元）", "期限"])
    ws.append(["消防栓被遮挡", "2026-11-20 09:00", "", "移除遮挡物", "王五", 0, "2026-12-20"])
    ws.append(["", "2026-11-20", "", "", "", "", ""])  # row 3: no description
    ws.append(["配电房漏水", "2026-11-21", "", "修补屋面", "赵六", "很多", "2026-12-20"])  # row 4: bad funds
    ws.append(["储罐无液位报警", "2026-11-21", "化工判定标准第4项", "", "", "", ""])  # major by stated basis
    buffer = io.BytesIO()
    wb.save(buffer)
    manager = world.users["enterprise_manager"]
    result = excel.import_self_check(buffer.getvalue(), actor=manager, mode="all_or_nothing")
    assert [(e.row, e.column) for e in result.errors] == [(3, "隐患描述"), (4, "资金（元）")]
    assert result.imported == 0 and not Hazard.objects.exists()
    result = excel.import_self_check(buffer.getvalue(), actor=manager, mode="valid_only")
    assert result.imported == 2 and result.bad_rows == [3, 4]
    first = Hazard.objects.get(description="消防栓被遮挡")
    assert first.status == "rectifying" and first.enterprise == world.chem_t1 and first.source == "self_check"
    assert Hazard.objects.get(description="储罐无液位报警").level == "major"


def test_statistics_by_region_and_level(world, ledger):
    data = stats.compute(world.users["county_office"], {}, "region")
    by_town = {row["key"]: row for row in data["items"]}
    t1, t2 = by_town[world.t1.code], by_town[world.t2.code]
    assert (t1["found"], t1["closed"], t1["open"], t1["major_open"]) == (3, 0, 3, 1)
    assert (t2["found"], t2["closed"], t2["rectification_rate"], t2["avg_days_to_close"]) == (
        1,
        1,
        100.0,
        0.0,
    )
    assert data["total"]["found"] == 4 and data["total"]["rectification_rate"] == 25.0
    levels = {
        row["key"]: row["found"] for row in stats.compute(world.users["city_office"], {}, "level")["items"]
    }
    assert levels == {"general": 4, "major": 1}
    months = stats.compute(world.users["city_office"], {}, "month")["items"]
    assert [m["key"] for m in months] == ["2026-11"]


def test_stats_api_validates_its_arguments(world, ledger, api_token):
    from django.test import Client

    headers = api_token("county_office")
    ok = Client().get("/api/v1/stats/hazards?region=360402&group_by=industry", **headers)
    assert ok.status_code == 200 and ok.json()["total"]["found"] == 4
    assert (ok.json()["period_label"], ok.json()["found_from"]) == ("", None)  # every found date
    # the period the figures cover, labelled as the statistics page titles it (ADR 0018)
    for query, label in (
        ("found_from=2026-01-01&found_to=2026-11-30", "2026年1-11月"),
        ("found_from=2026-01-01&found_to=2026-12-01", "截至2026年12月1日"),
        ("found_to=2026-12-01", "截至2026年12月1日"),
        ("found_from=2026-03-05", "2026年3月5日起"),
    ):
        body = Client().get(f"/api/v1/stats/hazards?region=360402&{query}", **headers).json()
        assert body["period_label"] == label, query
    assert body["found_from"] == "2026-03-05" and body["found_to"] is None
    assert Client().get("/api/v1/stats/hazards?group_by=colour", **headers).status_code == 422
    assert Client().get("/api/v1/stats/hazards?region=360424", **headers).status_code == 422


def test_cleared_view_lists_enterprises_with_open_major_hazards(world, ledger):
    page = login(world.users["city_office"]).get("/hazards/cleared/").content.decode()
    assert "江西化工测试有限公司" in page
    assert 'data-testid="cleared-total">1<' in page


def test_phone_report_form_creates_one_hazard_even_when_sent_twice(world):
    client = login(world.users["grid_worker"])
    data = {"form_key": "k-123", "region": world.t1.code, "address": "桥头", "description": "护栏缺失"}
    first = client.post("/hazards/new/", {**data, "photos": photo()})
    second = client.post("/hazards/new/", {**data, "photos": photo()})
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    hazard = Hazard.objects.get()
    assert hazard.attachments.count() == 1 and hazard.status == "reported"


def test_a_field_post_from_the_page_script_gets_its_redirect_as_a_header(world):
    """field.js posts the report itself (so that a dropped request can be queued): a done post answers 204 with
    X-Aq-Location, the resend with the same key the same; a refused one still gets the form with its errors."""
    client = login(world.users["grid_worker"])
    data = {"form_key": "k-456", "region": world.t1.code, "address": "桥头", "description": "护栏缺失"}
    first = client.post("/hazards/new/", data, headers={"X-Aq-Outbox": "1"})
    again = client.post("/hazards/new/", data, headers={"X-Aq-Outbox": "1"})
    hazard = Hazard.objects.get()
    assert first.status_code == again.status_code == 204
    assert first["X-Aq-Location"] == again["X-Aq-Location"] == f"/hazards/{hazard.pk}/"
    assert (
        f"隐患{hazard.number}已登记。" in client.get(first["X-Aq-Location"]).content.decode()
    )  # the flash waits
    refused = client.post("/hazards/new/", {"form_key": "k-457"}, headers={"X-Aq-Outbox": "1"})
    assert refused.status_code == 200 and "隐患描述不能为空" in refused.content.decode()


def test_phone_report_form_shows_errors_in_chinese(world):
    page = login(world.users["grid_worker"]).post(
        "/hazards/new/", {"form_key": "k-9", "region": world.t1.code}
    )
    html = page.content.decode()
    assert "隐患描述不能为空" in html and "不属于企业的隐患须填写具体地点" in html
    assert not Hazard.objects.exists()


def test_dossier_page_offers_the_users_actions(world, ledger):
    hazard = ledger["major_t1"]
    page = login(world.users["inspector"]).get(f"/hazards/{hazard.pk}/").content.decode()
    assert "重大事故隐患档案" in page and "安监总管三〔2017〕121号" in page
    assert 'data-testid="form-assign"' in page and 'data-testid="form-cancel"' not in page
    office = login(world.users["county_office"]).get(f"/hazards/{hazard.pk}/").content.decode()
    assert 'data-testid="form-list"' in office and 'data-testid="form-cancel"' in office


def test_acting_through_the_page(world, ledger):
    hazard = ledger["open_t1"]
    client = login(world.users["enterprise_manager"])
    client.post(
        f"/hazards/{hazard.pk}/act/",
        {"action": "assign", "responsible_party": "班组长", "deadline_working_days": "5"},
    )
    hazard.refresh_from_db()
    assert hazard.status == "rectifying" and hazard.deadline is not None
    response = client.post(
        f"/hazards/{hazard.pk}/act/", {"action": "submit", "evidence": "已排水"}, follow=True
    )
    assert "请至少上传一张整改照片或一份文件" in response.content.decode()
    client.post(f"/hazards/{hazard.pk}/act/", {"action": "submit", "evidence": "已排水", "files": photo()})
    hazard.refresh_from_db()
    assert hazard.status == "submitted" and hazard.attachments.filter(stage="evidence").count() == 1


def test_notifications_page_marks_read(world, ledger):
    manager = world.users["enterprise_manager"]
    assert Notification.objects.filter(user=manager).count() == 0
    actions.transition(
        ledger["major_t1"],
        "assign",
        actor=world.users["inspector"],
        now=NOW,
        responsible_party="甲",
        measures="m",
        funds_yuan="1",
        contingency_plan="p",
        deadline="2026-12-31",
    )
    client = login(manager)
    assert 'data-testid="unread-count">1<' in client.get("/").content.decode()
    client.post("/notifications/")
    assert not Notification.objects.filter(user=manager, read_at__isnull=True).exists()


def test_attachments_are_served_only_in_scope(world, ledger):
    attachment = ledger["closed_t2"].attachments.first()
    assert (
        login(world.users["county_office"]).get(f"/hazards/attachments/{attachment.pk}/").status_code == 200
    )
    assert (
        login(world.users["township_office"]).get(f"/hazards/attachments/{attachment.pk}/").status_code == 404
    )


def test_standards_page_and_enterprise_page_show_hazards(world, ledger):
    client = login(world.users["county_office"])
    standards = client.get("/hazards/standards/").content.decode()
    assert (
        "工贸企业重大事故隐患判定标准" in standards
        and "GB 35181-2025" in standards
        and "条文未收录" in standards
    )
    enterprise = client.get(f"/enterprises/{world.chem_t1.pk}/").content.decode()
    assert "罐区无紧急切断" in enterprise and "未销号 2 条（重大 1 条）" in enterprise
    home = client.get("/").content.decode()
    assert 'data-testid="stat-open-hazards">3<' in home
