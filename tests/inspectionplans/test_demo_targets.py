"""The must-show of issue #13: the targeting list of the demo county (濂溪区) with its top five explained, and
the demo's draft plan of 濂溪区应急管理局 (6 × 247 − 120 − 300 = 1062 supervision days)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from anquan.accounts.models import User
from anquan.inspectionplans import services
from anquan.inspectionplans.models import InspectionPlan
from anquan.regions.models import Region

pytestmark = pytest.mark.django_db


def test_the_demo_countys_top_five_are_explained(reference):
    call_command("demo", enterprises=300, hazards=40, accidents_per_year=12)
    found, _ = services.targets(User.objects.get(username="lianxi"), Region.objects.get(code="360402"))
    top = found[:5]
    assert all(t.explanation and t.score > 0 for t in top)
    assert [t.score for t in top] == sorted((t.score for t in top), reverse=True)
    # the demo's story: the known chemical works, with its overdue major hazards, heads the list
    assert top[0].name == "江西化工集团九江有限公司" and "项超期重大隐患" in top[0].explanation
    for t in top:  # each sentence is the sum of its factors' points
        assert sum(f.points for f in t.factors) == t.score
    plan = InspectionPlan.objects.get()
    assert (plan.status, plan.supervision_days, plan.title) == (
        "draft",
        1062,
        "濂溪区应急管理局2026年度安全生产监督检查计划",
    )
    assert plan.entries.filter(enterprise__name="江西化工集团九江有限公司").exists()
