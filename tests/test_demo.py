"""`anquan demo` (the README's first command) builds a working dataset with a login per role.

The demo is built once for this module (one transaction, rolled back when the module ends) and every test reads
that one dataset: a build takes half a minute, and the tests of the demo's stories (cases, targeting, risk
reports, logins) ask the same build different questions (once per pytest worker that runs some of them).
"""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings

from anquan.accidents.models import Accident
from anquan.accounts.models import User
from anquan.cases.models import EnforcementCase
from anquan.core.audit import verify
from anquan.core.todo import items_for
from anquan.demo.enforcement_plans import STORY_TEXTS
from anquan.enterprises import uscc
from anquan.enterprises.models import Enterprise
from anquan.hazards.models import Hazard
from anquan.inspectionplans import services as inspection_plans
from anquan.inspectionplans.models import InspectionPlan
from anquan.regions.models import Region

from .conftest import ensure_reference_data

pytestmark = pytest.mark.django_db

MD5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The printed output of `anquan demo` building 300 enterprises, 40 hazards and 12 accidents a year."""
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=MD5):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            ensure_reference_data()  # after a transactional test emptied the database
            out = io.StringIO()
            call_command("demo", enterprises=300, hazards=40, accidents_per_year=12, stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def test_demo_builds_jiujiang_with_logins(demo):
    assert "Anquan@2026" in demo and "lianxi_yjj" in demo
    assert Enterprise.objects.filter(region_code__startswith="3604").count() == 301
    assert all(uscc.validate(code) is None for code in Enterprise.objects.values_list("uscc", flat=True))
    from anquan.documents.models import Document

    # 濂溪区应急管理局's documents: the two issued by hand (anquan/demo/enforcement_documents.py) and those the two
    # cases' steps issued (anquan/demo/enforcement_cases.py): the decided case's 立案审批表, 行政处罚告知书,
    # 听证告知书 (a 6万元 fine on a unit carries the hearing right) and 行政处罚决定书; the new case's 立案审批表

    assert sorted(Document.objects.values_list("number", flat=True))[0].startswith("（濂溪）应急")
    assert sorted(Document.objects.values_list("kind", flat=True)) == sorted(
        [
            "rectification_order",
            "review_opinion",
            "case_filing",
            "penalty_notice",
            "hearing_notice",
            "penalty_decision",
            "case_filing",
        ]
    )
    # 40 as asked, besides the overdue ones of the targeting story (anquan/demo/enforcement_plans.py)
    assert Hazard.objects.exclude(description__in=STORY_TEXTS).count() == 40 and Accident.objects.count() > 10
    assert verify().ok
    from anquan.draws.models import RandomDraw

    draw = RandomDraw.objects.get(status="published")  # double-random draws: one published, reproducible
    assert draw.picks.count() >= 2 and draw.picks.exclude(result="").count() == 1
    from anquan.assessments.models import Assessment, Flag

    # 九江's published 2025 assessment of its counties (issue #15, anquan/demo/assessments.py)
    assessment = Assessment.objects.get(status="published")
    assert assessment.scores.count() == 13
    assert Flag.objects.filter(assessment=assessment, colour="red").exists()
    client = Client()
    assert client.post("/login/", {"username": "lianxi", "password": "Anquan@2026"}).status_code == 302
    home = client.get("/").content.decode()
    assert "濂溪区" in home and "未销号隐患" in home
    # two inspections planned for the demo inspector, today's first in the inspector's to-do
    inspector = Client()
    assert inspector.post("/login/", {"username": "inspector", "password": "Anquan@2026"}).status_code == 302
    mine = inspector.get("/inspections/mine/").content.decode()
    assert mine.count("进入检查") == 2 and "江西化工集团九江有限公司" in mine
    assert "今日待检查的企业" in inspector.get("/todo/").content.decode()
    call_command("demo", enterprises=300)  # running it again changes nothing
    assert Enterprise.objects.count() == 301


def test_demo_enterprises_have_reported_their_risks_this_year(demo):
    from django.utils import timezone

    from anquan.riskreports.models import RiskReport

    year = timezone.localdate().year
    statuses = set(RiskReport.objects.filter(year=year).values_list("status", flat=True))
    assert {"submitted", "accepted"} <= statuses and "draft" not in statuses
    assert not RiskReport.objects.filter(enterprise__name="江西化工集团九江有限公司").exists()
    assert all(r.snapshot["year"] == year for r in RiskReport.objects.all())
    assert verify().ok


def test_demo_has_two_cases_at_different_stages(demo):
    """The demo county's two cases: one opened on 2026-01-31 (Order 15: 30 days) in execution with a late
    payment's surcharge, one recent case in 调查取证 with its limit near (in the investigators' to-do)."""
    old, new = EnforcementCase.objects.order_by("opened_on")
    assert (old.status, old.time_limit_days, old.rules_version.verified) == ("executing", 30, "verified")
    payment = old.payments.get()
    assert (payment.days_late, payment.surcharge_yuan) == (5, Decimal("9000.00"))  # 5 × 3 % × 60 000
    assert (new.status, new.time_limit_days, new.rules_version.verified) == ("investigating", 90, "not_found")
    inspector = User.objects.get(username="inspector")
    assert {i.kind for i in items_for(inspector)} >= {"cases.investigate", "cases.due_soon", "cases.execute"}


def test_the_demo_countys_top_five_are_explained(demo):
    """The must-show of issue #13: the targeting list of the demo county (濂溪区) with its top five explained,
    and the demo's draft plan of 濂溪区应急管理局 (6 × 247 − 120 − 300 = 1062 supervision days)."""
    found, _ = inspection_plans.targets(
        User.objects.get(username="lianxi"), Region.objects.get(code="360402")
    )
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
