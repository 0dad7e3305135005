"""Units overdue for a drill, worked out by hand for a seeded set seen on 2026-06-15 (MEM Order 2 art. 33, Decree 708
art. 8): an ordinary unit's on-site disposal plan drilled 7 months ago is overdue (every half year), its comprehensive
plan drilled 11 months ago is not (yearly); a high-risk unit's comprehensive plan drilled 7 months ago is overdue
(every half year), one drilled 5 months ago is not; a government plan drilled 23 months ago is not (every 2 years).
The to-do badge's condition agrees with the list; the statistics and the overview page show the same."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from anquan.core.errors import NotPermitted, ValidationFailed
from anquan.emergency import services
from anquan.emergency.models import EmergencyPlan
from anquan.emergency.services import add_months, overdue_drill_q
from tests.conftest import login, make_enterprise

from .helpers import drill, manager_of, new_plan

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 6, 15)


def months_ago(n: int) -> dt.date:
    return add_months(ON, -n)


@pytest.fixture
def seeded(world):
    machinery = make_enterprise(world.t1, "machinery", "濂溪机械加工厂", "360402", 11)
    ordinary = manager_of(machinery, "machinery_manager")
    chem = world.users["enterprise_manager"]  # 江西化工测试有限公司: hazardous chemicals, high-risk
    old = months_ago(30)
    on_site = new_plan(ordinary, kind="on_site", published_on=old, title="机加工车间现场处置方案")
    drill(on_site, ordinary, months_ago(7))
    comprehensive = new_plan(ordinary, kind="comprehensive", published_on=old, title="机械厂综合应急预案")
    drill(comprehensive, ordinary, months_ago(11))
    chem_plan = new_plan(chem, kind="comprehensive", published_on=old, title="化工综合应急预案")
    drill(chem_plan, chem, months_ago(7))
    chem_special = new_plan(chem, kind="special", published_on=old, title="化工专项应急预案")
    drill(chem_special, chem, months_ago(5))
    county = world.users["county_office"]
    government = new_plan(
        county, published_on=old, title="濂溪区生产安全事故应急预案", filed_with="emergency"
    )
    drill(government, county, months_ago(23), kind="full_scale")
    return {
        "machinery": machinery,
        "on_site": on_site,
        "comprehensive": comprehensive,
        "chem_plan": chem_plan,
        "chem_special": chem_special,
        "government": government,
    }


def test_overdue_units_by_hand(world, seeded):
    county = world.users["county_office"]
    units = services.overdue_units(services.plans(county), ON)
    by_owner = {u.owner: u for u in units}
    assert set(by_owner) == {"濂溪机械加工厂", "江西化工测试有限公司"}
    assert by_owner["濂溪机械加工厂"].due_on == add_months(months_ago(7), 6) == dt.date(2026, 5, 15)
    assert [d.plan.title for d in by_owner["濂溪机械加工厂"].plans] == ["机加工车间现场处置方案"]
    assert by_owner["江西化工测试有限公司"].due_on == dt.date(2026, 5, 15)
    assert [d.plan.title for d in by_owner["江西化工测试有限公司"].plans] == ["化工综合应急预案"]
    due = {d.plan.title: (d.months, d.due_on) for d in services.drills_due(services.plans(county), ON)}
    assert due["机械厂综合应急预案"] == (12, dt.date(2026, 7, 15))
    assert due["化工专项应急预案"] == (6, dt.date(2026, 7, 15))
    assert due["濂溪区生产安全事故应急预案"] == (24, dt.date(2026, 7, 15))
    # the to-do badge's single condition marks exactly those plans
    flagged = set(EmergencyPlan.objects.filter(overdue_drill_q(ON)).values_list("title", flat=True))
    assert flagged == {"机加工车间现场处置方案", "化工综合应急预案"}
    # two months on, the government plan (24 months) and the others fall due as well
    later = {u.owner for u in services.overdue_units(services.plans(county), add_months(ON, 2))}
    assert later == {"濂溪机械加工厂", "江西化工测试有限公司", "濂溪区人民政府"}


def test_a_drill_takes_the_unit_off_the_list(world, seeded):
    chem = world.users["enterprise_manager"]
    drill(seeded["chem_plan"], chem, ON)
    owners = {u.owner for u in services.overdue_units(services.plans(world.users["county_office"]), ON)}
    assert owners == {"濂溪机械加工厂"}


def test_statistics_and_scope(world, seeded, api_token):
    from django.test import Client

    body = Client().get("/api/v1/stats/emergency?on=2026-06-15", **api_token("county_office")).json()
    assert body["units_overdue_drill"] == 2
    assert body["drills_this_year"] == 1  # only the high-risk special plan's drill (5 months ago) is in 2026
    assert body["plans_draft"] == 5 and body["plans_filed"] == 0
    # hazardous chemicals and construction must file: none has a filed plan (chem_t1, build_t1, chem_t2)
    assert body["units_without_filed_plan"] == 3
    other = Client().get("/api/v1/stats/emergency?on=2026-06-15", **api_token("county_office_b")).json()
    assert other["units_overdue_drill"] == 0 and other["plans_draft"] == 0
    assert (
        Client().get("/api/v1/stats/emergency?region=360402", **api_token("county_office_b")).status_code
        == 404
    )
    page = login(world.users["county_office"]).get("/emergency/overview/?on=2026-06-15")
    assert page.status_code == 200 and "濂溪机械加工厂" in page.content.decode()
    xlsx = login(world.users["county_office"]).get("/emergency/overview/export/?on=2026-06-15")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert {r[0] for r in book["逾期未演练"].iter_rows(min_row=2, values_only=True)} == {
        "濂溪机械加工厂",
        "江西化工测试有限公司",
    }


def test_drill_refused_for_others_and_bad_input(world, seeded):
    with pytest.raises(NotPermitted):
        drill(seeded["chem_plan"], world.users["emergency_supervisor"], ON)
    with pytest.raises(ValidationFailed) as bad:
        from anquan.emergency import actions

        actions.record_drill(
            seeded["chem_plan"],
            {"held_on": "2099-01-01", "kind": "x"},
            actor=world.users["enterprise_manager"],
        )
    assert {e.field for e in bad.value.errors} >= {
        "held_on",
        "kind",
        "participant_count",
        "organiser",
        "scenario",
    }


def test_literals_match_the_choices():
    from typing import get_args

    from anquan.emergency import api, choices

    for literal, names in (
        (api.PlanKindValue, choices.PlanKind),
        (api.PlanStatusValue, choices.PlanStatus),
        (api.DrillKindValue, choices.DrillKind),
        (api.RevisionReasonValue, choices.RevisionReason),
        (api.RefilingChangeValue, choices.RefilingChange),
    ):
        assert list(get_args(literal)) == list(names.values)


def test_statistics_on_a_day_no_rule_covers_is_refused_clearly(world, seeded, api_token):
    """A far-past or absurd `on=` (the API fuzzer sent 0240-10-14) is the caller's mistake: 422 naming it, or
    saying no rule was in force then — never a 500."""
    from django.test import Client

    headers = api_token("county_office")
    response = Client().get("/api/v1/stats/emergency?on=0240-10-14", **headers)
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "on"
    response = Client().get("/api/v1/stats/emergency?on=1990-01-01", **headers)  # plausible, before the rules
    assert response.status_code == 422
    assert "规则" in response.json()["detail"][0]["message"]
