"""Storing checked readings: in one transaction the new rows, the alarm evaluation of them, the refusal counters
and each gateway's last contact. A redelivered batch never doubles a row: (point, ts) is the table's key.

PostgreSQL: one COPY straight into `monitoring_reading` inside a savepoint; when a row is already there (a
redelivery, a gateway resending) the savepoint is rolled back and the batch goes through a temporary table and
`INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING`, which tells which rows were new. Works on the plain and on
the day-partitioned table alike. SQLite: the keys already present are read, the rest inserted with one
`executemany` of `INSERT OR IGNORE`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from .. import evaluation
from ..catalogue import devices_of
from ..choices import RejectReason
from ..models import Gateway, IngestRejection, Reading
from .parse import Parsed, check, items_of, retention_days
from .parse import Reading as Row

log = logging.getLogger("anquan.monitoring.ingest")

TABLE = Reading._meta.db_table
STAGE = "monitoring_reading_stage"
LAST_SEEN_SECONDS = 5
SQLITE_IDS = 10_000


class Unset:
    """The type of UNSET: the payload not decoded yet."""


UNSET = Unset()


@dataclass(slots=True)
class IngestResult:
    stored: int = 0
    duplicates: int = 0
    rejected: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, object]:
        return {"stored": self.stored, "duplicates": self.duplicates, "rejected": dict(self.rejected)}


def ingest(gateway: Gateway, payload: bytes, items: list[Any] | None | Unset = UNSET) -> IngestResult:
    """Check and store one payload of `gateway` (see parse.py for its shape). Never raises on bad data. `items`:
    the payload already decoded by `items_of` (the HTTP door decodes it to count the readings first)."""
    return ingest_many([(gateway, payload)], decoded=None if isinstance(items, Unset) else [items])[0]


def ingest_many(
    messages: Sequence[tuple[Gateway, bytes]],
    *,
    now: dt.datetime | None = None,
    decoded: Sequence[list[Any] | None] | None = None,
) -> list[IngestResult]:
    """Check and store several payloads (of one or more gateways) in one transaction: one result per payload."""
    now = now or timezone.now()
    parsed: list[Parsed] = []
    seen: set[tuple[int, dt.datetime]] = set()
    for n, (gateway, payload) in enumerate(messages):
        out = Parsed()
        items = items_of(payload) if decoded is None else decoded[n]
        if items is None:
            out.refuse(RejectReason.MALFORMED, payload)
        else:
            devices = devices_of(gateway.enterprise_id)
            days = retention_days(gateway.enterprise.region_code)
            check(items, devices, out, now=now, retention_days=days, seen=seen)
        parsed.append(out)
    rows = [r for out in parsed for r in out.readings]
    with transaction.atomic():
        new = _store(rows)
        if new:
            new.sort(key=lambda r: (r[0].id, r[1]))
            evaluation.evaluate(new)
        results = _results(parsed, new, len(rows))
        _count_refusals(messages, parsed, results, now)
        _touch(messages, now)
    return results


def _results(parsed: list[Parsed], new: list[Row], total: int) -> list[IngestResult]:
    results = [
        IngestResult(stored=len(out.readings), duplicates=out.duplicates, rejected=out.rejected)
        for out in parsed
    ]
    if len(new) == total:
        return results
    fresh = {(info.id, ts) for info, ts, _ in new}
    for out, result in zip(parsed, results, strict=True):
        stored = sum(1 for info, ts, _ in out.readings if (info.id, ts) in fresh)
        result.duplicates += result.stored - stored
        result.stored = stored
    return results


def _store(rows: list[Row]) -> list[Row]:
    """Insert the rows not yet in the table; returns those (the others were there already)."""
    if not rows:
        return []
    if connection.vendor == "postgresql":
        return _store_postgresql(rows)
    return _store_sqlite(rows)


def _copy_text(rows: list[Row]) -> str:
    times: dict[dt.datetime, str] = {}  # a batch's readings share a few times: each is formatted once
    lines = []
    for info, ts, value in rows:
        text = times.get(ts)
        if text is None:
            text = times[ts] = ts.isoformat()
        lines.append(f"{info.id}\t{text}\t{value!r}\t{info.region_code}\n")
    return "".join(lines)


def _store_postgresql(rows: list[Row]) -> list[Row]:
    from psycopg.errors import UniqueViolation  # noqa: PLC0415 (PostgreSQL only)

    data = _copy_text(rows)
    columns = "(point_id, ts, value, region_code)"
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            with cursor.copy(f"COPY {TABLE} {columns} FROM STDIN") as copy:
                copy.write(data)
        return rows
    except (UniqueViolation, IntegrityError):
        pass
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {STAGE} (LIKE {TABLE}) ON COMMIT DELETE ROWS")
        with cursor.copy(f"COPY {STAGE} {columns} FROM STDIN") as copy:
            copy.write(data)
        cursor.execute(
            f"INSERT INTO {TABLE} {columns} SELECT point_id, ts, value, region_code FROM {STAGE} "
            "ON CONFLICT DO NOTHING RETURNING point_id, ts"
        )
        fresh = set(cursor.fetchall())
        cursor.execute(f"DELETE FROM {STAGE}")
    return [r for r in rows if (r[0].id, r[1]) in fresh]


def _store_sqlite(rows: list[Row]) -> list[Row]:
    low, high = min(r[1] for r in rows), max(r[1] for r in rows)
    ids = sorted({r[0].id for r in rows})
    present: set[tuple[int, dt.datetime]] = set()
    for i in range(0, len(ids), SQLITE_IDS):  # SQLite takes at most 32,766 parameters
        present.update(
            Reading.objects.filter(
                point_id__in=ids[i : i + SQLITE_IDS], ts__gte=low, ts__lte=high
            ).values_list("point_id", "ts")
        )
    new = [r for r in rows if (r[0].id, r[1]) not in present] if present else rows
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT OR IGNORE INTO {TABLE} (point_id, ts, value, region_code) VALUES (%s, %s, %s, %s)",
            [(info.id, adapt(ts), value, info.region_code) for info, ts, value in new],
        )
    return new


def _count_refusals(
    messages: Sequence[tuple[Gateway, bytes]],
    parsed: list[Parsed],
    results: list[IngestResult],
    now: dt.datetime,
) -> None:
    """Add the refused and the duplicate readings to the gateway's counters of the day (one upsert per reason)."""
    counts: Counter[tuple[int, str]] = Counter()
    examples: dict[tuple[int, str], str] = {}
    for (gateway, _), out, result in zip(messages, parsed, results, strict=True):
        for reason, n in out.rejected.items():
            counts[gateway.pk, reason] += n
            examples.setdefault((gateway.pk, reason), out.examples.get(reason, ""))
        if result.duplicates:
            counts[gateway.pk, RejectReason.DUPLICATE] += result.duplicates
    if not counts:
        return
    day = timezone.localdate(now).isoformat()
    stamp = connection.ops.adapt_datetimefield_value(now)
    table = IngestRejection._meta.db_table
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (gateway_id, day, reason, count, example, updated_at) "
            "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (gateway_id, day, reason) DO UPDATE SET "
            f"count = {table}.count + excluded.count, updated_at = excluded.updated_at, "
            f"example = CASE WHEN excluded.example = '' THEN {table}.example ELSE excluded.example END",
            [
                (gid, day, reason, n, examples.get((gid, reason), ""), stamp)
                for (gid, reason), n in counts.items()
            ],
        )


def _touch(messages: Sequence[tuple[Gateway, bytes]], now: dt.datetime) -> None:
    """Record the gateways' last contact, at most every LAST_SEEN_SECONDS (a row not due is neither written nor
    locked: concurrent requests of one gateway do not queue on it). A gateway object that already says a recent
    contact (loaded just now by the HTTP door, or touched by the consumer's last batch) asks nothing of the
    database: the stored time is never older than what an object read or wrote."""
    due = now - dt.timedelta(seconds=LAST_SEEN_SECONDS)
    stale = {g.pk: g for g, _ in messages if g.last_seen_at is None or g.last_seen_at < due}
    if not stale:
        return
    Gateway.objects.filter(pk__in=stale).filter(
        Q(last_seen_at__isnull=True) | Q(last_seen_at__lt=due)
    ).update(last_seen_at=now)
    for gateway in stale.values():
        gateway.last_seen_at = now
