"""An alarm's steps by the people who take them, on the pages: the enterprise acknowledges, disposes (with photos)
and closes; an office may act only once the alarm is escalated to it; other counties and roles get 404; a tamper
sign is not closed without a disposal note; a hazard may be opened from an alarm; the to-do centre counts them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from anquan.core.errors import NotPermitted, ValidationFailed
from anquan.core.models import AuditEntry
from anquan.monitoring import actions
from anquan.monitoring.choices import AlarmStatus
from anquan.monitoring.models import AlarmEvent
from tests.conftest import login
from tests.live.conftest import PNG


def _url(alarm, tail=""):
    return f"/monitoring/alarms/{alarm.pk}/{tail}"


def test_the_enterprise_acknowledges_disposes_and_closes_on_the_pages(world, raised):
    manager = login(world.users["enterprise_manager"])
    listing = manager.get("/monitoring/alarms/?status=raised")
    assert listing.status_code == 200 and raised.message in listing.content.decode()
    page = manager.get(_url(raised))
    assert page.status_code == 200 and 'data-testid="step-acknowledge"' in page.content.decode()
    assert manager.post(_url(raised, "transitions/"), {"action": "acknowledge"}).status_code == 302
    # dispose without the disposal: the field's Chinese error, nothing changed
    refused = manager.post(_url(raised, "transitions/"), {"action": "dispose", "disposal": ""})
    assert refused.status_code == 422 and "请填写处置情况" in refused.content.decode()
    raised.refresh_from_db()
    assert raised.status == AlarmStatus.ACKNOWLEDGED and raised.acknowledged_at is not None
    manager.post(_url(raised, "transitions/"), {"action": "dispose", "disposal": "关闭进料阀，现场通风检测"})
    photo = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    assert manager.post(_url(raised, "photos/"), {"file": photo}).status_code == 302
    assert raised.photos.count() == 1
    closed = manager.post(_url(raised, "transitions/"), {"action": "close", "comment": "复测正常"})
    assert closed.status_code == 302
    raised.refresh_from_db()
    assert raised.status == AlarmStatus.CLOSED and raised.disposal == "关闭进料阀，现场通风检测"
    steps = list(AlarmEvent.objects.filter(alarm=raised).values_list("action", "actor_label"))
    assert [s[0] for s in steps] == ["raise", "acknowledge", "dispose", "close"]
    assert AuditEntry.objects.filter(model="monitoring.alarm", object_id=str(raised.pk)).count() >= 4
    detail = manager.get(_url(raised)).content.decode()
    assert "复测正常" in detail and "关闭进料阀" in detail


def test_an_office_acts_only_once_the_alarm_is_escalated(world, raised):
    county = world.users["county_office"]
    with pytest.raises(NotPermitted):
        actions.transition(raised, "acknowledge", actor=county)
    page = login(county).post(_url(raised, "transitions/"), {"action": "acknowledge"})
    assert page.status_code == 403 and "安委办" in page.content.decode()
    type(raised).objects.filter(pk=raised.pk).update(escalated_to="360402")
    raised.refresh_from_db()
    fresh = actions.transition(raised, "acknowledge", actor=county, comment="已电话督促企业处置")
    assert fresh.status == AlarmStatus.ACKNOWLEDGED
    # disposal stays the enterprise's own
    with pytest.raises(NotPermitted):
        actions.transition(fresh, "dispose", actor=county, disposal="x")


@pytest.mark.parametrize("persona", ["county_office_b", "housing_supervisor", "grid_worker"])
def test_out_of_scope_or_without_monitoring_is_404(world, raised, persona):
    client = login(world.users[persona])
    assert client.get(_url(raised)).status_code == 404
    assert client.post(_url(raised, "transitions/"), {"action": "acknowledge"}).status_code == 404
    assert client.get(_url(raised, "photos/1/")).status_code == 404
    assert client.post(_url(raised, "hazard/"), {}).status_code == 404
    raised.refresh_from_db()
    assert raised.status == AlarmStatus.RAISED


def test_a_tamper_sign_is_closed_only_with_a_disposal_note(world, make_alarm):
    manager = world.users["enterprise_manager"]
    alarm = make_alarm(kind="stuck", status="recovered")
    with pytest.raises(ValidationFailed) as refused:
        actions.transition(alarm, "close", actor=manager, comment="数值已变化")
    assert refused.value.errors[0].field == "disposal" and "刑法" in refused.value.errors[0].message
    page = login(manager).post(_url(alarm, "transitions/"), {"action": "close", "comment": "数值已变化"})
    assert page.status_code == 422 and "处置情况" in page.content.decode()
    closed = actions.transition(
        alarm,
        "close",
        actor=manager,
        comment="数值已变化",
        disposal="探测器被塑料袋包裹，已拆除并对当班人员批评教育",
    )
    assert closed.status == AlarmStatus.CLOSED
    # an ordinary recovered alarm closes with a note alone
    plain = make_alarm(kind="high", status="recovered")
    assert actions.transition(plain, "close", actor=manager, comment="工艺波动").status == AlarmStatus.CLOSED


def test_the_system_steps_are_not_a_persons(world, raised):
    with pytest.raises(NotPermitted):
        actions.transition(raised, "recover", actor=world.users["enterprise_manager"])


def test_an_office_opens_a_hazard_from_an_alarm(world, raised):
    from anquan.hazards.models import Hazard

    assert not actions.can_open_hazard(raised, world.users["enterprise_manager"])
    response = login(world.users["county_office"]).post(_url(raised, "hazard/"), {"description": ""})
    assert response.status_code == 302
    raised.refresh_from_db()
    hazard = Hazard.objects.get(pk=raised.hazard_id)
    assert hazard.source == "alarm" and hazard.enterprise_id == world.chem_t1.pk
    assert raised.message in hazard.description
    again = login(world.users["county_office"]).post(_url(raised, "hazard/"), {})
    assert again.status_code == 409


def test_the_to_do_centre_counts_alarms_for_who_must_act(world, make_alarm):
    from anquan.core.todo import items_for

    make_alarm(status="raised")
    make_alarm(status="acknowledged")
    make_alarm(status="raised", escalated_to="360402")
    mine = {i.kind: i.count for i in items_for(world.users["enterprise_manager"])}
    assert mine["monitoring.acknowledge"] == 2 and mine["monitoring.dispose"] == 1
    county = {i.kind: i.count for i in items_for(world.users["county_office"])}
    assert county.get("monitoring.escalated") == 1 and "monitoring.acknowledge" not in county
    assert "monitoring.escalated" not in {i.kind for i in items_for(world.users["city_office"])}


def test_the_list_filters_and_renders_cards(world, make_alarm):
    make_alarm(kind="offline", level="blue")
    make_alarm(kind="high", level="yellow")
    client = login(world.users["county_office"])
    page = client.get("/monitoring/alarms/?kind=offline").content.decode()
    assert 'data-testid="alarm-cards"' in page and page.count("data-alarm=") == 1
    assert client.get("/monitoring/alarms/?from=2026-13-01").status_code == 422
    assert (
        login(world.users["county_office_b"]).get("/monitoring/alarms/").content.decode().count("data-alarm=")
        == 0
    )
