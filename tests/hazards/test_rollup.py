"""The statistics' roll-up (ADR 0051): after random reports, workflow steps, the sweep's bulk marks, moves and
deletes it equals a full recount, and the statistics it answers (page, API) equal the live aggregation; the
rebuild command repairs and `--check` notices a wrong cell; two writers in one cell at once both count."""

import datetime as dt
import json
import random

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext

from anquan.hazards import actions, rollup, stats
from anquan.hazards import services as reporting
from anquan.hazards.models import Hazard, HazardCountyRollup, HazardRollup

from ..browserless import call, token_for
from ..conftest import login
from ..races import interleave
from .conftest import NOW, chemical_item, evidence, inspected

GROUPINGS = ("region", "industry", "level", "month")
PARAMS = (
    {},
    {"found_from": "2026-10-01", "found_to": "2026-11-30"},
    {"found_from": "2026-11-01"},
    {"level": "major"},
    {"status": "open", "overdue": "true"},
    {"status": "closed,cancelled", "industry": "hazardous_chemicals"},
    {"department": "应急管理局", "source": "inspection"},
    {"region": "360402", "found_to": "2026-10-31"},
)


def _report(world, rng, now):
    enterprise = rng.choice([world.chem_t1, world.chem_t1, world.build_t1, world.chem_t2])
    raw = {"enterprise": enterprise.uscc, "source": "inspection", "description": "随机隐患"}
    if rng.random() < 0.3 and enterprise != world.build_t1:
        raw["judgement_item"] = chemical_item(rng.choice([1, 3, 12])).pk
    actor = world.users["housing_supervisor" if enterprise == world.build_t1 else "inspector"]
    return reporting.report_hazard(raw, actor=actor, now=now)


def _step(hazard, world, officer, rng, now):
    """One random step the hazard's state allows (a refused one changes nothing)."""
    manager, inspector = world.users["enterprise_manager"], world.users["inspector"]
    plan = {"responsible_party": "甲", "deadline": "2026-12-31", "measures": "m", "funds_yuan": "1"}
    plan["contingency_plan"] = "p"
    first = [("assign", inspector, plan), ("cancel", world.users["county_office"], {"reason": "重复上报"})]
    choices = {
        "reported": first,
        "confirmed": first,
        "rectifying": [("submit", manager, {"evidence": "已整改"})],
        "submitted": [("accept_rectification", inspector, {}), ("return", inspector, {"reason": "不合格"})],
    }.get(hazard.status)
    if not choices or hazard.enterprise_id != world.chem_t1.pk:
        return hazard
    action, actor, fields = rng.choice(choices)
    if action == "submit":
        fields = fields | {"attachments": evidence(hazard, manager)}
    later = now + dt.timedelta(days=rng.randint(0, 40), hours=rng.randint(0, 23))
    try:
        return actions.transition(hazard, action, actor=actor, now=later, **fields)
    except Exception:  # noqa: BLE001 - a step the state refuses: nothing written, the roll-up stays as it was
        hazard.refresh_from_db()
        return hazard


def _same_everywhere(world):
    assert rollup.differences() == []
    for persona in (
        "province_office",
        "city_office",
        "county_office",
        "emergency_supervisor",
        "enterprise_manager",
    ):
        user = world.users[persona]
        for params in PARAMS if persona != "enterprise_manager" else PARAMS[:-1]:  # its own region is none
            for group_by in GROUPINGS:
                from_cells = stats.compute(user, dict(params), group_by)
                live = stats.compute(user, dict(params), group_by, live=True)
                assert from_cells == live, (persona, params, group_by)


def test_random_writes_keep_the_rollup_equal_to_a_full_recount(world, safety_officer):
    rng = random.Random(18)
    hazards = []
    for _ in range(24):
        found = NOW - dt.timedelta(days=rng.choice([0, 3, 20, 40, 70]), hours=rng.randint(0, 20))
        hazards.append(_report(world, rng, found))
    for _ in range(6):
        hazards = [_step(h, world, safety_officer, rng, NOW) for h in hazards]
    assert HazardRollup.objects.filter(status="closed").exists()  # the walk reached every kind of cell
    _same_everywhere(world)
    # the sweep's bulk marks, a hazard moved to the other township, another's finding date corrected, one deleted
    Hazard.objects.filter(status="rectifying", pk__in=[h.pk for h in hazards[::2]]).update(overdue=True)
    Hazard.objects.filter(pk=hazards[1].pk).update(region=world.t2, region_code=world.t2.code)
    Hazard.objects.filter(pk=hazards[2].pk).update(found_at=F("found_at") - dt.timedelta(days=31))
    Hazard.objects.filter(pk=hazards[3].pk).delete()
    _same_everywhere(world)


def test_page_and_api_answer_from_the_rollup_as_from_the_hazards(world, api_token):
    hazard = inspected(world, deadline="2026-12-31", major_item=12)
    actions.transition(
        hazard,
        "submit",
        actor=world.users["enterprise_manager"],
        now=NOW,
        evidence="ok",
        attachments=evidence(hazard, world.users["enterprise_manager"]),
    )
    actions.transition(
        hazard, "accept_rectification", actor=world.users["inspector"], now=NOW + dt.timedelta(days=2)
    )
    inspected(world, deadline="2026-12-31")
    query = "region=360402&group_by=level&found_from=2026-11-01&found_to=2026-11-30"
    body = Client().get(f"/api/v1/stats/hazards?{query}", **api_token("county_office")).json()
    levels = {row["key"]: (row["found"], row["closed"], row["avg_days_to_close"]) for row in body["items"]}
    assert levels == {"major": (1, 1, 2.0), "general": (1, 0, None)}
    user = world.users["county_office"]
    live = stats.compute(user, {"found_from": "2026-11-01", "found_to": "2026-11-30"}, "level", live=True)
    assert body["items"] == json.loads(json.dumps(live["items"]))
    page = login(user).get("/hazards/stats/?group_by=level&found_from=2026-11-01&found_to=2026-11-30")
    assert page.status_code == 200 and "50.0" in page.content.decode()  # 整改率 1 of 2


def test_rebuild_command_repairs_what_check_finds(world):
    inspected(world, deadline="2026-12-31")
    call_command("rebuild-hazard-rollups", "--check")
    HazardRollup.objects.update(n=F("n") + 1)  # a cell gone wrong
    with pytest.raises(CommandError, match="differs"):
        call_command("rebuild-hazard-rollups", "--check")
    call_command("rebuild-hazard-rollups")
    call_command("rebuild-hazard-rollups", "--check")
    assert stats.compute(world.users["county_office"], {}, "level")["total"]["found"] == 1
    HazardCountyRollup.objects.all().delete()  # the county-keyed table lost
    with pytest.raises(CommandError, match="differs"):
        call_command("rebuild-hazard-rollups", "--check")
    call_command("rebuild-hazard-rollups")
    assert stats.compute(world.users["province_office"], {}, "region")["total"]["found"] == 1


def test_a_flush_that_empties_the_rollup_before_the_hazards_leaves_no_negative_count(world):
    """SQLite's `flush` deletes table after table in no set order: when the roll-up went first, the trigger
    counted the hazards' deletion into empty cells (a bulletin then read "尚有-7项隐患未完成整改"). Django sends
    post_migrate after a flush; with no hazard left the roll-up is emptied."""
    from django.core.management.sql import emit_post_migrate_signal

    inspected(world, deadline="2026-12-31")
    inspected(world, deadline="2026-12-31")
    with (
        connection.cursor() as cursor
    ):  # the order that went wrong: the roll-up emptied first, then the hazards
        for table in (HazardRollup._meta.db_table, HazardCountyRollup._meta.db_table):
            cursor.execute(f"DELETE FROM {table}")
    Hazard.objects.all().delete()
    assert HazardRollup.objects.filter(n__lt=0).exists()  # what the flush left behind
    emit_post_migrate_signal(0, False, "default")
    assert not HazardRollup.objects.exists() and not HazardCountyRollup.objects.exists()
    assert stats.compute(world.users["county_office"], {}, "level")["total"]["open"] == 0


def test_province_and_city_figures_read_the_county_keyed_cells(world):
    """The cells keyed by county are the ones a province or city view sums (far fewer at province scale); a
    county grouped by township, or a township, needs the finer ones."""
    inspected(world, deadline="2026-12-31")
    for persona, params, group_by, table in (
        ("province_office", {}, "region", "hazards_hazardcountyrollup"),
        ("city_office", {"level": "general"}, "industry", "hazards_hazardcountyrollup"),
        ("county_office", {}, "month", "hazards_hazardcountyrollup"),
        ("county_office", {}, "region", "hazards_hazardrollup"),
    ):
        with CaptureQueriesContext(connection) as queries:
            figures = stats.compute(world.users[persona], dict(params), group_by)
        assert figures["total"]["found"] == 1, persona
        read = {
            t
            for t in ("hazards_hazardcountyrollup", "hazards_hazardrollup")
            for q in queries
            if f'"{t}"' in q["sql"]
        }
        assert read == {table}, (persona, group_by, read)


@pytest.mark.django_db(transaction=True)
def test_two_writers_in_one_cell_at_once_both_count(live_server, world):
    """Two hazards of one cell submitted at once, one here and one over HTTP: the second's upsert waits on the
    first's cell row (PostgreSQL) and adds to it after the commit; neither count is lost."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite writes one transaction at a time")
    manager = world.users["enterprise_manager"]
    first, second = (inspected(world, deadline="2026-12-31", now=NOW) for _ in range(2))
    attachments = evidence(second, manager)
    token = token_for(live_server.url, "enterprise_manager")
    body = {"action": "submit", "evidence": "已整改", "attachments": attachments}
    one, two = interleave(
        lambda: actions.transition(
            first, "submit", actor=manager, now=NOW, evidence="ok", attachments=evidence(first, manager)
        ),
        lambda: call(live_server.url, "POST", f"/api/v1/hazards/{second.pk}/transitions", body, token=token),
    )
    assert two.error is None and two.value[0] == 200, two.value
    cells = HazardRollup.objects.filter(region_code=world.chem_t1.region_code, month=dt.date(2026, 11, 1))
    assert {c.status: c.n for c in cells if c.n} == {"submitted": 2}
    assert rollup.differences() == []
    figures = stats.compute(world.users["county_office"], {"status": "submitted"}, "level")["total"]
    assert figures["found"] == 2
