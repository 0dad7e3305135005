"""The risk point list in Excel (issue #18): the list's rows under its filters, streamed as the hazard ledger is
(docs/adr/0052-streamed-exports.md): one `values_list` SELECT, labels from maps made once, the control
measures read once per batch of points (never per row); above settings.EXPORT_BACKGROUND_ROWS rows a job
(anquan.jobs.exports)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook

from anquan.accounts.models import User
from anquan.core.scope import restrict
from anquan.core.xlsx import Column, xlsx_response
from anquan.enterprises.excel import owner
from anquan.jobs import exports, runner
from anquan.jobs.models import Job

from . import filters, reassessment
from .cards import LEVEL_COLOUR_NAMES, LEVEL_LABELS, UNASSESSED_LABEL
from .choices import FactorKind, PointKind
from .models import ControlMeasure, RiskPoint

TITLE = "风险点清单"
COLUMNS = [
    Column("序号", 6),
    Column("风险点名称", 24, wrap=True),
    Column("类型", 8),
    Column("企业名称", 26, wrap=True),
    Column("统一社会信用代码", 21),
    Column("区域", 22, wrap=True),
    Column("位置", 20, wrap=True),
    Column("危险有害因素类别", 20, wrap=True),
    Column("责任人", 10, wrap=True),
    Column("风险等级", 16),
    Column("管控措施（项）", 9),
    Column("管控措施责任人", 20, wrap=True),
    Column("下次评估日期", 12),
    Column("评估到期", 10),
]

FIELDS = (
    "id",
    "name",
    "kind",
    "enterprise__name",
    "enterprise__uscc",
    "enterprise__region__full_name",
    "location",
    "factor_kinds",
    "responsible_person",
    "current_level",
    "next_assessment_due",
)
BATCH = 1000  # points whose measures are read in one query
DUE_WORDS = {"overdue": "已超期", "soon": "即将到期", "": ""}


def level_text(level: str) -> str:
    """重大风险（红色）… as the list's coloured badge says it; 未评价 before the first assessment."""
    return f"{LEVEL_LABELS[level]}（{LEVEL_COLOUR_NAMES[level]}）" if level else UNASSESSED_LABEL


def _batches(rows: Iterable[tuple[Any, ...]], size: int = BATCH) -> Iterator[list[tuple[Any, ...]]]:
    source = iter(rows)
    while batch := list(islice(source, size)):
        yield batch


def _measures(user: User | None, ids: Sequence[int]) -> dict[int, list[str]]:
    """The responsible persons of each point's control measures (one entry per measure, "" when none is named)."""
    found: dict[int, list[str]] = defaultdict(list)
    measures = (
        restrict(ControlMeasure, user).filter(point_id__in=ids).order_by("point_id", "tier", "kind", "id")
    )
    for point, person in measures.values_list("point_id", "responsible_person"):
        found[point].append(person)
    return found


def rows(queryset: QuerySet[RiskPoint], user: User | None) -> Iterator[list[Any]]:
    """The list's rows as the list and the point's page show them: labels in Chinese, the level with its colour,
    the number of control measures and who is responsible for them."""
    kinds = {value: str(label) for value, label in PointKind.choices}
    factors = {value: str(label) for value, label in FactorKind.choices}
    today = timezone.localdate()
    n = 0
    for batch in _batches(queryset.values_list(*FIELDS).iterator(chunk_size=5000)):
        measures = _measures(user, [row[0] for row in batch])
        for pk, name, kind, enterprise, uscc, region, location, factor_kinds, person, level, due in batch:
            n += 1
            persons = measures.get(pk, [])
            yield [
                n,
                name,
                kinds.get(kind, ""),
                enterprise,
                uscc,
                region,
                location,
                "、".join(factors[k] for k in factor_kinds or () if k in factors),
                person,
                level_text(level),
                len(persons),
                "、".join(dict.fromkeys(p for p in persons if p)),
                due.isoformat() if due else "",
                DUE_WORDS[reassessment.due_state(due, today)],
            ]


def workbook(
    queryset: QuerySet[RiskPoint],
    progress: exports.RowProgress | None = None,
    *,
    user: User | None = None,
    params: Mapping[str, Any] | None = None,
) -> tuple[Workbook, str]:
    """(write-only workbook, file name) of the list `user` sees under `params` (for the title's region)."""
    return exports.workbook(
        TITLE, COLUMNS, rows(queryset, user), owner=owner(user, params), progress=progress
    )


def export_response(
    queryset: QuerySet[RiskPoint], user: User | None = None, params: Mapping[str, Any] | None = None
) -> HttpResponse:
    return xlsx_response(*workbook(queryset, user=user, params=params))


def run_export(job: Job, progress: runner.Progress) -> None:
    """Handler of a queued list export (anquan.jobs): the list its owner sees under the stored filters."""
    values = job.params["filters"]
    qs, _errors = filters.apply(restrict(RiskPoint, job.owner), values)
    rows_ = exports.RowProgress(progress, qs.count())
    exports.finish(job, *workbook(qs, rows_, user=job.owner, params=values))
