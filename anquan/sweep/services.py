"""The periodic jobs (`anquan sweep`, and the background worker, which calls `sweep()` every few minutes).

The runner only orchestrates; each domain keeps its rules:
- hazards (`anquan.hazards.deadlines`): reminders 3 working days before and on the deadline, overdue marks,
  escalation of overdue major hazards, progress-report reminders for listed hazards;
- checks, riskpoints (`anquan.checks.services.run`, `anquan.riskpoints.reassessment.remind`): control check tasks, re-assessment
  reminders;
- files (`anquan.core.orphans.daily`): once a local day, the removal of orphaned uploads;
- audit (`anquan.core.audit.chain_pending`, once it exists): link the entries written meanwhile into the chain;
- monitoring (`anquan.monitoring.partitions.ensure`, `retention.rollup`, `retention.prune`): the coming days'
  reading partitions, the per-minute and per-hour roll-ups of the closed buckets, raw readings and minute roll-ups
  past their retention dropped.

No transaction is held across the run, so a province-scale sweep never blocks user writes: the candidates are
read by keyset pages of ids (each page its own autocommit query) and every item is its own short transaction
with a compare-and-set (see `anquan.hazards.deadlines`). An item that another transaction holds or has changed
meanwhile is skipped and seen again by the next run; an item or job that fails is logged and reported, and the
run goes on with the rest. Safe to run as often as wanted: every notification carries a key, so a repeated run
sends nothing twice."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone

from anquan.core import audit, orphans
from anquan.hazards import deadlines

if TYPE_CHECKING:
    from anquan.checks.services import TaskRun

logger = logging.getLogger(__name__)

PAGE = 500  # ids read per keyset page


@dataclass
class Failure:
    job: str  # e.g. "hazard deadlines", "check tasks"
    key: Any  # the item's id, or None for a whole job
    error: str


@dataclass
class SweepResult:
    reminded: list[int] = field(default_factory=list)
    due_today: list[int] = field(default_factory=list)
    marked_overdue: list[int] = field(default_factory=list)
    escalated: list[int] = field(default_factory=list)
    progress_due: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # hazards locked or changed by someone else meanwhile
    check_tasks: TaskRun | None = None  # anquan.checks.services.TaskRun: control tasks made and marked missed
    reassessment: list[int] = field(default_factory=list)  # risk points whose re-assessment is due
    uploads: orphans.CleanupResult | None = (
        None  # anquan.core.orphans.CleanupResult, None when already cleaned today
    )
    readings: str = ""  # monitoring: partitions made, roll-up rows written, days of raw readings dropped
    failed: list[Failure] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        checks = self.check_tasks
        return (
            f"hazards: reminded {len(self.reminded)}, due today {len(self.due_today)}, "
            f"overdue {len(self.marked_overdue)}, escalated {len(self.escalated)}, "
            f"progress reports due {len(self.progress_due)}, "
            f"skipped (changed or locked meanwhile) {len(self.skipped)}; "
            + (
                f"check tasks: created {len(checks.created)}, missed {len(checks.missed)} "
                f"(enterprises notified {len(checks.notified.get('enterprises', []))}, "
                f"supervisors of {len(checks.notified.get('supervised', []))}); "
                if checks is not None
                else "check tasks: not run; "
            )
            + f"risk points due for re-assessment notified {len(self.reassessment)}; "
            + (
                f"uploads: {self.uploads.summary()}"
                if self.uploads is not None
                else "uploads: already cleaned today"
            )
            + (f"; readings: {self.readings}" if self.readings else "")
            + f"; {len(self.failed)} failed; {self.seconds:.1f} s"
        )


def pages(queryset: QuerySet[Any], *fields: str, size: int = PAGE) -> Iterator[list[Any]]:
    """`queryset` in ascending id order, a page at a time (`id > last` … `LIMIT size`, each page its own
    autocommit query), so no cursor or transaction stays open while the caller works on a page. With `fields`
    (the first being "pk") each row is a tuple of them, without, an id."""
    last = 0
    while True:
        query = queryset.filter(pk__gt=last).order_by("pk")
        rows = list((query.values_list(*fields) if fields else query.values_list("pk", flat=True))[:size])
        if rows:
            yield rows
        if len(rows) < size:
            return
        last = rows[-1][0] if fields else rows[-1]


def _guarded(result: SweepResult, job: str, key: Any, run: Callable[[], Any]) -> Any:
    """`run()`, or None when it raised: the failure is logged and reported, and the sweep goes on."""
    try:
        return run()
    except Exception as exc:
        logger.exception("sweep: %s %s failed", job, key if key is not None else "")
        result.failed.append(Failure(job, key, f"{type(exc).__name__}: {exc}"))
        return None


def sweep(now: dt.datetime | None = None) -> SweepResult:
    started = time.monotonic()
    now = now or timezone.now()
    today = timezone.localdate(now)
    result = SweepResult()

    for page in pages(deadlines.candidates(today), *deadlines.SEEN_FIELDS):
        seen = [deadlines.Seen(*row) for row in page]
        reminders = _guarded(result, "hazard reminders", seen[0].pk, partial(deadlines.remind, seen, now))
        if reminders is not None:
            result.reminded += reminders[0]
            result.due_today += reminders[1]
            result.skipped += reminders[2]
        for item in seen:
            if not deadlines.needs_marking(item, today):
                continue
            out = _guarded(result, "hazard deadlines", item.pk, partial(deadlines.mark, item, now))
            if out is None:
                continue
            for name in ("marked_overdue", "escalated", "skipped"):
                if getattr(out, name):
                    getattr(result, name).append(item.pk)

    for page in pages(deadlines.listings()):
        for pk in page:
            hazard = _guarded(result, "progress reports", pk, partial(deadlines.remind_progress, pk, today))
            if hazard is not None:
                result.progress_due.append(hazard)

    from anquan.checks.services import run as run_check_tasks
    from anquan.riskpoints.reassessment import remind as remind_reassessment

    result.check_tasks = _guarded(result, "check tasks", None, lambda: run_check_tasks(now))
    from anquan.grids.services import run as run_patrols  # issue #14: patrol tasks made, ended ones missed

    _guarded(result, "patrol tasks", None, lambda: run_patrols(now))
    from anquan.letters.services import (
        mark_overdue as letters_overdue,
    )  # issue #15: replies past their due day

    _guarded(result, "letters overdue", None, lambda: letters_overdue(today))
    from anquan.campaigns.dispatching import close_due  # issue #15: dispatches closed a week after due

    _guarded(result, "dispatches", None, lambda: close_due(today))
    from anquan.campaigns.workflow import mark_overdue as campaign_tasks_overdue  # issue #15

    _guarded(result, "campaign tasks", None, lambda: campaign_tasks_overdue(now))
    from anquan.emergency.actions import lapse_due  # issue #17 (plans17): plans filed by lapse of time

    _guarded(result, "emergency plan filing", None, lambda: lapse_due(today, now))
    from anquan.monitoring import (
        partitions,
        retention,
    )  # issue #16: readings' partitions, roll-ups, retention

    made = _guarded(result, "reading partitions", None, partitions.ensure) or []
    rolled = _guarded(result, "reading roll-ups", None, lambda: retention.rollup(now))
    pruned = _guarded(result, "reading retention", None, lambda: retention.prune(today))
    result.readings = (
        f"{len(made)} day partitions made"
        + (f", roll-ups {rolled.minute_rows} minute / {rolled.hour_rows} hour rows" if rolled else "")
        + (
            f", raw readings before {pruned.raw_before} dropped ({len(pruned.days_dropped)} partitions, "
            f"{pruned.raw_deleted} rows)"
            if pruned
            else ""
        )
    )
    result.reassessment = _guarded(result, "re-assessment", None, lambda: remind_reassessment(now)) or []
    # a removed file cannot be rolled back: orphans.daily audits each removal as it goes
    result.uploads = _guarded(result, "uploads", None, lambda: orphans.daily(now))

    chain_pending = getattr(audit, "chain_pending", None)  # the audit chainer, once it exists
    if chain_pending is not None:
        _guarded(result, "audit chain", None, chain_pending)
    result.seconds = time.monotonic() - started
    return result
