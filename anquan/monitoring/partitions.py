"""Daily partitions of the raw readings on PostgreSQL (issue #16 item 6, docs/adr/0044-monitoring-scale.md).

`monitoring_reading` is `PARTITION BY RANGE (ts)` (migration 0002_partitioned_readings): one partition per
local day (Asia/Shanghai midnight to midnight), named `monitoring_reading_pYYYYMMDD`, plus the DEFAULT partition
`monitoring_reading_default`, so a reading is never refused for want of a partition (a gateway replaying a week's
buffer, a clock years off). `ensure()` creates the coming days' partitions and moves any rows that landed in the
default partition into a partition of their own day (the periodic sweep calls it); `drop_before()` detaches and
drops whole days, which is instant whatever their size. Both do nothing on SQLite, where the table stays plain
(retention deletes rows there, anquan.monitoring.retention).

Everything here is DDL on a connection's cursor, so the migration calls the same functions."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import connection as default_connection
from django.db import transaction
from django.utils import timezone

PARENT = "monitoring_reading"
DEFAULT = f"{PARENT}_default"
_NAME = re.compile(rf"^{PARENT}_p(\d{{8}})$")


def name_of(day: dt.date) -> str:
    return f"{PARENT}_p{day:%Y%m%d}"


def bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The local day's first instant and the next day's (aware, in the current time zone)."""
    tz = timezone.get_default_timezone()
    start = dt.datetime.combine(day, dt.time(), tzinfo=tz)
    return start, dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=tz)


def is_partitioned(connection: Any = None) -> bool:
    connection = connection or default_connection
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE relname = %s", [PARENT])
        row = cursor.fetchone()
    return row is not None and row[0] == "p"


def days(connection: Any = None) -> list[dt.date]:
    """The days that have a partition, in order (empty on SQLite)."""
    connection = connection or default_connection
    if not is_partitioned(connection):
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = %s",
            [PARENT],
        )
        names = [r[0] for r in cursor.fetchall()]
    found = [_NAME.match(n) for n in names]
    return sorted(dt.datetime.strptime(m.group(1), "%Y%m%d").date() for m in found if m)


def _create_day(cursor: Any, day: dt.date) -> None:
    """The day's partition, with the rows of that day the default partition holds moved into it first (a new
    partition cannot be attached while the default one holds rows of its range)."""
    name, (start, end) = name_of(day), bounds(day)
    cursor.execute(f'LOCK TABLE "{DEFAULT}" IN ACCESS EXCLUSIVE MODE')
    cursor.execute(f'CREATE TABLE "{name}" (LIKE "{PARENT}" INCLUDING DEFAULTS INCLUDING CONSTRAINTS)')
    cursor.execute(
        f'WITH moved AS (DELETE FROM "{DEFAULT}" WHERE ts >= %s AND ts < %s RETURNING *) '
        f'INSERT INTO "{name}" SELECT * FROM moved',
        [start, end],
    )
    cursor.execute(
        f'ALTER TABLE "{PARENT}" ATTACH PARTITION "{name}" FOR VALUES FROM (%s) TO (%s)', [start, end]
    )


def _default_days(cursor: Any) -> list[dt.date]:
    tz = timezone.get_default_timezone_name()
    cursor.execute(f'SELECT DISTINCT (ts AT TIME ZONE %s)::date FROM "{DEFAULT}" ORDER BY 1', [tz])
    return [r[0] for r in cursor.fetchall()]


def ensure(days_ahead: int = 7, today: dt.date | None = None, connection: Any = None) -> list[dt.date]:
    """Create the partitions of `today` and the `days_ahead` days after it that are missing, and give each day
    found in the default partition a partition of its own (its rows moved there). Idempotent; returns the days
    created. Each day is its own short transaction. No-op (empty list) on SQLite."""
    connection = connection or default_connection
    if not is_partitioned(connection):
        return []
    today = today or timezone.localdate()
    have = set(days(connection))
    with connection.cursor() as cursor:
        stray = _default_days(cursor)
    wanted = sorted({today + dt.timedelta(days=n) for n in range(days_ahead + 1)} | set(stray))
    created = []
    for day in wanted:
        if day in have:
            continue
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            _create_day(cursor, day)
        created.append(day)
    return created


def drop_before(day: dt.date, connection: Any = None) -> list[dt.date]:
    """Detach and drop every daily partition before `day`, and delete the default partition's rows before it.
    Returns the days dropped. No-op on SQLite."""
    connection = connection or default_connection
    if not is_partitioned(connection):
        return []
    dropped = []
    for old in days(connection):
        if old >= day:
            break
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(f'ALTER TABLE "{PARENT}" DETACH PARTITION "{name_of(old)}"')
            cursor.execute(f'DROP TABLE "{name_of(old)}"')
        dropped.append(old)
    with connection.cursor() as cursor:
        cursor.execute(f'DELETE FROM "{DEFAULT}" WHERE ts < %s', [bounds(day)[0]])
    return dropped


def create_partitioned(cursor: Any) -> None:
    """Turn the plain table of migration 0001 into the partitioned one, keeping its rows (they go to the default
    partition; the next `ensure()` gives them their days)."""
    cursor.execute(f'ALTER TABLE "{PARENT}" RENAME TO "{PARENT}_plain"')
    cursor.execute(f'ALTER TABLE "{PARENT}_plain" RENAME CONSTRAINT "{PARENT}_pkey" TO "{PARENT}_plain_pkey"')
    cursor.execute(
        f'CREATE TABLE "{PARENT}" ("ts" timestamp with time zone NOT NULL, "value" double precision NOT NULL, '
        f'"region_code" varchar(12) NOT NULL, "point_id" bigint NOT NULL, PRIMARY KEY ("point_id", "ts")) '
        "PARTITION BY RANGE (ts)"
    )
    cursor.execute(f'CREATE TABLE "{DEFAULT}" PARTITION OF "{PARENT}" DEFAULT')
    cursor.execute(
        f'INSERT INTO "{PARENT}" (ts, value, region_code, point_id) SELECT ts, value, region_code, '
        f'point_id FROM "{PARENT}_plain"'
    )
    cursor.execute(f'DROP TABLE "{PARENT}_plain"')


def create_plain(cursor: Any) -> None:
    """The reverse: a plain table again, with every row."""
    cursor.execute(f'ALTER TABLE "{PARENT}" RENAME TO "{PARENT}_parted"')
    cursor.execute(
        f'ALTER TABLE "{PARENT}_parted" RENAME CONSTRAINT "{PARENT}_pkey" TO "{PARENT}_parted_pkey"'
    )
    cursor.execute(
        f'CREATE TABLE "{PARENT}" ("ts" timestamp with time zone NOT NULL, "value" double precision NOT NULL, '
        f'"region_code" varchar(12) NOT NULL, "point_id" bigint NOT NULL, PRIMARY KEY ("point_id", "ts"))'
    )
    cursor.execute(f'INSERT INTO "{PARENT}" SELECT ts, value, region_code, point_id FROM "{PARENT}_parted"')
    cursor.execute(f'DROP TABLE "{PARENT}_parted" CASCADE')
