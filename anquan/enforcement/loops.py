"""The three-step loop (检查诊断 → 立案处罚 → 整改复查, issue #13 item 7) counted for a region and its parts.

Counted per inspection in the user's scope (inspections.Inspection, scope through the enterprise) whose enterprise
lies in the region, optionally of one issuing department:

- `findings`: completed inspections with at least one non-compliant item (检查发现问题);
- `awaiting_order`: of those, the ones no rectification order was issued for yet (未下达整改指令);
- `pending`: with a rectification review still pending (待复查); `overdue`: one past its due date (逾期未复查);
- `stuck`: with a review found not rectified and no enforcement case for it (未整改未立案);
- `open` (未闭环): pending or stuck — the loop is closed when every review was recorded and each one found
  not rectified led to a case.

A case belongs to an inspection when it names it (`EnforcementCase.inspection`, the cases app's field) or when
its hazard was found by it. Cases are counted by stage in the region (cases app, its own scope).

With a period (`span`), only the inspections completed in it count (and their reviews), and the cases applied
for in it; without one, all of them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from anquan.cases.choices import OPEN as OPEN_STAGES
from anquan.cases.choices import Stage
from anquan.cases.models import EnforcementCase
from anquan.core.periods import Span
from anquan.core.scope import restrict, within
from anquan.inspections.choices import Result, ReviewStatus, Status
from anquan.inspections.models import Inspection, InspectionItem, RectificationReview
from anquan.orgs.models import Department
from anquan.regions.models import Region

FIGURES = ("findings", "awaiting_order", "pending", "overdue", "stuck", "open")
LIST_LIMIT = 50


@dataclass(frozen=True)
class Row:
    key: str  # a region code or a department id
    name: str
    figures: dict[str, int]
    cases: int  # open enforcement cases


def _cases_for(ref: Any) -> QuerySet[EnforcementCase]:
    return EnforcementCase.objects.filter(Q(inspection=ref) | Q(hazard__inspection_items__inspection=ref))


def inspections(
    user: Any, region: Region, department: int | None = None, span: Span | None = None
) -> QuerySet[Inspection]:
    qs = restrict(Inspection, user).filter(within(region.prefix, "enterprise__region_code"))
    qs = qs.filter(status=Status.DONE)
    if span is not None:
        qs = qs.filter(done_at__date__gte=span.start, done_at__date__lte=span.end)
    return qs.filter(department_id=department) if department else qs


def annotated(qs: QuerySet[Inspection], today: dt.date) -> QuerySet[Inspection]:
    reviews = RectificationReview.objects.filter(inspection=OuterRef("pk"))
    return qs.annotate(
        has_findings=Exists(
            InspectionItem.objects.filter(inspection=OuterRef("pk"), result=Result.NONCOMPLIANT)
        ),
        ordered=Exists(reviews),
        waiting=Exists(reviews.filter(status=ReviewStatus.PENDING)),
        late=Exists(reviews.filter(status=ReviewStatus.PENDING, due_on__lt=today)),
        unrectified=Exists(reviews.filter(status=ReviewStatus.NOT_RECTIFIED)),
        cased=Exists(_cases_for(OuterRef("pk"))),
    )


STUCK = Q(unrectified=True, cased=False)
METRICS = {
    "findings": Count("pk", filter=Q(has_findings=True)),
    "awaiting_order": Count("pk", filter=Q(has_findings=True, ordered=False)),
    "pending": Count("pk", filter=Q(waiting=True)),
    "overdue": Count("pk", filter=Q(late=True)),
    "stuck": Count("pk", filter=STUCK),
    "open": Count("pk", filter=Q(waiting=True) | STUCK),
}


def _figures(values: dict[str, Any]) -> dict[str, int]:
    return {name: int(values.get(name) or 0) for name in FIGURES}


def cases(
    user: Any, region: Region, department: int | None = None, span: Span | None = None
) -> QuerySet[EnforcementCase]:
    qs = restrict(EnforcementCase, user).filter(within(region.prefix))
    if span is not None:
        qs = qs.filter(applied_on__gte=span.start, applied_on__lte=span.end)
    return qs.filter(department_id=department) if department else qs


def totals(
    user: Any,
    region: Region,
    department: int | None = None,
    today: dt.date | None = None,
    span: Span | None = None,
) -> dict[str, int]:
    today = today or timezone.localdate()
    qs = annotated(inspections(user, region, department, span), today).order_by()
    return _figures(qs.aggregate(**METRICS))


def by_stage(
    user: Any, region: Region, department: int | None = None, span: Span | None = None
) -> list[tuple[str, str, int]]:
    """(stage, label, count) of the cases in the region, in the stages' order."""
    grouped = dict(
        cases(user, region, department, span)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [(value, str(label), int(grouped.get(value, 0))) for value, label in Stage.choices]


def by_child(
    user: Any,
    region: Region,
    department: int | None = None,
    today: dt.date | None = None,
    span: Span | None = None,
) -> list[Row]:
    """One row per child region (the townships of a county): the figures and its open cases."""
    today = today or timezone.localdate()
    children = list(Region.objects.filter(parent=region).order_by("code"))
    if not children:
        return []
    length = len(children[0].prefix)
    qs = annotated(inspections(user, region, department, span), today).order_by()
    grouped = {
        r["k"]: r
        for r in qs.annotate(k=Substr("enterprise__region_code", 1, length)).values("k").annotate(**METRICS)
    }
    open_cases = dict(
        cases(user, region, department, span)
        .filter(status__in=OPEN_STAGES)
        .order_by()
        .annotate(k=Substr("region_code", 1, length))
        .values("k")
        .annotate(n=Count("pk"))
        .values_list("k", "n")
    )
    return [
        Row(c.code, c.name, _figures(grouped.get(c.prefix, {})), int(open_cases.get(c.prefix, 0)))
        for c in children
    ]


def by_department(
    user: Any,
    region: Region,
    department: int | None = None,
    today: dt.date | None = None,
    span: Span | None = None,
) -> list[Row]:
    """One row per issuing department with inspections or cases in the region."""
    today = today or timezone.localdate()
    qs = annotated(inspections(user, region, department, span), today).order_by()
    grouped = {r["department_id"]: r for r in qs.values("department_id").annotate(**METRICS)}
    open_cases = dict(
        cases(user, region, department, span)
        .filter(status__in=OPEN_STAGES)
        .order_by()
        .values("department_id")
        .annotate(n=Count("pk"))
        .values_list("department_id", "n")
    )
    ids = set(grouped) | set(open_cases)
    names = dict(Department.objects.filter(pk__in=ids).values_list("pk", "name"))
    return [
        Row(str(pk), names.get(pk, ""), _figures(grouped.get(pk, {})), int(open_cases.get(pk, 0)))
        for pk in sorted(ids, key=lambda k: names.get(k, ""))
    ]


def overdue_reviews(
    user: Any,
    region: Region,
    department: int | None = None,
    today: dt.date | None = None,
    span: Span | None = None,
) -> QuerySet[RectificationReview]:
    """The pending reviews past their due date, the most overdue first."""
    today = today or timezone.localdate()
    qs = restrict(RectificationReview, user).filter(
        within(region.prefix, "inspection__enterprise__region_code"),
        status=ReviewStatus.PENDING,
        due_on__lt=today,
    )
    if department:
        qs = qs.filter(inspection__department_id=department)
    if span is not None:
        qs = qs.filter(inspection__done_at__date__gte=span.start, inspection__done_at__date__lte=span.end)
    return qs.select_related("inspection__enterprise", "inspection__department", "order").order_by(
        "due_on", "id"
    )


def stuck_inspections(
    user: Any,
    region: Region,
    department: int | None = None,
    today: dt.date | None = None,
    span: Span | None = None,
) -> QuerySet[Inspection]:
    """The inspections whose review found the order not rectified and no case followed (the case path waits)."""
    today = today or timezone.localdate()
    qs = annotated(inspections(user, region, department, span), today).filter(STUCK)
    return qs.select_related("enterprise", "department").order_by("done_at", "id")


def period(start: Any, end: Any) -> Span | None:
    """`from`/`to` of the dashboard and its API: none given, no period (everything); otherwise checked as the
    enforcement statistics check them (422 naming the parameter; a missing end defaults to 1 January / today)."""
    from anquan.accidents.stats import parse_period

    if start in (None, "") and end in (None, ""):
        return None
    return parse_period(start, end)
