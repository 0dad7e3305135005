"""The case pages: the list with the countdown, the case with its step bar, the rule version it applies marked
未核实, a step's form that refuses what the law refuses with the message on the page."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from ..conftest import login
from .conftest import opened

pytestmark = pytest.mark.django_db


def test_list_detail_and_a_refused_step(team):
    case = opened(team, timezone.localdate() - dt.timedelta(days=100))
    inspector = login(team.users["inspector"])
    listing = inspector.get("/cases/?overdue=1").content.decode()
    assert case.number in listing and "超期 10 天" in listing
    page = inspector.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="step-bar"' in page and "超期 10 天" in page
    assert "未核实" in page and "第18号令" in page  # the version from 2026-02-01 is not verified
    assert 'data-testid="form-finish_investigation"' in page and 'data-testid="form-approve"' not in page
    boss = login(team.users["emergency_supervisor"])
    answer = boss.post(f"/cases/{case.pk}/act/", {"action": "finish_investigation", "report": "报告"})
    assert answer.status_code == 403  # the head is not an investigator of the case
    case.refresh_from_db()
    assert case.status == "investigating"
    answer = inspector.post(
        f"/cases/{case.pk}/act/", {"action": "finish_investigation", "report": "调查终结报告"}
    )
    assert answer.status_code == 302
    answer = boss.post(
        f"/cases/{case.pk}/act/",
        {"action": "notify", "kind_0": "fine", "article_0": "102", "amount_yuan_0": "60000"},
    )
    body = answer.content.decode()
    # the message stands under the amount of that penalty row (not in a banner), the amount kept
    assert answer.status_code == 422 and re.search(
        r'data-testid="error-amount_yuan_0">罚款6万元超出《安全生产法》第一百零二条对单位规定的幅度（5万元以下）<',
        body,
    )
    assert 'name="amount_yuan_0" inputmode="decimal" value="60000"' in body
    assert login(team.users["grid_worker"]).get("/cases/").status_code == 200
    assert login(team.users["housing_supervisor"]).get(f"/cases/{case.pk}/").status_code == 404


def test_bad_fields_stand_under_each_field_all_at_once(team):
    inspector = login(team.users["inspector"])
    answer = inspector.post(
        "/cases/new/",
        {"enterprise": team.chem_t1.uscc, "source": "inspection", "applied_on": "2026-02-30", "facts": " "},
    )
    body = answer.content.decode()
    assert answer.status_code == 422
    assert re.search(r'data-testid="error-applied_on">申请日期应为日期[^<]*<', body)
    assert 'data-testid="error-facts">违法事实不能为空<' in body
    assert 'data-testid="form-errors"' not in body  # nothing left for a banner
    listing = inspector.get("/cases/?overdue=perhaps")
    assert listing.status_code == 422
    assert 'data-testid="error-overdue">应为 true 或 false<' in listing.content.decode()
