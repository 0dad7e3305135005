"""The pages and the API of assessments and flags: field-level refusals, scope (another county → 404), the yearly
evaluation document, and the API over real HTTP with a token."""

from __future__ import annotations

import io
import json

import pytest
from docx import Document

from anquan.assessments.models import Assessment, Flag, ManualEntry
from anquan.core.models import AuditEntry
from tests.browserless import call, token_for
from tests.conftest import login

from .data import END, START, seed_tie, small_scheme

pytestmark = pytest.mark.django_db


def test_the_city_office_computes_publishes_and_reads_the_document_and_flags(world):
    seed_tie(world)
    scheme = small_scheme()
    city = login(world.users["city_office"])
    refused = city.post("/assessments/", {"period_start": "2025-01-01", "period_end": "2024-12-31"})
    assert refused.status_code == 422
    assert "结束日期不能早于开始日期" in refused.content.decode()
    made = city.post(
        "/assessments/",
        {"period_start": START.isoformat(), "period_end": END.isoformat(), "scheme": scheme.pk},
    )
    assessment = Assessment.objects.get()
    assert made.status_code == 302 and made["Location"] == f"/assessments/{assessment.pk}/"
    assert city.post(f"/assessments/{assessment.pk}/act/", {"action": "compute"}).status_code == 302
    page = city.get(f"/assessments/{assessment.pk}/").content.decode()
    assert "总分相同的，依次比较攻坚任务按期完成、提示函按期回复的得分" in page
    assert "未核实" in page or "Not verified" not in page
    over = city.post(
        f"/assessments/{assessment.pk}/manual/",
        {"criterion": "work", "subject": "360402", "points": "7", "reason": ""},
    )
    assert over.status_code == 422
    text = over.content.decode()
    assert "得分不能超过该项满分5分" in text and "评分理由不能为空" in text
    assert not ManualEntry.objects.exists()
    score = assessment.scores.get(region__code="360402")
    breakdown = city.get(f"/assessments/{assessment.pk}/scores/{score.pk}/").content.decode()
    assert "按期完成2/到期任务2（100.0%）" in breakdown and "暂无数据" in breakdown
    assert city.post(f"/assessments/{assessment.pk}/act/", {"action": "publish"}).status_code == 302
    assert AuditEntry.objects.filter(model="assessments.flag").count() == Flag.objects.count() > 0
    document = city.get(f"/assessments/{assessment.pk}/document/")
    body = "\n".join(p.text for p in Document(io.BytesIO(document.content)).paragraphs)
    assert "九江市2025年度安全生产工作考核结果通报" in body and "授予流动红旗：濂溪区" in body
    flags = city.get("/flags/").content.decode()
    assert "濂溪区" in flags and "2025年度" in flags


def test_another_countys_user_gets_404(world):
    seed_tie(world)
    office = world.users["city_office"]
    from anquan.assessments import services

    assessment = services.compute(
        services.create(office, {"period_start": START.isoformat(), "period_end": END.isoformat()}),
        actor=office,
    )
    county = login(world.users["county_office_b"])
    assert county.get(f"/assessments/{assessment.pk}/").status_code == 404
    score = assessment.scores.first()
    assert county.get(f"/assessments/{assessment.pk}/scores/{score.pk}/").status_code == 404
    assert county.post(f"/assessments/{assessment.pk}/act/", {"action": "publish"}).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_api_over_real_http_with_a_token(live_server, world):
    seed_tie(world)
    scheme = small_scheme()
    base = live_server.url
    token = token_for(base, "city_office")
    status, _, body = call(base, "POST", "/api/v1/assessments", {"period_start": "2025-01-01"}, token=token)
    assert status == 422 and json.loads(body)["detail"][0]["field"] == "period_end"
    status, _, body = call(
        base,
        "POST",
        "/api/v1/assessments",
        {"period_start": "2025-01-01", "period_end": "2025-12-31", "scheme": scheme.pk},
        token=token,
    )
    assert status == 201, body
    pk = json.loads(body)["id"]
    status, _, body = call(
        base, "POST", f"/api/v1/assessments/{pk}/transitions", {"action": "compute"}, token=token
    )
    assert status == 200 and json.loads(body)["status"] == "computed"
    status, _, body = call(
        base,
        "POST",
        f"/api/v1/assessments/{pk}/manual-entries",
        {"criterion": "work", "subject": "360424", "points": "9", "reason": "好"},
        token=token,
    )
    assert status == 422 and json.loads(body)["detail"] == [
        {"field": "points", "code": "above_maximum", "message": "得分不能超过该项满分5分"}
    ]
    status, _, body = call(base, "GET", f"/api/v1/assessments/{pk}/scores", token=token)
    scores = json.loads(body)["items"]
    assert [(s["region"], s["rank"]) for s in scores[:2]] == [("360402", 1), ("360424", 2)]
    for s in scores:
        assert sum(float(i["points"]) for i in s["breakdown"]) == pytest.approx(float(s["total"]))
    status, _, _ = call(
        base, "POST", f"/api/v1/assessments/{pk}/transitions", {"action": "publish"}, token=token
    )
    assert status == 200
    status, _, body = call(base, "GET", "/api/v1/flags?current=true&colour=red", token=token)
    assert [f["holder_name"] for f in json.loads(body)["items"]] == ["濂溪区"]
    status, _, body = call(
        base,
        "POST",
        "/api/v1/flags",
        {"colour": "yellow", "region": "360424", "period_start": "2025-01-01", "period_end": "2025-12-31"},
        token=token,
    )
    assert status == 422 and json.loads(body)["detail"][0]["field"] == "reason"
    other = token_for(base, "county_office_b")
    assert call(base, "GET", f"/api/v1/assessments/{pk}", token=other)[0] == 404
    assert call(base, "GET", f"/api/v1/assessments/{pk}/scores", token=other)[0] == 404
    assert (
        json.loads(call(base, "GET", "/api/v1/flags", token=other)[2])["items"] == []
    )  # 濂溪's flag is not 修水's
