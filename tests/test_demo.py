"""`anquan demo` (the README's first command) builds a working dataset with a login per role."""

import pytest
from django.core.management import call_command
from django.test import Client

from anquan.accidents.models import Accident
from anquan.core.audit import verify
from anquan.demo.enforcement_plans import STORY_TEXTS
from anquan.enterprises import uscc
from anquan.enterprises.models import Enterprise
from anquan.hazards.models import Hazard


@pytest.mark.django_db
def test_demo_builds_jiujiang_with_logins(reference, capsys):
    call_command("demo", enterprises=300, hazards=40, accidents_per_year=12)
    out = capsys.readouterr().out
    assert "Anquan@2026" in out and "lianxi_yjj" in out
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


@pytest.mark.django_db
def test_demo_enterprises_have_reported_their_risks_this_year(reference):
    from django.utils import timezone

    from anquan.riskreports.models import RiskReport

    call_command("demo", enterprises=300, hazards=10, accidents_per_year=4)
    year = timezone.localdate().year
    statuses = set(RiskReport.objects.filter(year=year).values_list("status", flat=True))
    assert {"submitted", "accepted"} <= statuses and "draft" not in statuses
    assert not RiskReport.objects.filter(enterprise__name="江西化工集团九江有限公司").exists()
    assert all(r.snapshot["year"] == year for r in RiskReport.objects.all())
    assert verify().ok
