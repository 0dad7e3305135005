"""Dispatch pages: a unit's to-do item opens its report card, errors under the fields in Chinese, another county 404;
the office's sheet with its filters, Excel and 催报 (which the unit then sees in its to-do list); opening a dispatch."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from anquan.campaigns.models import Dispatch, Reminder, TaskReport
from anquan.core.models import AuditEntry
from anquan.core.todo import items_for

from ..conftest import login
from ..live.conftest import PNG
from .test_dispatch import opened, plan

pytestmark = pytest.mark.django_db


def test_a_unit_reports_from_its_todo_and_the_office_reminds_the_missing(world):
    p = plan(world)
    dispatch = opened(world, p)
    county = world.users["county_office"]
    todo = [i for i in items_for(county) if i.kind == "campaigns.dispatch_report"]
    due = dispatch.due_on
    assert [i.label for i in todo] == [f"调度填报：{p.lianxi.title} 截止{due:%m月%d日}"]
    page = login(county)
    form = page.get(todo[0].url)
    assert form.status_code == 200 and "本任务已完成" in form.content.decode()

    bad = page.post(todo[0].url + "send/", {"text": "", f"actual_{p.target.pk}": "很多"})
    assert bad.status_code == 422
    html = bad.content.decode()
    assert 'data-testid="error-text">进展情况不能为空' in html
    assert (
        f'data-testid="error-actual-{p.target.pk}">培训人次应为数字' in html
        and not TaskReport.objects.exists()
    )

    photo = SimpleUploadedFile("现场照片.png", PNG, content_type="image/png")
    sent = page.post(
        todo[0].url + "send/",
        {"text": "已排查45家", f"actual_{p.target.pk}": "900", "files": photo, "done": "on"},
    )
    assert sent.status_code == 302 and TaskReport.objects.get().attachments.get().name == "现场照片.png"
    assert not [i for i in items_for(county) if i.kind == "campaigns.dispatch_report"]
    assert login(world.users["county_office_b"]).get(todo[0].url).status_code == 404

    office = login(world.users["city_office"])
    sheet = office.get(f"/dispatches/{dispatch.pk}/?state=missing").content.decode()
    assert "修水县人民政府" in sheet and "已排查45家" not in sheet
    assert "现场照片.png" in office.get(f"/dispatches/{dispatch.pk}/?state=on_time").content.decode()
    book = load_workbook(io.BytesIO(office.get(f"/dispatches/{dispatch.pk}/export.xlsx").content))
    rows = [[c for c in r] for r in book.active.iter_rows(values_only=True)]
    assert ["1", p.lianxi.title, "濂溪区人民政府", "按时报送"] == list(
        rows[2][:4]
    ) and "培训人次900人次" in rows[2]

    empty = office.post(f"/dispatches/{dispatch.pk}/remind/", {"message": "请报送"})
    assert empty.status_code == 422 and "请选择要催报的任务" in empty.content.decode()
    office.post(f"/dispatches/{dispatch.pk}/remind/", {"tasks": [p.xiushui.pk], "message": "请今天报送"})
    reminder = Reminder.objects.get()
    assert AuditEntry.objects.filter(model="campaigns.reminder", object_id=str(reminder.pk)).count() == 1
    assert (
        "催报：" + p.xiushui.title + "（请今天报送）" in office.get("/audit/").content.decode()
    )  # in the audit log
    labels = [i.label for i in items_for(world.users["county_office_b"])]
    assert f"调度填报：{p.xiushui.title} 截止{due:%m月%d日}（已催报）" in labels
    assert (
        "请今天报送"
        in login(world.users["county_office_b"])
        .get(f"/dispatches/{dispatch.pk}/tasks/{p.xiushui.pk}/report/")
        .content.decode()
    )


def test_the_office_sees_dispatches_missing_reports_after_due_and_opens_one(world):
    p = plan(world)
    dispatch = opened(world, p, due_in=-1)
    office = world.users["city_office"]
    missing = [i for i in items_for(office) if i.kind == "campaigns.dispatch_missing"]
    assert [(i.label, i.count) for i in missing] == [
        (f"调度缺报：{p.campaign.name}{dispatch.title}（5项未报送）", 5)
    ]
    page = login(office)
    bad = page.post(f"/campaigns/{p.campaign.pk}/dispatches/open/", {"period": "", "opens_on": "2026-13-01"})
    assert bad.status_code == 422 and "请选择调度月份" in bad.content.decode()
    assert "报送截止日期" in bad.content.decode()
    month = (timezone.localdate().replace(day=1) + dt.timedelta(days=40)).strftime("%Y-%m")
    made = page.post(
        f"/campaigns/{p.campaign.pk}/dispatches/open/",
        {"period": month, "opens_on": f"{month}-01", "due_on": f"{month}-05"},
    )
    assert made.status_code == 302 and Dispatch.objects.count() == 2
    assert (
        login(world.users["county_office"]).get(f"/campaigns/{p.campaign.pk}/dispatches/").status_code == 404
    )
