"""The dispatch API over real HTTP with bearer tokens: the city office opens a dispatch, a county reports with an
attachment (multipart), the same report again changes nothing, bad input is refused field by field in Chinese,
another county meets 404, the office reads the sheet, reminds the missing unit and closes the dispatch."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from anquan.campaigns.models import Reminder, TaskReport
from anquan.core.models import AuditEntry

from ..live.conftest import PNG, Api, issue_token
from .test_dispatch import plan


@pytest.mark.django_db(transaction=True)
def test_a_dispatch_over_http(live_server, world):
    p = plan(world)
    city = Api(live_server.url, issue_token(live_server.url, "city_office"))
    county = Api(live_server.url, issue_token(live_server.url, "county_office"))
    other = Api(live_server.url, issue_token(live_server.url, "county_office_b"))
    today = timezone.localdate()

    opened = city.post(
        "/api/v1/dispatches",
        {
            "campaign": p.campaign.pk,
            "period": today.isoformat(),
            "opens_on": (today - dt.timedelta(days=3)).isoformat(),
            "due_on": (today + dt.timedelta(days=3)).isoformat(),
        },
    )
    assert opened.status == 201, opened.excerpt()
    dispatch = opened.json()
    assert dispatch["title"] == f"{today.year}年{today.month}月调度" and dispatch["status_label"] == "填报中"
    again = city.post(
        "/api/v1/dispatches",
        {
            "campaign": p.campaign.pk,
            "period": today.isoformat(),
            "opens_on": today.isoformat(),
            "due_on": today.isoformat(),
        },
    )
    assert again.status == 409 and again.json()["detail"][0]["message"].endswith("月已有调度")

    url = f"/api/v1/campaign-tasks/{p.lianxi.pk}/reports"
    form = {
        "dispatch": dispatch["id"],
        "text": "已排查企业45家，整改隐患12项",
        "actuals": json.dumps({str(p.target.pk): 800}),
        "files": ("排查记录.png", PNG, "image/png"),
    }
    sent = county.call("POST", url, form=form)
    assert sent.status == 201, sent.excerpt()
    body = sent.json()
    assert body["late"] is False and body["actuals"] == {str(p.target.pk): "800"}
    assert [a["name"] for a in body["attachments"]] == ["排查记录.png"]
    resent = county.call("POST", url, form=form)  # the phone sent it twice
    assert resent.status == 200 and resent.json()["id"] == body["id"]
    assert TaskReport.objects.count() == 1 and body["attachments"] == resent.json()["attachments"]

    bad = county.call(
        "POST",
        f"/api/v1/campaign-tasks/{p.lianxi.pk}/reports",
        form={
            "dispatch": dispatch["id"],
            "text": " ",
            "actuals": json.dumps({str(p.target.pk): "八百"}),
            "files": ("病毒.exe", b"MZ", "application/octet-stream"),
        },
    )
    assert bad.status == 422
    assert {(e["field"], e["message"]) for e in bad.json()["detail"]} == {
        ("text", "进展情况不能为空"),
        (f"actual_{p.target.pk}", "培训人次应为数字"),
        ("file", "只能上传照片（JPG、PNG、WebP、HEIC）或PDF、Word、Excel文件"),
    }
    assert other.call("POST", url, form={"dispatch": dispatch["id"], "text": "越权"}).status == 404
    assert other.get(url).status == 404
    assert other.get(f"/api/v1/dispatches/{dispatch['id']}/sheet").status == 404

    rows = city.get(f"/api/v1/dispatches/{dispatch['id']}/sheet").json()
    mine = next(r for r in rows if r["task"] == p.lianxi.pk)
    assert mine["state_label"] == "按时报送" and mine["report"]["attachments"][0]["name"] == "排查记录.png"
    missing = [
        r["task"] for r in city.get(f"/api/v1/dispatches/{dispatch['id']}/sheet", state="missing").json()
    ]
    assert set(missing) == {p.xiushui.pk, p.xunyang.pk, p.emergency.pk, p.housing.pk}

    reminded = city.post(
        f"/api/v1/dispatches/{dispatch['id']}/reminders", {"tasks": [p.xiushui.pk], "message": "请今天报送"}
    )
    assert reminded.status == 201 and reminded.json()[0]["message"] == "请今天报送"
    assert AuditEntry.objects.filter(
        model="campaigns.reminder", object_id=str(Reminder.objects.get().pk)
    ).exists()
    refused = city.post(f"/api/v1/dispatches/{dispatch['id']}/reminders", {"tasks": [p.lianxi.pk]})
    assert refused.status == 422 and refused.json()["detail"][0]["field"] == "tasks"

    assert county.post(f"/api/v1/dispatches/{dispatch['id']}/transitions", {"action": "close"}).status == 404
    closed = city.post(f"/api/v1/dispatches/{dispatch['id']}/transitions", {"action": "close"})
    assert closed.status == 200 and closed.json()["counts"] == {"on_time": 1, "late": 0, "missing": 4}
    late = county.call("POST", url, form={"dispatch": dispatch["id"], "text": "补报"})
    assert late.status == 409 and late.json()["detail"][0]["message"] == "本次调度已结束，不能再填报"
