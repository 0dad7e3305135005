"""Patrols done and missed, by township, village and worker (`missed` is the interface the later assessment reads:
COMMON14), and the findings (visits that reported a hazard)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Length, Substr

from anquan.accounts.models import User
from anquan.checks.services import in_range
from anquan.core.scope import within
from anquan.regions.models import Region

from .choices import PatrolStatus
from .models import PatrolTask, PatrolVisit


@dataclass
class Row:
    key: str  # a region code, or a user id as text
    name: str
    total: int = 0
    done: int = 0
    missed: int = 0
    open: int = 0
    findings: int = 0


@dataclass
class Counts:
    date_from: dt.date
    date_to: dt.date
    townships: list[Row] = field(default_factory=list)
    villages: list[Row] = field(default_factory=list)
    workers: list[Row] = field(default_factory=list)
    total: Row = field(default_factory=lambda: Row("", "合计"))


def tasks_in(
    region: Region, start: dt.date, end: dt.date, tasks: QuerySet[PatrolTask] | None = None
) -> QuerySet[PatrolTask]:
    """Tasks of grids inside `region` whose period starts on a local day in [start, end]."""
    base = tasks if tasks is not None else PatrolTask.objects.all()
    return base.filter(within(region.prefix), in_range(start, end))


_COUNTS = {
    "total": Count("id"),
    "done": Count("id", filter=Q(status=PatrolStatus.DONE)),
    "missed": Count("id", filter=Q(status=PatrolStatus.MISSED)),
    "open": Count("id", filter=Q(status=PatrolStatus.OPEN)),
}


def _rows(grouped: QuerySet[Any], key: str, names: dict[str, str]) -> list[Row]:
    rows = [
        Row(str(r[key]), names.get(str(r[key]), str(r[key])), r["total"], r["done"], r["missed"], r["open"])
        for r in grouped
        if r[key]
    ]
    return sorted(rows, key=lambda r: (-r.missed, r.key))


def _findings(qs: QuerySet[PatrolTask], key: str) -> dict[str, int]:
    visits = PatrolVisit.objects.filter(task__in=qs, hazard__isnull=False).order_by()
    if key == "worker":
        grouped = visits.values("visited_by_id").annotate(n=Count("id"))
        return {str(r["visited_by_id"]): r["n"] for r in grouped}
    length = 9 if key == "township" else 12
    grouped = visits.annotate(k=Substr("task__region_code", 1, length)).values("k").annotate(n=Count("id"))
    return {r["k"]: r["n"] for r in grouped}


def missed(region: Region, start: dt.date, end: dt.date, tasks: QuerySet[PatrolTask] | None = None) -> Counts:
    """Patrol tasks, done, missed and still open, with the hazards they found, per township, per village (tasks
    of village grids) and per worker (the task's responsible worker), over the local days [start, end], of the
    grids inside `region` (`tasks`: an already scoped queryset to count from). Most missed first."""
    qs = tasks_in(region, start, end, tasks).order_by()  # no ordering columns in the GROUP BY
    counts = Counts(start, end)
    by_town = qs.annotate(k=Substr("region_code", 1, 9)).values("k").annotate(**_COUNTS)
    by_village = (
        qs.annotate(n=Length("region_code"))
        .filter(n=12)
        .annotate(k=F("region_code"))
        .values("k")
        .annotate(**_COUNTS)
    )
    by_worker = qs.values("worker_id").annotate(**_COUNTS)
    codes = {r["k"] for r in by_town} | {r["k"] for r in by_village}
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    counts.townships = _rows(by_town, "k", names)
    counts.villages = _rows(by_village, "k", names)
    people = {
        str(u.pk): u.full_name or u.username
        for u in User.objects.filter(pk__in=[r["worker_id"] for r in by_worker])
    }
    counts.workers = _rows(by_worker, "worker_id", people)
    for rows, key in (
        (counts.townships, "township"),
        (counts.villages, "village"),
        (counts.workers, "worker"),
    ):
        found = _findings(qs, key)
        for row in rows:
            row.findings = found.get(row.key, 0)
    total = qs.aggregate(**_COUNTS)
    counts.total = Row("", "合计", total["total"], total["done"], total["missed"], total["open"])
    counts.total.findings = PatrolVisit.objects.filter(task__in=qs, hazard__isnull=False).count()
    return counts
