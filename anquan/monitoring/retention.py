"""Roll-ups and retention of the readings (issue #16 item 6; Decree 40 art. 13: electronic data kept ≥ 30 days).

`rollup(now)` turns raw readings into per-minute aggregates (count, min, max, sum: the mean is sum/count) and
those into per-hour ones, with one `INSERT … SELECT … GROUP BY … ON CONFLICT DO UPDATE` each, on PostgreSQL and
SQLite alike. Only closed buckets are written: minutes before the current one, hours before the current one.
A watermark (`RollupMark` "minute") keeps where the last run stopped, so a run reads only the raw readings from
there on, plus a look-back of `LATE_MINUTES`:

- late readings (a gateway's buffer sent after a short outage) of a minute already rolled up are re-aggregated by
  the next run when they are at most `LATE_MINUTES` older than the watermark: a bucket is recomputed whole from the
  raw rows and replaces the stored one (never added to it), so re-runs are idempotent;
- later ones are stored raw and in the trend of the raw data, but not in the roll-ups until someone runs
  `rollup(now, since=<when the outage began>)` (which recomputes every bucket from `since`);
- hours are recomputed from the minute roll-ups (not the raw rows) for every closed hour the recomputed minutes
  touch.

`prune(today)` drops raw readings older than `raw_retention_days` of the rule `monitoring.operation` (the largest
figure of any version in force, national or a province's: the schema refuses less than 30 days) — on PostgreSQL
whole daily partitions (anquan.monitoring.partitions), on SQLite by batched DELETEs — and minute roll-ups older
than `minute_rollup_days` (default 90 since the 2026-12-02 version, 400 before), hour roll-ups older than
`hour_rollup_days` (default ten years): docs/adr/0044 has the arithmetic.

Both run from the periodic sweep (anquan.sweep.services), each in short autocommit statements: no transaction
stays open across a run."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from anquan.rules import services as rules
from anquan.rules.models import RuleVersion

from . import partitions
from .models import RollupMark
from .rules import MIN_RETENTION_DAYS, OPERATION

logger = logging.getLogger(__name__)

LATE_MINUTES = 15  # how far back each run re-aggregates minutes already rolled up
BATCH = 5000  # rows per DELETE on SQLite
MINUTE, HOUR = "minute", "hour"
HOUR_DAYS_DEFAULT = 3650  # rules.Operation.hour_rollup_days
ROLLUP_COLUMNS = "(point_id, period, bucket, count, min_value, max_value, sum_value, region_code)"
UPSERT = (
    "ON CONFLICT (point_id, period, bucket) DO UPDATE SET count = excluded.count, "
    "min_value = excluded.min_value, max_value = excluded.max_value, sum_value = excluded.sum_value, "
    "region_code = excluded.region_code"
)


@dataclass
class RollupResult:
    minutes_from: dt.datetime | None = None
    minutes_until: dt.datetime | None = None
    minute_rows: int = 0
    hour_rows: int = 0


@dataclass
class PruneResult:
    raw_before: dt.date | None = None
    days_dropped: list[dt.date] = field(default_factory=list)  # PostgreSQL partitions
    raw_deleted: int = 0  # SQLite rows, and stray PostgreSQL rows of the default partition are not counted
    minute_rollups_deleted: int = 0
    hour_rollups_deleted: int = 0


def _floor(moment: dt.datetime, period: str) -> dt.datetime:
    moment = moment.astimezone(dt.UTC).replace(second=0, microsecond=0)
    return moment.replace(minute=0) if period == HOUR else moment


def _param(moment: dt.datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(moment)


def _trunc(column: str, period: str) -> str:
    if connection.vendor == "postgresql":
        return f"date_trunc('{period}', {column})"
    # %% : the statement has parameters (Django turns %% back into %, also when it logs the query)
    return f"strftime('%%Y-%%m-%%d %%H:{'%%M' if period == MINUTE else '00'}:00', {column})"


def _rollup_minutes(start: dt.datetime, end: dt.datetime) -> int:
    bucket = _trunc("ts", MINUTE)
    sql = (
        f"INSERT INTO monitoring_readingrollup {ROLLUP_COLUMNS} "
        f"SELECT point_id, '{MINUTE}', {bucket}, count(*), min(value), max(value), sum(value), max(region_code) "
        f"FROM monitoring_reading WHERE ts >= %s AND ts < %s GROUP BY point_id, {bucket} {UPSERT}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [_param(start), _param(end)])
        return int(cursor.rowcount)


def _rollup_hours(start: dt.datetime, end: dt.datetime) -> int:
    bucket = _trunc("bucket", HOUR)
    sql = (
        f"INSERT INTO monitoring_readingrollup {ROLLUP_COLUMNS} "
        f"SELECT point_id, '{HOUR}', {bucket}, sum(count), min(min_value), max(max_value), sum(sum_value), "
        f"max(region_code) FROM monitoring_readingrollup WHERE period = '{MINUTE}' AND bucket >= %s "
        f"AND bucket < %s GROUP BY point_id, {bucket} {UPSERT}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [_param(start), _param(end)])
        return int(cursor.rowcount)


def _earliest_reading() -> dt.datetime | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(ts) FROM monitoring_reading")
        value = cursor.fetchone()[0]
    if value is None or isinstance(value, dt.datetime):
        return value
    parsed = dt.datetime.fromisoformat(str(value))  # SQLite: a naive UTC string
    return parsed.replace(tzinfo=dt.UTC)


def rollup(now: dt.datetime | None = None, since: dt.datetime | None = None) -> RollupResult:
    """Roll up the closed minutes and hours not yet done (see the module's note on late readings); `since`
    recomputes every bucket from that moment on."""
    closed = _floor(now or timezone.now(), MINUTE)
    mark = RollupMark.objects.filter(name=MINUTE).first()
    if since is not None:
        start = _floor(since, MINUTE)
    elif mark is not None:
        start = _floor(mark.until, MINUTE) - dt.timedelta(minutes=LATE_MINUTES)
    else:
        start = _floor(_earliest_reading() or closed, MINUTE)
    start = min(start, closed)
    result = RollupResult(minutes_from=start, minutes_until=closed)
    with transaction.atomic():
        if start < closed:
            result.minute_rows = _rollup_minutes(start, closed)
        hours_from, hours_until = _floor(start, HOUR), _floor(closed, HOUR)
        if hours_from < hours_until:
            result.hour_rows = _rollup_hours(hours_from, hours_until)
        until = closed if mark is None or since is not None else max(closed, mark.until)
        RollupMark.objects.update_or_create(name=MINUTE, defaults={"until": until})
    return result


def retention_days(today: dt.date) -> tuple[int, int]:
    """(raw days, minute roll-up days): the largest figures of the versions of `monitoring.operation` in force
    today, nationally or in any province, never below 30 (Decree 40 art. 13)."""
    provinces = set(RuleVersion.objects.filter(key=OPERATION).values_list("region_code", flat=True)) | {""}
    values = [rules.in_force(OPERATION, today, code).values for code in provinces]
    raw = max(int(v["raw_retention_days"]) for v in values)
    minute = max(int(v["minute_rollup_days"]) for v in values)
    return max(raw, MIN_RETENTION_DAYS), max(minute, MIN_RETENTION_DAYS)


def hour_retention_days(today: dt.date) -> int:
    """Hour roll-up days: the largest figure in force today, nationally or in any province (default ten years)."""
    provinces = set(RuleVersion.objects.filter(key=OPERATION).values_list("region_code", flat=True)) | {""}
    return max(
        int(rules.in_force(OPERATION, today, code).values.get("hour_rollup_days", HOUR_DAYS_DEFAULT))
        for code in provinces
    )


def _start_of(day: dt.date) -> dt.datetime:
    return partitions.bounds(day)[0]


def _delete_batched(table: str, where: str, params: list[Any]) -> int:
    """DELETE in batches of `BATCH` rows, each its own statement (SQLite: by rowid; PostgreSQL: by ctid)."""
    row_id = "ctid" if connection.vendor == "postgresql" else "rowid"
    sql = f"DELETE FROM {table} WHERE {row_id} IN (SELECT {row_id} FROM {table} WHERE {where} LIMIT {BATCH})"
    total = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            count = int(cursor.rowcount)
        total += count
        if count < BATCH:
            return total


def prune(today: dt.date | None = None) -> PruneResult:
    """Drop the raw readings and the minute roll-ups past their retention (see the module's note)."""
    today = today or timezone.localdate()
    raw_days, minute_days = retention_days(today)
    raw_before = today - dt.timedelta(days=raw_days)
    result = PruneResult(raw_before=raw_before)
    if partitions.is_partitioned():
        result.days_dropped = partitions.drop_before(raw_before)
    else:
        result.raw_deleted = _delete_batched("monitoring_reading", "ts < %s", [_param(_start_of(raw_before))])
    minute_before = _start_of(today - dt.timedelta(days=minute_days))
    result.minute_rollups_deleted = _delete_batched(
        "monitoring_readingrollup", f"period = '{MINUTE}' AND bucket < %s", [_param(minute_before)]
    )
    hour_before = _start_of(today - dt.timedelta(days=hour_retention_days(today)))
    result.hour_rollups_deleted = _delete_batched(
        "monitoring_readingrollup", f"period = '{HOUR}' AND bucket < %s", [_param(hour_before)]
    )
    return result
