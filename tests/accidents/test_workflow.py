"""The accident's declared workflows: transitions that keep the status (extend the investigation, report up)
are refused to the second of two simultaneous requests by the compare-and-set itself; the reporting chain
and each report-up step are audited; out of scope is 404."""

import json

import pytest
from django.http import Http404

from anquan.accidents import actions
from anquan.accidents.models import Accident, AccidentReport
from anquan.core.errors import Conflict
from anquan.core.models import AuditEntry

from ..browserless import call, token_for
from ..races import interleave
from .test_accidents import at, record


def _entries(model: str, pk) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(model=model, object_id=str(pk)).order_by("id"))


@pytest.mark.django_db
def test_the_reporting_chain_and_each_report_up_are_audited(world):
    accident = record(world)
    county, city = accident.reports.all()
    assert [e.action for e in _entries("accidents.accidentreport", county.pk)] == ["create"]
    assert _entries("accidents.accidentreport", city.pk)[0].region_code == accident.region_code
    actions.report_up(
        accident,
        actor=world.users["county_office"],
        to_level="county",
        reported_at=at(2026, 10, 5, 15, 45),
        now=at(2026, 10, 5, 16, 0),
    )
    step = _entries("accidents.accidentreport", county.pk)[-1]
    assert step.action == "transition" and step.actor_label
    assert step.before["reported_at"] is None and step.after["reported_at"].startswith("2026-10-05T07:45")
    moved = _entries("accidents.accidentreport", city.pk)[-1]  # the city's due runs from the late report
    assert moved.action == "update" and moved.after["due_at"].startswith("2026-10-05T09:45")
    event = accident.events.get(action="report_up")
    assert event.data == {"to_level": "county", "reported_at": "2026-10-05T15:45:00+08:00", "on_time": False}


@pytest.mark.django_db
def test_report_up_out_of_scope_is_404_and_a_second_record_is_409(world):
    accident = record(world)
    with pytest.raises(Http404):
        actions.report_up(accident, actor=world.users["county_office_b"], to_level="county")
    actions.report_up(accident, actor=world.users["county_office"], to_level="county")
    with pytest.raises(Conflict) as again:
        actions.report_up(accident, actor=world.users["county_office"], to_level="county")
    assert again.value.code == "already_reported"
    assert accident.events.filter(action="report_up").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_extensions_exactly_one_is_stored(world):
    """Decree 493 art. 29: once. The status stays `investigating`, so only the guard in the UPDATE stops
    the second extension, which read the accident before the first was committed."""
    office = world.users["county_office"]
    accident = actions.start_investigation(record(world), actor=office, team="县应急局牵头")
    first, second = interleave(
        lambda: actions.extend_investigation(accident, actor=office, days=30, reason="技术鉴定未完成"),
        lambda: actions.extend_investigation(accident, actor=office, days=60, reason="另一请求"),
    )
    assert first.error is None
    assert isinstance(second.error, Conflict) and second.error.code == "already_extended"
    stored = Accident.objects.get(pk=accident.pk)
    assert (stored.extension_days, stored.investigation_due) == (30, accident.investigation_due + (30 * _DAY))
    assert stored.events.filter(action="extend_investigation").count() == 1
    assert (
        AuditEntry.objects.filter(
            model="accidents.accident", object_id=str(accident.pk), comment__startswith="延长调查期限"
        ).count()
        == 1
    )


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_report_ups_over_http_one_wins_one_409(live_server, world):
    """The county office records the unit's report on the page while a client records the same level
    through the API with its bearer token: one step stored, one 409 in the API's shape, one event row."""
    accident = record(world)
    token = token_for(live_server.url, "county_office")
    path = f"/api/v1/accidents/{accident.pk}/transitions"
    body = {"action": "report_up", "to_level": "county", "reported_at": "2026-10-05T15:20:00+08:00"}
    first, second = interleave(
        lambda: actions.report_up(
            accident,
            actor=world.users["county_office"],
            to_level="county",
            reported_at=at(2026, 10, 5, 15, 10),
        ),
        lambda: call(live_server.url, "POST", path, body, token=token),
    )
    assert first.error is None and second.error is None
    status, _headers, raw = second.value
    assert status == 409, raw
    assert json.loads(raw) == {
        "detail": [{"field": "", "code": "already_reported", "message": "该层级已记录报告时间"}]
    }
    step = AccidentReport.objects.get(accident=accident, to_level="county")
    assert step.reported_at == at(2026, 10, 5, 15, 10)  # the loser overwrote nothing
    assert accident.events.filter(action="report_up").count() == 1
    status, _headers, raw = call(live_server.url, "GET", f"/api/v1/accidents/{accident.pk}", token=token)
    assert [r["reported_at"] is not None for r in json.loads(raw)["reports"]] == [True, False]


_DAY = at(2026, 1, 2) - at(2026, 1, 1)


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_late_reports_both_land_and_neither_undoes_the_other(world):
    """A late report keeps the status and is no one-time step: two are two corrections. Each names only the
    figures that changed, so the second must start from the first's result, not from what it read before."""
    accident = record(world)  # 2 deaths, 1 serious injury
    office = world.users["county_office"]
    first, second = interleave(
        lambda: actions.late_report(accident, actor=office, deaths=3, changed_at=at(2026, 10, 8, 9, 0)),
        lambda: actions.late_report(
            accident, actor=office, serious_injuries=12, changed_at=at(2026, 10, 9, 9, 0)
        ),
    )
    assert first.error is None and second.error is None
    stored = Accident.objects.get(pk=accident.pk)
    assert (stored.deaths, stored.serious_injuries, stored.grade) == (3, 12, "larger")
    later = stored.events.filter(action="late_report").order_by("id").last()
    assert later.data["before"]["deaths"] == 3 and later.data["after"]["serious_injuries"] == 12
