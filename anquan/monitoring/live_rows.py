"""Reading and writing a batch's `PointLive` rows set-based, for alarm evaluation (evaluation.py): the rule is one
statement per batch, never one per point, and no model instances (building a model per row cost more than judging
its readings: bench/RESULTS.md, 2026-12-02).

PostgreSQL: the rows are locked and read with one `SELECT … WHERE point_id = ANY(…) ORDER BY point_id FOR UPDATE`
(the ids as one array parameter, the result in binary), and written with one binary COPY into a temporary table (its rows
dropped at commit) followed by one `INSERT … SELECT … ON CONFLICT (point_id) DO UPDATE`. SQLite (one writer at a time, no row
locks): the ORM's read, and one `executemany` of the same upsert."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import psycopg
from django.db import connection

from .models import PointLive

TABLE = PointLive._meta.db_table
STAGE = "monitoring_pointlive_stage"
# the columns evaluation reads and writes, in this order (evaluation._Live's slots)
FIELDS = (
    "last_value",
    "last_ts",
    "band",
    "band_since",
    "same_value",
    "same_since",
    "alarm_kinds",
    "offline_due",
    "updated_at",
)
_COLUMNS = ", ".join(("point_id", *FIELDS))
# the PostgreSQL types of those columns, for the binary COPY
_TYPES = ["bigint", "float8", "timestamptz", "varchar", "timestamptz", "float8", "timestamptz", "varchar"]
_TYPES += ["timestamptz", "timestamptz"]
_UPSERT = f"INSERT INTO {TABLE} ({_COLUMNS}) {{source}} ON CONFLICT (point_id) DO UPDATE SET " + ", ".join(
    f"{f} = excluded.{f}" for f in FIELDS
)


def lock(ids: Sequence[int], recent: dt.datetime) -> list[tuple[Any, ...]]:
    """(point_id, *FIELDS) of the existing live rows of `ids` (sorted), locked until the transaction ends. Two
    columns are not read as they are: `offline_due` is None (evaluation recomputes it from `last_ts`), `updated_at`
    is None when the row was written before `recent`, else `recent` itself (all evaluation asks of it)."""
    if connection.vendor != "postgresql":
        rows = (
            PointLive.objects.filter(point_id__in=ids).order_by("point_id").values_list("point_id", *FIELDS)
        )
        return [(*row[:8], None, row[9] if row[9] >= recent else None) for row in rows]
    # a binary result through a server-side-binding cursor on the same connection (and transaction): the driver's
    # C loaders read the times, where Django's text loader of timestamptz parses each in Python (perf16: the
    # largest part of this read). The session's time zone is UTC (Django sets it), so the times come as UTC.
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(_LOCK, {"recent": recent, "ids": list(ids)}, binary=True)
        return cursor.fetchall()


_LOCK = (
    "SELECT point_id, last_value, last_ts, band, band_since, same_value, same_since, alarm_kinds, NULL::timestamptz, "
    f"CASE WHEN updated_at >= %(recent)s THEN %(recent)s END FROM {TABLE} WHERE point_id = ANY(%(ids)s::bigint[]) "
    "ORDER BY point_id FOR UPDATE"
)


def write(rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert or update the live rows: each (point_id, *FIELDS)."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        adapt = connection.ops.adapt_datetimefield_value
        with connection.cursor() as cursor:
            cursor.executemany(
                _UPSERT.format(source=f"VALUES ({', '.join(['%s'] * (len(FIELDS) + 1))})"),
                [tuple(adapt(v) if isinstance(v, dt.datetime) else v for v in row) for row in rows],
            )
        return
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {STAGE} (LIKE {TABLE}) ON COMMIT DELETE ROWS")
        # binary COPY, each row handed to the driver's C code: building COPY text in Python (a datetime's
        # isoformat per column) cost ten times more than the COPY itself
        with cursor.copy(f"COPY {STAGE} ({_COLUMNS}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(_TYPES)
            put = copy.write_row
            for p, v, t, b, bs, sv, ss, k, od, u in rows:
                put((p, v, t, str(b), bs, sv, ss, str(k), od, u))
        # ordered by point like the lock, so two writers never wait on each other crosswise
        cursor.execute(_UPSERT.format(source=f"SELECT {_COLUMNS} FROM {STAGE} ORDER BY point_id"))
        cursor.execute(f"DELETE FROM {STAGE}")
