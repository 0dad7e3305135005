"""The loop dashboard and GET /api/v1/stats/enforcement-loops for a period: only the inspections completed in it
(and their reviews) and the cases applied for in it count; a bad date is refused naming the field (page: under
it; API: 422), another county's region 404, a role outside the committee offices and supervisors 403."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from anquan.inspections import issuing
from anquan.inspections.models import Inspection
from tests.browserless import call, token_for
from tests.conftest import login

from ..inspections.loopdata import days, registered, walked

pytestmark = pytest.mark.django_db(transaction=True)
PATH = "/api/v1/stats/enforcement-loops"


def _pending(world, enterprise, done_days_ago: int) -> None:
    insp = walked(world, enterprise)
    issuing.order_rectification(insp, {"deadline": days(3).isoformat()}, actor=world.users["inspector"])
    Inspection.objects.filter(pk=insp.pk).update(done_at=timezone.now() - dt.timedelta(days=done_days_ago))


def test_the_loop_for_a_period_on_the_page_and_over_the_api(world, live_server):
    registered(world.chem_t1, world.chem_t2)
    _pending(world, world.chem_t1, 0)  # completed today
    _pending(world, world.chem_t2, 40)  # completed 40 days ago: outside the last week
    base = live_server.url
    token = token_for(base, "county_office")
    week = f"region=360402&from={days(-7).isoformat()}&to={days(0).isoformat()}"

    def get(query: str, who: str = token) -> tuple[int, dict]:
        status, _headers, raw = call(base, "GET", f"{PATH}?{query}", token=who)
        return status, json.loads(raw)

    status, everything = get("region=360402")
    assert status == 200 and everything["from"] is None
    assert everything["totals"]["findings"] == 2 and everything["totals"]["pending"] == 2
    status, recent = get(week)
    assert status == 200 and recent["from"] == days(-7).isoformat() and recent["to"] == days(0).isoformat()
    assert recent["totals"] == {
        "findings": 1,
        "awaiting_order": 0,
        "pending": 1,
        "overdue": 0,
        "stuck": 0,
        "open": 1,
    }
    rows = {r["key"]: r["figures"]["pending"] for r in recent["children"]}
    assert rows[world.t1.code] == 1 and rows[world.t2.code] == 0
    status, body = get("region=360402&from=2026-13-01")
    assert status == 422 and body["detail"][0]["field"] == "from"
    status, body = get(f"region=360402&from={days(0).isoformat()}&to={days(-7).isoformat()}")
    assert status == 422 and body["detail"][0] == {
        "field": "to",
        "code": "before_start",
        "message": "结束日期不能早于开始日期",
    }
    assert get("region=360402", token_for(base, "county_office_b"))[0] == 404
    assert get("region=360402", token_for(base, "enterprise_manager"))[0] == 403

    page = login(world.users["county_office"])
    answer = page.get(f"/enforcement/loops/?{week}")
    html = answer.content.decode()
    assert answer.status_code == 200 and 'data-testid="total-pending">1<' in html
    assert f"&amp;from={days(-7).isoformat()}&amp;to={days(0).isoformat()}" in html  # the drill-down keeps it
    answer = page.get("/enforcement/loops/?region=360402&from=2026-02-30")
    assert answer.status_code == 422
    assert 'data-testid="error-from">开始日期应为日期' in answer.content.decode()
