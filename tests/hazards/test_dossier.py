"""The dossier says who acts next (issue #12 item 4): business numbers per county and year, the step bar with
its owner and countdown, 催办, the acceptance opinion and photos, before/after photos, and 一患一档 as .docx."""

import datetime as dt
import importlib
import io

import pytest
from django.apps import apps
from django.utils import timezone
from docx import Document

from anquan.core.errors import NotPermitted, ValidationFailed
from anquan.core.models import AuditEntry, Notification
from anquan.hazards import actions, dossier
from anquan.hazards import services as reporting
from anquan.hazards.models import Hazard, HazardNumberCounter
from anquan.regions import names

from ..conftest import login
from .conftest import NOW, evidence, inspected, photo

pytestmark = pytest.mark.django_db


def _report(world, user="inspector", now=NOW, **raw):
    raw = {"enterprise": world.chem_t1.uscc, "source": "inspection", "description": "消防通道堵塞"} | raw
    return reporting.report_hazard(raw, actor=world.users[user], now=now)


def test_short_names_of_counties():
    assert [names.short_name(n) for n in ("濂溪区", "修水县", "共青城市", "城区", "彭泽县")] == [
        "濂溪",
        "修水",
        "共青城",
        "城区",
        "彭泽",
    ]


def test_numbers_run_per_county_and_year_and_a_refused_report_leaves_no_gap(world):
    first, second = _report(world), _report(world)
    assert (first.number, second.number) == ("濂溪隐〔2026〕0001", "濂溪隐〔2026〕0002")
    # another county counts on its own
    xiushui = reporting.report_hazard(
        {"enterprise": world.chem_xiushui.uscc, "source": "inspection", "description": "x"},
        actor=world.users["county_office_b"],
        now=NOW,
    )
    assert xiushui.number == "修水隐〔2026〕0001"
    # refused after its number was taken (the housing bureau does not supervise a chemical plant): rolled back
    with pytest.raises(ValidationFailed):
        _report(world, user="housing_supervisor")
    assert _report(world).number == "濂溪隐〔2026〕0003"
    # the year is the report's in Beijing time: 16:30 UTC on 31 December is already 2027 there
    new_year = timezone.make_aware(dt.datetime(2026, 12, 31, 16, 30), dt.UTC)
    assert _report(world, now=new_year).number == "濂溪隐〔2027〕0001"
    assert _report(world).number == "濂溪隐〔2026〕0004"


def test_existing_hazards_are_numbered_in_report_order_and_new_ones_continue(world):
    hazards = [_report(world, description=f"第{i}条") for i in range(3)]
    Hazard.objects.update(number=None)  # as before the migration
    HazardNumberCounter.objects.all().delete()
    migration = importlib.import_module("anquan.hazards.migrations.0009_number_existing_hazards")
    migration.number_existing(apps, None)
    year = timezone.localtime(hazards[0].created_at).year
    numbers = [Hazard.objects.get(pk=h.pk).number for h in hazards]
    assert numbers == [f"濂溪隐〔{year}〕{i:04d}" for i in (1, 2, 3)]
    assert _report(world, now=timezone.now()).number == f"濂溪隐〔{year}〕0004"


def test_the_number_is_in_the_api_and_searchable(world, api_token):
    from django.test import Client

    _report(world, description="第一条")
    wanted = _report(world, description="第二条")
    headers = api_token("county_office")
    found = Client().get("/api/v1/hazards", {"q": "〔2026〕0002"}, **headers).json()
    assert [(h["id"], h["number"]) for h in found["items"]] == [(wanted.pk, "濂溪隐〔2026〕0002")]
    page = login(world.users["county_office"]).get("/hazards/", {"q": "0002"})
    assert "濂溪隐〔2026〕0002" in page.content.decode()


def test_countdown_words():
    today = dt.date(2026, 12, 1)
    assert dossier.countdown(dt.date(2026, 12, 4), today) == ("剩余 3 天", False)
    assert dossier.countdown(today, today) == ("今天到期", False)
    assert dossier.countdown(dt.date(2026, 11, 26), today) == ("超期 5 天", True)
    assert dossier.countdown(None, today) == ("", False)


def test_step_bar_names_who_acts_and_how_late(world):
    hazard = inspected(world, deadline="2026-11-30")
    bar = dossier.step_bar(hazard, today=dt.date(2026, 12, 3))
    assert [(s.label, s.state) for s in bar.steps] == [
        ("上报", "done"),
        ("受理", "done"),
        ("整改", "current"),
        ("验收", "todo"),
        ("销号", "todo"),
    ]
    assert (bar.waiting, bar.owner, bar.countdown, bar.late) == ("整改中", "甲", "超期 3 天", True)
    grid = reporting.report_hazard(
        {"region": world.t1.code, "address": "菜市场", "description": "电线私拉乱接"},
        actor=world.users["grid_worker"],
        now=NOW,
    )
    bar = dossier.step_bar(grid)
    assert (bar.waiting, bar.owner) == ("待受理", f"{world.t1.name}安委办")
    assert [s.state for s in bar.steps][:2] == ["done", "current"]


def test_urge_notifies_the_rectifying_side_and_the_township_counts_and_audits(world):
    hazard = inspected(world, deadline="2026-11-30")
    county = world.users["county_office"]
    assert "urge" in actions.available_actions(hazard, county)
    # the enterprise rectifies and the inspector could grant an extension: neither urges
    assert "urge" not in actions.available_actions(hazard, world.users["enterprise_manager"])
    with pytest.raises(NotPermitted):
        actions.transition(hazard, "urge", actor=world.users["enterprise_manager"])
    urged = actions.transition(hazard, "urge", actor=county, comment="请于本周内完成")
    urged = actions.transition(urged, "urge", actor=county)
    assert (urged.urge_count, urged.status) == (2, "rectifying")
    assert urged.events.filter(action="urge").count() == 2
    assert (
        AuditEntry.objects.filter(
            model="hazards.hazard", object_id=str(hazard.pk), comment__startswith="催办"
        ).count()
        == 2
    )
    told = Notification.objects.filter(title__startswith=f"催办：隐患{hazard.number}")
    assert {n.user.username for n in told} == {"enterprise_manager", "township_office"}
    assert told.filter(body="请于本周内完成").count() == 2
    # done once the urged step is done: the enterprise submits its rectification
    manager = world.users["enterprise_manager"]
    actions.transition(
        urged, "submit", actor=manager, evidence="已完成", attachments=evidence(urged, manager)
    )
    assert not told.filter(done_at__isnull=True).exists()


def test_dossier_page_urge_acceptance_with_opinion_and_photos(world):
    hazard = inspected(world, deadline="2026-11-30")
    reporting.add_attachment(hazard, photo("发现.png"), stage="report", actor=world.users["inspector"])
    county = login(world.users["county_office"])
    page = county.get(f"/hazards/{hazard.pk}/").content.decode()
    assert hazard.number in page and 'data-testid="form-urge"' in page and "整改中" in page
    assert county.post(f"/hazards/{hazard.pk}/act/", {"action": "urge"}).status_code == 302
    page = county.get(f"/hazards/{hazard.pk}/").content.decode()
    assert "已催办 1 次" in page

    manager = login(world.users["enterprise_manager"])
    answer = manager.post(
        f"/hazards/{hazard.pk}/act/",
        {"action": "submit", "evidence": "已清理通道", "files": [photo("整改.png")]},
    )
    assert answer.status_code == 302
    inspector = login(world.users["inspector"])
    answer = inspector.post(
        f"/hazards/{hazard.pk}/act/",
        {"action": "accept_rectification", "opinion": "通道已畅通，同意销号", "files": [photo("复查.png")]},
    )
    assert answer.status_code == 302
    hazard.refresh_from_db()
    assert (hazard.status, hazard.acceptance_opinion) == ("closed", "通道已畅通，同意销号")
    assert sorted(hazard.attachments.values_list("stage", flat=True)) == ["acceptance", "evidence", "report"]
    page = inspector.get(f"/hazards/{hazard.pk}/").content.decode()
    for text in ("整改前", "整改后", "验收照片", "通道已畅通，同意销号", "已销号"):
        assert text in page, text


def test_dossier_docx_has_the_filled_values_and_signature_blocks_only(world):
    hazard = inspected(world, deadline="2026-11-30", description="危化品仓库通风不良")
    answer = login(world.users["county_office"]).get(f"/hazards/{hazard.pk}/dossier.docx")
    assert answer.status_code == 200
    assert "filename*=utf-8''%E4%B8%80%E6%82%A3" in answer["Content-Disposition"]
    document = Document(io.BytesIO(b"".join(answer.streaming_content)))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text.strip() for t in document.tables for row in t.rows for c in row.cells]
    assert f"编号：{hazard.number}" in text and "危化品仓库通风不良" in cells
    assert {"整改责任人（签字）", "验收人（签字）", "整改责任单位（盖章）"} <= set(cells)
    # nothing left blank: no funds, no evidence yet, so no such rows
    assert "整改资金" not in cells and "验收意见" not in cells and "" not in cells
    # out of scope: 404
    assert login(world.users["county_office_b"]).get(f"/hazards/{hazard.pk}/dossier.docx").status_code == 404
