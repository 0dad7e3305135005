"""A case step reads its fields like every other form of the system (core.inputs): every bad field reported at
once, a yes/no that is neither refused, money with more than two decimals refused rather than rounded."""

import datetime as dt

import pytest
from django.utils import timezone

from anquan.cases import actions
from anquan.cases.fields import Fields
from anquan.core.errors import ValidationFailed

from .conftest import opened

pytestmark = pytest.mark.django_db


def test_a_step_names_every_bad_field_at_once_and_changes_nothing(team):
    case = opened(team, timezone.localdate() - dt.timedelta(days=10))
    actions.transition(case, "finish_investigation", actor=team.users["inspector"], report="调查终结")
    with pytest.raises(ValidationFailed) as refused:
        actions.transition(
            case,
            "notify",
            actor=team.users["emergency_supervisor"],
            notified_on="2026-02-30",
            flag_complex="perhaps",
            measures=[{"kind": "warning"}],
        )
    found = {e.field: e.message for e in refused.value.errors}
    assert set(found) == {"notified_on", "flag_complex"}
    assert found["notified_on"].startswith("告知日期应为日期")
    assert found["flag_complex"] == "案情疑难复杂：应为 true 或 false"
    case.refresh_from_db()
    assert case.status == "reviewing" and case.notified_on is None


def test_money_is_refused_beyond_cents_and_at_zero_not_rounded():
    for raw, message in (
        ("12.345", "缴款金额最多2位小数"),
        ("0", "缴款金额应大于0"),
        ("abc", "缴款金额应为数字"),
        ("", "请填写缴款金额"),
    ):
        f = Fields({"amount_yuan": raw}, {"amount_yuan": "缴款金额"})
        f.money("amount_yuan")
        assert [e.message for e in f.errors] == [message], raw
    f = Fields({"amount_yuan": "12.34"})
    assert str(f.money("amount_yuan")) == "12.34" and f.errors == []
