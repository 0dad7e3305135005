"""The dual-prevention figures of the overview page for a supervisor's scope: enterprises by risk level,
risk points (and major-risk points), enterprises with major hazard installations by grade, this year's
risk-report coverage and the control checks missed in the last 7 days."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from anquan.accounts.models import User
from anquan.checks import services as tasks
from anquan.checks.choices import TaskStatus
from anquan.checks.models import CheckTask
from anquan.core.scope import restrict
from anquan.enterprises.choices import Status
from anquan.enterprises.models import Enterprise
from anquan.majorhazards import services as installations_module
from anquan.majorhazards.models import MajorHazardInstallation
from anquan.riskpoints import levels
from anquan.riskpoints import services as points
from anquan.riskpoints.models import RiskPoint, SitePlan
from anquan.riskreports import coverage as report_coverage
from anquan.riskreports.models import RiskReport
from anquan.standards.choices import RiskLevel


def overview(user: User, now: dt.datetime | None = None) -> dict[str, Any]:
    today = timezone.localdate(now or timezone.now())
    enterprises = restrict(Enterprise, user).exclude(status=Status.CLOSED)
    point_counts = restrict(RiskPoint, user).aggregate(
        total=Count("pk"), red=Count("pk", filter=Q(current_level=RiskLevel.RED))
    )
    # 管控到位: a major-risk point with no control measure recorded is not
    point_counts["red_uncontrolled"] = points.without_measures(
        restrict(RiskPoint, user).filter(current_level=RiskLevel.RED)
    ).count()
    installations = restrict(MajorHazardInstallation, user).filter(is_major=True)
    major = installations.aggregate(
        grade12=Count("enterprise", distinct=True, filter=Q(grade__in=(1, 2))),
        grade34=Count("enterprise", distinct=True, filter=Q(grade__in=(3, 4))),
        installations=Count("pk"),
        persons_incomplete=Count("pk", filter=installations_module.persons_incomplete()),
    )
    week_ago = today - dt.timedelta(days=6)
    missed = (
        restrict(CheckTask, user)
        .filter(tasks.in_range(week_ago, today), status=TaskStatus.MISSED)
        .aggregate(n=Count("pk"), enterprises=Count("enterprise", distinct=True))
    )
    assert user.region is not None, "the risk overview is for a user with an area (overview.views checks)"
    coverage = report_coverage.coverage_total(user, user.region, today.year)
    counts = levels.level_counts(enterprises)
    return {
        "levels": {**counts, "unassessed": counts[""]},
        "points": point_counts,
        "major": major,
        "missed": missed,
        "coverage": coverage,
        "year": today.year,
    }


def enterprise_summary(user: User, enterprise: Enterprise, now: dt.datetime | None = None) -> dict[str, Any]:
    """The risk side of one enterprise's page: its level (and the rule), points by level, major hazard
    installations, site plans and this year's risk report, each read through the user's scope."""

    year = timezone.localdate(now or timezone.now()).year
    own_points = restrict(RiskPoint, user).filter(enterprise=enterprise)
    counts = {
        row["current_level"]: row["n"] for row in own_points.values("current_level").annotate(n=Count("pk"))
    }
    return {
        "level": enterprise.risk_level,
        "rule": levels.RULE_TEXT,
        "points": [(lv.value, counts.get(lv.value, 0)) for lv in RiskLevel] + [("", counts.get("", 0))],
        "points_total": sum(counts.values()),
        "installations": list(
            restrict(MajorHazardInstallation, user)
            .filter(enterprise=enterprise, is_major=True)
            .order_by("grade")
        ),
        "site_plans": restrict(SitePlan, user).filter(enterprise=enterprise).count(),
        "report": restrict(RiskReport, user).filter(enterprise=enterprise, year=year).first(),
        "year": year,
    }
