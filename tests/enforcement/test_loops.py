"""The loop dashboard's counts (issue #13 item 7) reproduce a hand count over a county's inspections: with
findings, without an order, reviews pending and overdue, not rectified without a case, open loops; by township and
by department; a region outside the user's scope answers 404."""

import datetime as dt

import pytest
from django.utils import timezone

from anquan.enforcement import loops
from anquan.inspections import issuing, reviews
from anquan.regions.models import Region
from tests.conftest import login

from ..inspections.loopdata import days, registered, walked

pytestmark = pytest.mark.django_db


def _review(world, enterprise, *, deadline, now=None):
    insp = walked(world, enterprise)
    return issuing.order_rectification(
        insp, {"deadline": deadline.isoformat()}, actor=world.users["inspector"], now=now
    )


def _record(world, review, rectified):
    answers = [{"item": r.item_id, "rectified": rectified} for r in review.items.all()]
    reviews.record(review, {"results": answers}, actor=world.users["inspector"])


def test_the_loop_counts_reproduce_a_hand_count(world):
    registered(world.chem_t1, world.chem_t2, world.chem_xiushui)
    past = timezone.now() - dt.timedelta(days=10)
    _review(world, world.chem_t1, deadline=days(3))  # A: pending
    _review(world, world.chem_t1, deadline=days(-5), now=past)  # B: pending, overdue
    _record(world, _review(world, world.chem_t2, deadline=days(1)), False)  # C: not rectified, no case
    _record(world, _review(world, world.chem_t2, deadline=days(1)), True)  # D: closed
    walked(world, world.chem_t1)  # E: findings, no order yet
    walked(world, world.chem_t2, bad=0)  # F: nothing found
    county = world.users["county_office"]
    lianxi = Region.objects.get(code="360402")
    assert loops.totals(county, lianxi) == {
        "findings": 5,
        "awaiting_order": 1,
        "pending": 2,
        "overdue": 1,
        "stuck": 1,
        "open": 3,
    }
    rows = {r.key: r.figures for r in loops.by_child(county, lianxi)}
    assert rows[world.t1.code] == {
        "findings": 3,
        "awaiting_order": 1,
        "pending": 2,
        "overdue": 1,
        "stuck": 0,
        "open": 2,
    }
    assert rows[world.t2.code] == {
        "findings": 2,
        "awaiting_order": 0,
        "pending": 0,
        "overdue": 0,
        "stuck": 1,
        "open": 1,
    }
    [department] = loops.by_department(county, lianxi)
    assert department.name == "应急管理局" and department.figures["open"] == 3
    overdue = list(loops.overdue_reviews(county, lianxi))
    assert len(overdue) == 1 and overdue[0].inspection.enterprise == world.chem_t1
    assert reviews.countdown_of(overdue[0], timezone.localdate()) == ("超期 5 天", True)
    # the housing department supervises none of these enterprises: nothing is counted for it
    assert loops.totals(world.users["housing_supervisor"], lianxi)["findings"] == 0
    # the page: the figures, the drill-down links; another county is 404, a field role is refused
    page = login(county).get("/enforcement/loops/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="total-open">3<' in html and f"?region={world.t1.code}" in html
    assert login(county).get(f"/enforcement/loops/?region={world.t1.code}").context["totals"]["open"] == 2
    assert login(county).get("/enforcement/loops/?region=360424").status_code == 404
    assert login(world.users["inspector"]).get("/enforcement/loops/").status_code == 403
    city = login(world.users["city_office"]).get("/enforcement/loops/?region=360402")
    assert city.status_code == 200 and city.context["totals"]["open"] == 3


def test_a_case_opened_from_a_stuck_inspection_closes_its_loop(world):
    """Not rectified at review → the dashboard lists the inspection as waiting for the case path; once a case is
    opened from that inspection (/cases/new/?inspection=…), the loop counts as closed."""
    from anquan.cases import services as cases

    registered(world.chem_t2)
    review = _review(world, world.chem_t2, deadline=days(1))
    _record(world, review, False)
    county = world.users["county_office"]
    lianxi = Region.objects.get(code="360402")
    assert loops.totals(county, lianxi)["stuck"] == 1
    assert [i.pk for i in loops.stuck_inspections(county, lianxi)] == [review.inspection_id]
    cases.open_case(
        {
            "inspection": review.inspection_id,
            "facts": "复查发现责令整改事项逾期未整改",
            "investigators": ["inspector", "emergency_supervisor"],
        },
        actor=world.users["inspector"],
    )
    totals = loops.totals(county, lianxi)
    assert totals["stuck"] == 0 and totals["open"] == 0
    assert list(loops.stuck_inspections(county, lianxi)) == []
