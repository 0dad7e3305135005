"""Coverage of a plan: inspected / due by month and by township, and the key enterprises not yet covered.

"Inspected" is counted from completed inspections (the inspections app: an `Inspection` with its enterprise,
the date it was done and status completed). `inspected_pairs` is the one query that reads them; everything
else works on the (enterprise id, date done) pairs it returns, so the arithmetic is tested with given pairs.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

from anquan.core.xlsx import Column, export_filename, export_workbook, ledger_sheet, xlsx_response
from anquan.regions.models import Region

from .models import InspectionPlan, PlanEntry


def inspected_pairs(plan: InspectionPlan) -> list[tuple[int, dt.date]]:
    """(enterprise id, local date done) of every completed inspection of the plan's key enterprises in its year,
    by any unit (an enterprise inspected is covered, whoever inspected it), in one query."""
    from django.utils import timezone

    from anquan.inspections.choices import Status
    from anquan.inspections.models import Inspection

    rows = Inspection.objects.filter(
        enterprise__in=plan.entries.values("enterprise"), status=Status.DONE, done_at__isnull=False
    ).values_list("enterprise_id", "done_at")
    pairs = [(enterprise, timezone.localtime(at).date()) for enterprise, at in rows]
    return [(enterprise, day) for enterprise, day in pairs if day.year == plan.year]


@dataclass
class Row:
    key: str  # month "1".."12" or township code
    label: str
    due: int = 0  # inspections due (by the end of the month: cumulative; by township: the year's)
    done: int = 0  # inspections done that count against what is due (an enterprise's extra ones do not)
    enterprises: int = 0
    covered: int = 0  # key enterprises inspected at least once

    @property
    def rate(self) -> float | None:
        return round(self.done * 100 / self.due, 1) if self.due else None

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "due": self.due,
            "done": self.done,
            "rate": self.rate,
            "enterprises": self.enterprises,
            "covered": self.covered,
        }


@dataclass
class Coverage:
    months: list[Row]
    townships: list[Row]
    total: Row
    uncovered: list[PlanEntry] = field(default_factory=list)


def due_by_month(frequency: int, month: int) -> int:
    """Inspections of a key enterprise due by the end of `month`: its yearly frequency spread evenly,
    rounded up (4 a year: 1 by March, 2 by June, 3 by September, 4 by December)."""
    return math.ceil(frequency * month / 12)


def coverage(plan: InspectionPlan, pairs: Iterable[tuple[int, dt.date]]) -> Coverage:
    entries = list(
        plan.entries.select_related("enterprise", "enterprise__region").order_by("-score", "enterprise_id")
    )
    done_months: dict[int, list[int]] = defaultdict(list)
    for enterprise_id, day in pairs:
        if day.year == plan.year:
            done_months[enterprise_id].append(day.month)
    months = [Row(str(m), f"{m}月") for m in range(1, 13)]
    for e in entries:
        by_month = Counter(done_months.get(e.enterprise_id, []))
        running = 0
        for row in months:
            running += by_month.get(int(row.key), 0)
            row.due += due_by_month(e.frequency, int(row.key))
            row.done += min(running, e.frequency)
    names = dict(
        Region.objects.filter(code__in={e.township_code for e in entries}).values_list("code", "name")
    )
    towns: dict[str, Row] = {}
    total = Row("", "合计")
    for e in entries:
        done = min(len(done_months.get(e.enterprise_id, [])), e.frequency)
        for row in (
            towns.setdefault(e.township_code, Row(e.township_code, names.get(e.township_code, "—"))),
            total,
        ):
            row.due += e.frequency
            row.done += done
            row.enterprises += 1
            row.covered += 1 if done_months.get(e.enterprise_id) else 0
    uncovered = [e for e in entries if e.frequency and not done_months.get(e.enterprise_id)]
    return Coverage(months, sorted(towns.values(), key=lambda r: r.key), total, uncovered)


def as_of_month(plan: InspectionPlan, today: dt.date | None = None) -> int:
    """The month up to which the plan is judged: December for a past year, 0 before the year starts."""
    today = today or timezone.localdate()
    return 12 if today.year > plan.year else 0 if today.year < plan.year else today.month


UNCOVERED_COLUMNS = [
    Column("序号", 6),
    Column("单位名称", 30, wrap=True),
    Column("统一社会信用代码", 21),
    Column("所在区域", 24, wrap=True),
    Column("分档", 8),
    Column("得分", 7),
    Column("年度检查次数", 12),
    Column("主要风险因素", 40, wrap=True),
    Column("主要负责人", 11),
    Column("主要负责人电话", 15),
]


def uncovered_export(plan: InspectionPlan, data: Coverage) -> HttpResponse:
    wb = export_workbook()
    title = f"{plan.year}年度监督检查计划未覆盖重点企业名单"
    owner = f"{plan.region.name}{plan.department.name}"
    ws = ledger_sheet(wb, "未覆盖重点企业", owner=owner, title=title, columns=UNCOVERED_COLUMNS)
    for n, e in enumerate(data.uncovered, 1):
        ws.append(
            [
                n,
                e.enterprise.name,
                e.enterprise.uscc,
                e.enterprise.region.full_name,
                e.get_band_display(),
                e.score,
                e.frequency,
                e.explanation,
                e.enterprise.principal_name,
                e.enterprise.principal_phone,
            ]
        )
    ws.close()
    return xlsx_response(wb, export_filename(owner, title))
