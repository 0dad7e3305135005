"""The alarm API over real HTTP (live server, bearer tokens, urllib): list with filters, detail, events, the steps
`POST /api/v1/monitoring/alarms/{id}/{action}` by the right roles, the wrong role refused, out of scope 404, a
missing required field a structured 422 in Chinese."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

BASE = "/api/v1/monitoring/alarms"


@pytest.fixture
def alarm(raised):
    return raised


def test_the_enterprise_takes_the_steps_over_http(as_persona, alarm):
    api = as_persona("enterprise_manager")
    listed = api.get(BASE, status="raised")
    assert listed.status == 200, listed.excerpt()
    assert listed.json()["count"] == 1
    item = listed.json()["items"][0]
    assert (
        item["id"] == alarm.pk
        and item["kind"] == "high"
        and item["enterprise_name"] == "江西化工测试有限公司"
    )
    assert item["actions"] == ["acknowledge"]
    ack = api.post(f"{BASE}/{alarm.pk}/acknowledge", {"comment": "值班长已到场"})
    assert ack.status == 200, ack.excerpt()
    assert ack.json()["status"] == "acknowledged" and ack.json()["actions"] == ["dispose"]
    missing = api.post(f"{BASE}/{alarm.pk}/dispose", {})
    assert missing.status == 422
    assert (
        missing.json()["detail"][0]["field"] == "disposal"
        and "处置情况" in missing.json()["detail"][0]["message"]
    )
    too_long = api.post(f"{BASE}/{alarm.pk}/dispose", {"disposal": "长" * 2001})
    assert too_long.status == 422
    assert api.post(f"{BASE}/{alarm.pk}/dispose", {"disposal": "切断气源"}).status == 200
    closed = api.post(f"{BASE}/{alarm.pk}/close", {"comment": "复测合格"})
    assert closed.status == 200 and closed.json()["status"] == "closed"
    again = api.post(f"{BASE}/{alarm.pk}/close", {"comment": "再关一次"})
    assert again.status == 409
    events = api.get(f"{BASE}/{alarm.pk}/events").json()
    assert [e["action"] for e in events] == ["raise", "acknowledge", "dispose", "close"]
    assert events[1]["comment"] == "值班长已到场"


def test_the_wrong_role_is_refused_and_other_counties_get_404(as_persona, alarm):
    county = as_persona("county_office")
    assert county.get(f"{BASE}/{alarm.pk}").status == 200
    refused = county.post(f"{BASE}/{alarm.pk}/acknowledge", {})
    assert refused.status == 403 and "安委办" in refused.json()["detail"][0]["message"]
    other = as_persona("county_office_b")
    assert other.get(f"{BASE}/{alarm.pk}").status == 404
    assert other.post(f"{BASE}/{alarm.pk}/acknowledge", {}).status == 404
    assert other.get(f"{BASE}/{alarm.pk}/events").status == 404
    assert other.get(BASE).json()["count"] == 0
    assert as_persona("grid_worker").get(f"{BASE}/{alarm.pk}").status == 404
    system_step = as_persona("enterprise_manager").post(f"{BASE}/{alarm.pk}/recover", {})
    assert system_step.status in (404, 405, 422)
    alarm.refresh_from_db()
    assert alarm.status == "raised"


def test_filters(as_persona, make_alarm):
    make_alarm(kind="offline", level="blue")
    make_alarm(kind="high", level="yellow", escalated_to="360402")
    api = as_persona("county_office")
    assert api.get(BASE, kind="offline").json()["count"] == 1
    assert api.get(BASE, escalated="true").json()["count"] == 1
    assert api.get(BASE, status="open").json()["count"] == 2
    assert api.get(BASE, level="purple").status == 422
