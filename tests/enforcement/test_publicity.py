"""行政执法公示 (/public/enforcement/ and GET /api/v1/public/enforcement-decisions, no account): decided cases' penalty
decisions with number, party, facts, basis, penalty, date and unit; an individual's name never appears (张某某
instead); a case not yet decided and a voided decision are not shown."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from anquan.documents import services as documents

from ..browserless import call
from .conftest import decided, decision_document, fine, opened_only


@pytest.mark.django_db(transaction=True)
def test_decisions_are_public_without_a_login_and_never_name_an_individual(live_server, team):
    today = timezone.localdate()
    person = decided(
        team,
        team.chem_t2,
        [fine("102", "30000"), fine("99-overdue", "15000", target="person", person="李四光")],
        today,
        parties=[{"name": "李四光", "position": "主要负责人"}],
    )
    shown = decision_document(team, person)
    unit = decided(team, team.chem_t1, [fine("102", "20000")], today)
    withdrawn = decision_document(team, unit)
    documents.void(withdrawn, reason="决定书送达前发现文号错误", actor=team.users["emergency_supervisor"])
    opened_only(team, team.chem_t1, today)  # not decided: nothing to publish

    status, headers, body = call(live_server.url, "GET", "/public/enforcement/")
    assert status == 200 and headers["X-Robots-Tag"] == "noindex"
    html = body.decode()
    assert "李四光" not in html and "李四" not in html
    assert "对李某某处罚款人民币15000元" in html  # the decision's own words, the person's name masked
    assert (
        shown.number in html
        and team.chem_t2.name in html
        and "《中华人民共和国安全生产法》第九十九条" in html
    )
    assert withdrawn.number not in html and html.count('data-testid="public-decision"') == 1

    status, _, body = call(live_server.url, "GET", "/api/v1/public/enforcement-decisions?region=360402")
    assert status == 200
    answer = json.loads(body)
    assert answer["count"] == 1 and "李四" not in body.decode()
    item = answer["items"][0]
    assert (item["number"], item["party"], item["decided_on"]) == (
        shown.number,
        team.chem_t2.name,
        today.isoformat(),
    )
    assert item["department"] == "濂溪区应急管理局" and "处罚款人民币3万元" in item["penalty"]
    assert item["penalty"].endswith("对李某某处罚款人民币15000元")

    status, _, _ = call(live_server.url, "GET", "/api/v1/public/enforcement-decisions?region=360424")
    assert status == 200
    assert call(live_server.url, "GET", "/public/enforcement/?region=999999")[0] == 404


def test_mask_keeps_the_surname_only():
    from anquan.enforcement.publicity import mask, masked

    assert [mask(n) for n in ("张三", "李四光", "欧阳修文", "王")] == ["张某某", "李某某", "欧阳某某", "王"]
    assert masked("对张三、张三丰各罚款1万元", ["张三丰", "张三"]) == "对张某某、张某某各罚款1万元"
