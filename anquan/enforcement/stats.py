"""Enforcement statistics in the seeds' terms, for any region the user may see and any period (issue #13 item 8):
"检查生产经营单位3396家，查处问题隐患1429处，下达执法文书144份，责令47家停工停产，罚款363.24万元" and
"责令停产整顿企业680家，关闭取缔企业113家，经济处罚5093万元，移送司法机关66人，联合惩戒企业134家".

What each figure counts (all within the user's scope, `core.scope.restrict`, and the region's subtree):
- enterprises inspected: distinct enterprises with an inspection completed (status done) in the period;
- hazards found by inspections: hazards of source `inspection` found in the period;
- documents issued: official documents issued in the period and not voided;
- enterprises ordered to suspend (责令停产停业整顿) / closed (关闭取缔): distinct enterprises of the cases decided
  in the period with that measure (`cases.measures`);
- fines: the sum of the fines decided in the period (万元, two decimals);
- cases opened (立案): cases whose 立案 date is in the period;
- referrals (移送司法机关): people referred to the police by referrals transferred in the period (`people`);
- listed enterprises (联合惩戒): distinct enterprises put on the dishonesty list in the period;
- coverage of the year's plan: key enterprises of the approved plans of the period's last year located in the
  region, and how many of them had an inspection completed in that year up to the period's end.

Inspections, documents and plan entries are placed by their enterprise's region, cases (and their referrals and
listings) by the region stored at 立案, hazards by their own region code. Each figure is one grouped query by
child region, so the number of queries does not grow with the rows (tests/enforcement/test_stats.py).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.http import Http404

from anquan.accidents.phrasing import area_word
from anquan.accidents.stats import parse_period
from anquan.cases.choices import MeasureKind, ReferralStatus, Stage
from anquan.cases.models import CreditListing, EnforcementCase, Referral
from anquan.core import periods
from anquan.core.periods import Span
from anquan.core.scope import region_in_scope, restrict, within
from anquan.documents.choices import Status as DocumentStatus
from anquan.documents.models import Document
from anquan.enterprises.models import Enterprise
from anquan.hazards.choices import Source as HazardSource
from anquan.hazards.models import Hazard
from anquan.inspectionplans.choices import PlanStatus
from anquan.inspectionplans.models import PlanEntry
from anquan.inspections.choices import Status as InspectionStatus
from anquan.inspections.models import Inspection
from anquan.regions.models import Region

# a case whose penalty has been decided: from 决定 to 结案
DECIDED = (Stage.DECIDED, Stage.EXECUTING, Stage.CLOSING, Stage.CLOSED)
# a referral handed to the police (移送): transferred, and later answered
TRANSFERRED = (ReferralStatus.TRANSFERRED, ReferralStatus.ANSWERED)
WAN = Decimal(10_000)
CENT = Decimal("0.01")


def wan_yuan(yuan: Decimal) -> str:
    """363.24 for 3 632 400 yuan: 万元 with two decimals, as the seeds state fines."""
    return str((Decimal(yuan) / WAN).quantize(CENT, ROUND_HALF_UP))


@dataclass
class Figures:
    """The figures of one area."""

    inspected_enterprises: int = 0
    inspection_hazards: int = 0
    documents: int = 0
    suspended_enterprises: int = 0
    closed_enterprises: int = 0
    fines_yuan: Decimal = Decimal(0)
    cases_opened: int = 0
    referred_people: int = 0
    listed_enterprises: int = 0
    plan_enterprises: int = 0
    plan_covered: int = 0

    @property
    def fines_wan_yuan(self) -> str:
        return wan_yuan(self.fines_yuan)

    @property
    def coverage_rate(self) -> float | None:
        """Key enterprises inspected ÷ key enterprises of the plans, in %, one decimal; no plan → None."""
        return round(self.plan_covered * 100 / self.plan_enterprises, 1) if self.plan_enterprises else None

    def as_json(self) -> dict[str, Any]:
        return {
            "inspected_enterprises": self.inspected_enterprises,
            "inspection_hazards": self.inspection_hazards,
            "documents": self.documents,
            "suspended_enterprises": self.suspended_enterprises,
            "closed_enterprises": self.closed_enterprises,
            "fines_wan_yuan": self.fines_wan_yuan,
            "cases_opened": self.cases_opened,
            "referred_people": self.referred_people,
            "listed_enterprises": self.listed_enterprises,
            "plan_enterprises": self.plan_enterprises,
            "plan_covered": self.plan_covered,
            "coverage_rate": self.coverage_rate,
        }


@dataclass
class Grouping:
    """How rows are put into the region's child areas: by the first `length` characters of their region code."""

    region: Region
    children: list[Region] = field(default_factory=list)

    @property
    def length(self) -> int:
        return len(self.children[0].prefix) if self.children else len(self.region.prefix)

    def key(self, code_field: str) -> Substr:
        return Substr(code_field, 1, self.length)


# ---- the figures, one grouped query each ----------------------------------------------------------


def _counted(qs: QuerySet[Any], grouping: Grouping, code_field: str, value: Any) -> dict[str, int]:
    rows = qs.order_by().annotate(k=grouping.key(code_field)).values("k").annotate(n=value)
    return {r["k"]: int(r["n"] or 0) for r in rows}


def _inspected(user: Any, g: Grouping, span: Span) -> dict[str, int]:
    qs = restrict(Inspection, user).filter(
        within(g.region.prefix, "enterprise__region_code"),
        status=InspectionStatus.DONE,
        done_at__date__gte=span.start,
        done_at__date__lte=span.end,
    )
    return _counted(qs, g, "enterprise__region_code", Count("enterprise_id", distinct=True))


def _hazards(user: Any, g: Grouping, span: Span) -> dict[str, int]:
    qs = restrict(Hazard, user).filter(
        within(g.region.prefix),
        source=HazardSource.INSPECTION,
        found_at__date__gte=span.start,
        found_at__date__lte=span.end,
    )
    return _counted(qs, g, "region_code", Count("id"))


def _documents(user: Any, g: Grouping, span: Span) -> dict[str, int]:
    qs = restrict(Document, user).filter(
        within(g.region.prefix, "enterprise__region_code"),
        status=DocumentStatus.ISSUED,
        issued_at__date__gte=span.start,
        issued_at__date__lte=span.end,
    )
    return _counted(qs, g, "enterprise__region_code", Count("id"))


def _opened(user: Any, g: Grouping, span: Span) -> dict[str, int]:
    qs = restrict(EnforcementCase, user).filter(
        within(g.region.prefix), opened_on__gte=span.start, opened_on__lte=span.end
    )
    return _counted(qs, g, "region_code", Count("id"))


def people_counted() -> Any:
    """What one referral counts in people: the people it names (`Referral.person_count`; at least one)."""
    return Sum("person_count")


def _referred(user: Any, g: Grouping, span: Span) -> dict[str, int]:
    qs = restrict(Referral, user).filter(
        within(g.region.prefix, "case__region_code"),
        status__in=TRANSFERRED,
        transferred_at__date__gte=span.start,
        transferred_at__date__lte=span.end,
    )
    return _counted(qs, g, "case__region_code", people_counted())


@dataclass
class Decisions:
    """Per area key: enterprises ordered to suspend, enterprises closed, fines; and the sets over all areas."""

    suspended: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    closed: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    fines: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))


def _decisions(user: Any, g: Grouping, span: Span) -> Decisions:
    """One query over the cases decided in the period: the measures are a JSON list, read here (a JSON
    containment lookup is not available on SQLite)."""
    rows = (
        restrict(EnforcementCase, user)
        .filter(
            within(g.region.prefix),
            status__in=DECIDED,
            decided_on__gte=span.start,
            decided_on__lte=span.end,
        )
        .order_by()
        .values_list("enterprise_id", "region_code", "measures", "fine_total_yuan")
    )
    out = Decisions()
    for enterprise, code, measures, fine in rows:
        key = code[: g.length]
        kinds = {m.get("kind") for m in measures or [] if isinstance(m, dict)}
        if MeasureKind.SUSPEND.value in kinds:
            out.suspended[key].add(enterprise)
        if MeasureKind.CLOSE.value in kinds:
            out.closed[key].add(enterprise)
        out.fines[key] += Decimal(fine or 0)
    return out


def _listed(user: Any, g: Grouping, span: Span) -> dict[str, set[int]]:
    rows = (
        restrict(CreditListing, user)
        .filter(
            within(g.region.prefix, "case__region_code"),
            listed_on__gte=span.start,
            listed_on__lte=span.end,
        )
        .order_by()
        .values_list("case__enterprise_id", "case__region_code")
        .distinct()
    )
    out: dict[str, set[int]] = defaultdict(set)
    for enterprise, code in rows:
        out[code[: g.length]].add(enterprise)
    return out


def _coverage(user: Any, g: Grouping, span: Span) -> dict[str, tuple[int, int]]:
    """(key enterprises, of them inspected) per area: the entries of the approved plans of the year of the
    period's end, by any unit, for enterprises the user may see; inspected = an inspection completed from
    1 January to the period's end."""
    year = span.end.year
    done = Inspection.objects.filter(
        enterprise=OuterRef("enterprise"),
        status=InspectionStatus.DONE,
        done_at__date__gte=dt.date(year, 1, 1),
        done_at__date__lte=span.end,
    )
    qs = (
        PlanEntry.objects.filter(
            within(g.region.prefix, "enterprise__region_code"),
            plan__status=PlanStatus.APPROVED,
            plan__year=year,
            enterprise__in=restrict(Enterprise, user).values("pk"),
        )
        .annotate(done=Exists(done))
        .order_by()
        .annotate(k=g.key("enterprise__region_code"))
        .values("k")
        .annotate(
            n=Count("enterprise_id", distinct=True),
            covered=Count("enterprise_id", distinct=True, filter=Q(done=True)),
        )
    )
    return {r["k"]: (r["n"], r["covered"]) for r in qs}


# ---- assembling -----------------------------------------------------------------------------------


def resolve_region(user: Any, code: str | None) -> Region:
    """The region named by `code` (blank: the user's own); one outside the user's scope, or unknown, is 404."""
    code = (code or "").strip() or getattr(getattr(user, "region", None), "code", "")
    region = Region.objects.filter(code=code).first() if code else None
    if region is None or not region_in_scope(user, region.code):
        raise Http404
    return region


def _union(sets: Iterable[set[int]]) -> int:
    out: set[int] = set()
    for s in sets:
        out |= s
    return len(out)


def figures_by_area(user: Any, g: Grouping, span: Span) -> tuple[dict[str, Figures], Figures]:
    """(figures per area key, figures of the whole region)."""
    counts = {
        "inspected_enterprises": _inspected(user, g, span),
        "inspection_hazards": _hazards(user, g, span),
        "documents": _documents(user, g, span),
        "cases_opened": _opened(user, g, span),
        "referred_people": _referred(user, g, span),
    }
    decisions = _decisions(user, g, span)
    listed = _listed(user, g, span)
    coverage = _coverage(user, g, span)
    keys = set(decisions.fines) | set(listed) | set(coverage) | {k for c in counts.values() for k in c}
    areas: dict[str, Figures] = {}
    for key in keys:
        f = Figures()
        for name, c in counts.items():
            setattr(f, name, c.get(key, 0))
        f.suspended_enterprises = len(decisions.suspended.get(key, ()))
        f.closed_enterprises = len(decisions.closed.get(key, ()))
        f.fines_yuan = decisions.fines.get(key, Decimal(0))
        f.listed_enterprises = len(listed.get(key, ()))
        f.plan_enterprises, f.plan_covered = coverage.get(key, (0, 0))
        areas[key] = f
    total = Figures()
    for name, c in counts.items():
        setattr(total, name, sum(c.values()))
    total.suspended_enterprises = _union(decisions.suspended.values())
    total.closed_enterprises = _union(decisions.closed.values())
    total.fines_yuan = sum(decisions.fines.values(), Decimal(0))
    total.listed_enterprises = _union(listed.values())
    total.plan_enterprises = sum(n for n, _ in coverage.values())
    total.plan_covered = sum(c for _, c in coverage.values())
    return areas, total


def sentences(region: Region, span: Span, f: Figures) -> dict[str, str]:
    """The figures phrased as the seeds phrase them: "截至12月2日，全区共检查生产经营单位3家，查处问题隐患2处，
    下达执法文书5份，责令1家停工停产，罚款3.50万元。" (`summary`), "立案2起，责令停产整顿企业1家，关闭取缔企业1家，
    经济处罚3.50万元，移送司法机关2人，联合惩戒企业1家。" (`cases`) and the plan's coverage (`coverage`)."""
    label, area = periods.label(span.start, span.end), area_word(region)
    summary = (
        f"{label}，{area}共检查生产经营单位{f.inspected_enterprises}家，查处问题隐患{f.inspection_hazards}处，"
        f"下达执法文书{f.documents}份，责令{f.suspended_enterprises}家停工停产，罚款{f.fines_wan_yuan}万元。"
    )
    cases = (
        f"立案{f.cases_opened}起，责令停产整顿企业{f.suspended_enterprises}家，关闭取缔企业{f.closed_enterprises}家，"
        f"经济处罚{f.fines_wan_yuan}万元，移送司法机关{f.referred_people}人，联合惩戒企业{f.listed_enterprises}家。"
    )
    if f.plan_enterprises:
        coverage = (
            f"{span.end.year}年度执法计划重点企业{f.plan_enterprises}家，已检查{f.plan_covered}家，"
            f"覆盖率{f.coverage_rate}%。"
        )
    else:
        coverage = f"{span.end.year}年度执法计划尚未确定{area}重点企业。"
    return {"summary": summary, "cases": cases, "coverage": coverage}


def for_span(user: Any, region: Region, span: Span) -> dict[str, Any]:
    """The figures of `region` (already checked in scope) and of each child area, with the sentences."""
    g = Grouping(region, list(Region.objects.filter(parent=region).order_by("code")))
    areas, total = figures_by_area(user, g, span)
    items = [
        {"region": c.code, "name": c.name, **areas.get(c.prefix, Figures()).as_json()} for c in g.children
    ]
    return {
        "region": region.code,
        "region_name": region.full_name,
        "from": span.start.isoformat(),
        "to": span.end.isoformat(),
        "label": periods.full_label(span.start, span.end),
        "total": total.as_json(),
        "items": items,
        **sentences(region, span, total),
    }


def compute(user: Any, region_code: str | None, start: Any = None, end: Any = None) -> dict[str, Any]:
    """The API's and the page's answer: region (404 outside the scope), `from` (default 1 January) and `to`
    (default today) checked as the accident statistics check them (422 naming the parameter)."""
    region = resolve_region(user, region_code)
    return for_span(user, region, parse_period(start, end))
