"""The lists and figures of emergency readiness, computed for the plans in a user's scope on a day `on`:

- drills: each current plan's last drill (or, before any, its publication) plus its interval by the rule in force —
  comprehensive or special plans 12 months, on-site disposal plans 6, any plan of a high-risk unit 6 (Order 2 art. 33;
  Decree 708 art. 8 para. 2), a government's or department's plan 24 (Decree 708 art. 8 para. 1) — is its next
  drill's due date; a unit is overdue when one of its plans' due dates has passed;
- evaluation: the plans of the listed units evaluated (or published) more than 3 years ago (art. 35);
- filing: plans of the units that must file, not filed within 20 working days of publication (art. 26); revisions
  changing what art. 37 lists waiting to be re-filed; the units that must file with no filed plan."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet

from anquan.core.scope import restrict, within
from anquan.core.workdays import add_working_days
from anquan.enterprises.choices import Scale
from anquan.enterprises.choices import Status as EnterpriseStatus
from anquan.enterprises.models import Enterprise
from anquan.rules.services import in_force

from . import rules
from .choices import CURRENT, PlanKind, PlanStatus
from .models import Drill, EmergencyPlan


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it has no such day: 08-31 + 6 months = 02-28)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def plans(user: Any, region: str = "") -> QuerySet[EmergencyPlan]:
    qs = restrict(EmergencyPlan, user).select_related(
        "enterprise", "enterprise__industry", "region", "filed_with", "owner_department"
    )
    return qs.filter(within(region)) if region else qs


def drill_months(plan: EmergencyPlan, figures: rules.DrillFigures) -> int:
    """The longest interval between two drills of `plan` (months)."""
    if plan.enterprise is None:
        return figures.government_months  # Decree 708 art. 8 para. 1: at least every 2 years
    months = {
        PlanKind.COMPREHENSIVE: figures.comprehensive_months,
        PlanKind.SPECIAL: figures.special_months,
        PlanKind.ON_SITE: figures.on_site_months,
    }[PlanKind(plan.kind)]
    if plan.enterprise.industry.code in figures.high_risk_industries:  # Decree 708 art. 8 para. 2
        months = min(months, figures.high_risk_months)
    return months


@dataclass
class DrillDue:
    plan: EmergencyPlan
    last_drill: dt.date | None
    due_on: dt.date
    months: int

    @property
    def owner(self) -> str:
        return self.plan.owner_label


def drills_due(qs: QuerySet[EmergencyPlan], on: dt.date) -> list[DrillDue]:
    """Every current plan's next drill due date, seen on `on` (drills after `on` are not counted)."""
    figures: rules.DrillFigures = in_force(rules.DRILLS, on).typed
    rows = qs.filter(status__in=CURRENT, published_on__lte=on).annotate(
        last=Max("drills__held_on", filter=Q(drills__held_on__lte=on))
    )
    out = []
    for plan in rows:
        months = drill_months(plan, figures)
        out.append(DrillDue(plan, plan.last, add_months(plan.last or plan.published_on, months), months))
    return out


@dataclass
class OverdueUnit:
    key: str  # "e<enterprise id>" or "g<region code>-<department id>"
    owner: str
    region: str
    due_on: dt.date  # the earliest passed due date of its plans
    plans: list[DrillDue]


def overdue_units(qs: QuerySet[EmergencyPlan], on: dt.date) -> list[OverdueUnit]:
    """The units with a plan whose drill is overdue on `on`, the longest overdue first."""
    units: dict[str, OverdueUnit] = {}
    for due in drills_due(qs, on):
        if due.due_on >= on:
            continue
        p = due.plan
        key = f"e{p.enterprise_id}" if p.enterprise_id else f"g{p.region_code}-{p.owner_department_id or 0}"
        unit = units.setdefault(key, OverdueUnit(key, p.owner_label, p.region.name, due.due_on, []))
        unit.due_on = min(unit.due_on, due.due_on)
        unit.plans.append(due)
    return sorted(units.values(), key=lambda u: (u.due_on, u.owner))


@dataclass
class EvaluationDue:
    plan: EmergencyPlan
    since: dt.date
    due_on: dt.date


def must_evaluate(plan: EmergencyPlan, figures: rules.PlanFigures) -> bool:
    e = plan.enterprise
    if e is None:
        return False
    return e.industry.code in figures.evaluation_industries or (
        figures.evaluation_above_scale and e.scale == Scale.ABOVE
    )


def evaluations_due(qs: QuerySet[EmergencyPlan], on: dt.date, *, within_days: int = 0) -> list[EvaluationDue]:
    """Plans of the listed units whose 3-yearly evaluation (Order 2 art. 35) is due by `on` (+ `within_days`)."""
    figures: rules.PlanFigures = in_force(rules.PLANS, on).typed
    out = []
    for plan in qs.filter(status__in=CURRENT, enterprise__isnull=False):
        if not must_evaluate(plan, figures):
            continue
        since = plan.last_evaluated_on or plan.published_on
        due = add_months(since, 12 * figures.evaluation_years)
        if due <= on + dt.timedelta(days=within_days):
            out.append(EvaluationDue(plan, since, due))
    return sorted(out, key=lambda d: d.due_on)


@dataclass
class FilingLate:
    plan: EmergencyPlan
    due_on: dt.date


def must_file(plan: EmergencyPlan, figures: rules.PlanFigures) -> bool:
    return plan.enterprise is not None and plan.enterprise.industry.code in figures.filing_industries


def filing_late(qs: QuerySet[EmergencyPlan], on: dt.date) -> list[FilingLate]:
    """Plans of the units that must file, not submitted (or returned and not resubmitted) within 20 working days of
    publication (Order 2 art. 26, Decree 708 art. 7)."""
    figures: rules.PlanFigures = in_force(rules.PLANS, on).typed
    out = []
    for plan in qs.filter(status__in=(PlanStatus.DRAFT, PlanStatus.RETURNED), enterprise__isnull=False):
        if not must_file(plan, figures):
            continue
        due = add_working_days(plan.published_on, figures.filing_due_working_days)
        if due < on:
            out.append(FilingLate(plan, due))
    return sorted(out, key=lambda f: f.due_on)


def refiling_due(qs: QuerySet[EmergencyPlan]) -> QuerySet[EmergencyPlan]:
    """Revisions that change what art. 37 lists, not filed again yet."""
    return qs.filter(
        supersedes__isnull=False, status__in=(PlanStatus.DRAFT, PlanStatus.RETURNED, PlanStatus.SUBMITTED)
    ).exclude(refiling_changes=[])


def units_without_filed_plan(user: Any, on: dt.date, region: str = "") -> QuerySet[Enterprise]:
    """Operating enterprises that must file a plan (the listed units) with no filed plan in force."""
    figures: rules.PlanFigures = in_force(rules.PLANS, on).typed
    filed = EmergencyPlan.objects.filter(status=PlanStatus.FILED, enterprise__isnull=False).values(
        "enterprise_id"
    )
    qs = restrict(Enterprise, user).filter(
        status=EnterpriseStatus.OPERATING, industry__code__in=figures.filing_industries
    )
    if region:
        qs = qs.filter(within(region))
    return qs.exclude(pk__in=filed).select_related("region", "industry")


def statistics(user: Any, region: str, on: dt.date) -> dict[str, Any]:
    qs = plans(user, region)
    counts = qs.aggregate(
        filed=Count("pk", filter=Q(status=PlanStatus.FILED)),
        lapsed=Count("pk", filter=Q(status=PlanStatus.FILED, filed_by_lapse=True)),
        returned=Count("pk", filter=Q(status=PlanStatus.RETURNED)),
        awaiting=Count("pk", filter=Q(status=PlanStatus.SUBMITTED)),
        draft=Count("pk", filter=Q(status=PlanStatus.DRAFT)),
    )
    drills = restrict(Drill, user).filter(held_on__year=on.year, held_on__lte=on)
    if region:
        drills = drills.filter(within(region, "plan__region_code"))
    return {
        "plans_filed": counts["filed"],
        "plans_filed_by_lapse": counts["lapsed"],
        "plans_returned": counts["returned"],
        "plans_awaiting": counts["awaiting"],
        "plans_draft": counts["draft"],
        "units_without_filed_plan": units_without_filed_plan(user, on, region).count(),
        "evaluations_overdue": len([d for d in evaluations_due(qs, on) if d.due_on < on]),
        "filing_late": len(filing_late(qs, on)),
        "refiling_due": refiling_due(qs).count(),
        "drills_this_year": drills.count(),
        "units_overdue_drill": len(overdue_units(qs, on)),
    }


def overdue_drill_q(on: dt.date) -> Q:
    """The same rule as `drills_due` as one condition on plans (the to-do badge counts it in its one query): a current
    plan published before its interval's cutoff and with no drill since."""
    from django.db.models import Exists, OuterRef

    figures: rules.DrillFigures = in_force(rules.DRILLS, on).typed

    def late(months: int) -> Q:
        cutoff = add_months(on, -months)
        drilled = Drill.objects.filter(plan=OuterRef("pk"), held_on__gte=cutoff, held_on__lte=on)
        return Q(published_on__lt=cutoff) & ~Q(Exists(drilled))

    high = Q(enterprise__industry__code__in=figures.high_risk_industries)
    kind_months = {
        PlanKind.COMPREHENSIVE: figures.comprehensive_months,
        PlanKind.SPECIAL: figures.special_months,
        PlanKind.ON_SITE: figures.on_site_months,
    }
    condition = Q(enterprise__isnull=True) & late(figures.government_months)
    for kind, months in kind_months.items():
        ordinary = Q(enterprise__isnull=False, kind=kind) & ~high & late(months)
        risky = Q(enterprise__isnull=False, kind=kind) & high & late(min(months, figures.high_risk_months))
        condition |= ordinary | risky
    return Q(status__in=CURRENT) & condition
