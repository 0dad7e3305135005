"""The hazard statistics' roll-up (ADR 0051): counts per region code × local month of finding × industry ×
supervising department × level × source × status × overdue, kept by triggers on the hazard table in the same
transaction as every write (create, every workflow transition, the sweep's overdue marks, an enterprise's move
that carries its hazards to a new region, a bulk load), so no write path can forget it.

PostgreSQL: statement-level triggers with transition tables, one upsert per statement whatever the rows
(`INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n`: two writers in one cell both count), the cells
touched in key order so that two statements cannot deadlock on them. SQLite: row triggers with the same
upsert (SQLite writes one transaction at a time). The month is the month of `found_at` in settings.TIME_ZONE,
as TruncMonth gives it: `AT TIME ZONE` on PostgreSQL, the zone's fixed offset on SQLite (install refuses a
zone with daylight saving).

`rebuild()` recounts the table from the hazards; `differences()` compares it with a recount through the ORM
(`anquan rebuild-hazard-rollups --check`).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from anquan.core.inputs import filter_date, flag
from anquan.core.scope import restrict, within
from anquan.orgs.models import Department, Industry

from .choices import OPEN_STATUSES, Level, Status
from .models import ROLLUP_KEY, Hazard, HazardCountyRollup, HazardRollup, RollupCell

HAZARDS = "hazards_hazard"
KEY = ROLLUP_KEY
KEYS = ", ".join(KEY)
COUNTY = 6  # a county's region code length: the coarse table's key (regions.Region.prefix of level 3)
# the roll-up tables and the length their region code is cut to (None: the hazard's own code)
TABLES: dict[type[RollupCell], int | None] = {HazardRollup: None, HazardCountyRollup: COUNTY}
NUMBERS = ("n", "timed", "close_ms")
PG_FUNCTION = "hazards_rollup_apply"


def _key_sql(h: str, cut: int | None = None) -> str:
    """The cell key of hazard row `h` (a table alias or NEW/OLD) in the vendor's SQL, its region code cut to
    `cut` characters when given."""
    if connection.vendor == "postgresql":
        month = f"date_trunc('month', {h}.found_at AT TIME ZONE '{settings.TIME_ZONE}')::date"
    else:
        month = f"strftime('%Y-%m-01', {h}.found_at, '{_fixed_offset()} minutes')"
    region = f"substr({h}.region_code, 1, {cut})" if cut else f"{h}.region_code"
    return (
        f"{region}, {month}, coalesce({h}.industry_id, 0), coalesce({h}.supervising_department_id, 0), "
        f"{h}.level, {h}.source, {h}.status, {h}.overdue"
    )


def _ms_sql(h: str) -> str:
    if connection.vendor == "postgresql":
        return f"coalesce(round(extract(epoch FROM {h}.closed_at - {h}.found_at) * 1000)::bigint, 0)"
    return f"coalesce(CAST(round((julianday({h}.closed_at) - julianday({h}.found_at)) * 86400000.0) AS INTEGER), 0)"


def _fixed_offset() -> int:
    """settings.TIME_ZONE's offset from UTC in minutes, refused when it changes over the year (SQLite triggers
    cannot follow daylight saving; Asia/Shanghai has none)."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    offsets = {zone.utcoffset(dt.datetime(2026, m, 1)) for m in (1, 4, 7, 10)}
    if len(offsets) != 1:
        raise ImproperlyConfigured(
            f"the hazard roll-up on SQLite needs a zone without daylight saving, not {zone}"
        )
    (offset,) = offsets
    assert offset is not None
    return int(offset.total_seconds() // 60)


def _upsert(model: type[RollupCell], select: str) -> str:
    table = model._meta.db_table
    sums = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in NUMBERS)
    return (
        f"INSERT INTO {table} ({KEYS}, n, timed, close_ms) {select} ON CONFLICT ({KEYS}) DO UPDATE SET {sums}"
    )


def _delta(table: str, sign: str, cut: int | None) -> str:
    """The rows of `table` as signed cell deltas."""
    return (
        f"SELECT {_key_sql('h', cut)}, {sign}1 AS n, {sign}(CASE WHEN h.closed_at IS NULL THEN 0 ELSE 1 END) AS timed, "
        f"{sign}{_ms_sql('h')} AS close_ms FROM {table} h"
    )


def _pg_statement(*tables: tuple[str, str]) -> str:
    """One upsert per roll-up table of the (transition table, sign) deltas, fine table first (every writer takes
    the tables' cell locks in the same order)."""
    statements = []
    for model, cut in TABLES.items():
        parts = " UNION ALL ".join(_delta(table, sign, cut) for table, sign in tables)
        grouped = (
            f"SELECT {KEYS}, sum(n), sum(timed), sum(close_ms) FROM ({parts}) "
            f"AS d({KEYS}, n, timed, close_ms) GROUP BY {KEYS} "
            f"HAVING sum(n) <> 0 OR sum(timed) <> 0 OR sum(close_ms) <> 0 ORDER BY {KEYS}"
        )
        statements.append(_upsert(model, grouped) + ";")
    return "\n".join(statements)


def _pg_install() -> list[str]:
    new, old = ("new_rows", "+"), ("old_rows", "-")
    body = (
        "BEGIN\n"
        f"IF TG_OP = 'INSERT' THEN {_pg_statement(new)}\n"
        f"ELSIF TG_OP = 'DELETE' THEN {_pg_statement(old)}\n"
        f"ELSE {_pg_statement(old, new)}\n"
        "END IF;\nRETURN NULL;\nEND"
    )
    statements = [
        f"CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$\n{body}\n$$"
    ]
    for op, tables in (
        ("INSERT", "NEW TABLE AS new_rows"),
        ("DELETE", "OLD TABLE AS old_rows"),
        ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    ):
        statements.append(
            f"CREATE TRIGGER hazards_rollup_{op.lower()} AFTER {op} ON {HAZARDS} REFERENCING {tables} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()"
        )
    return statements


def _sqlite_row(h: str, sign: str) -> str:
    statements = []
    for model, cut in TABLES.items():
        values = f"{_key_sql(h, cut)}, {sign}1, {sign}({h}.closed_at IS NOT NULL), {sign}{_ms_sql(h)}"
        statements.append(_upsert(model, f"VALUES ({values})") + ";")
    return " ".join(statements)


TRACKED = ("region_code", "found_at", "industry_id", "supervising_department_id", "level", "source", "status")
TRACKED += ("overdue", "closed_at")


def _sqlite_install() -> list[str]:
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in TRACKED)
    return [
        f"CREATE TRIGGER hazards_rollup_insert AFTER INSERT ON {HAZARDS} BEGIN {_sqlite_row('NEW', '+')} END",
        f"CREATE TRIGGER hazards_rollup_delete AFTER DELETE ON {HAZARDS} BEGIN {_sqlite_row('OLD', '-')} END",
        f"CREATE TRIGGER hazards_rollup_update AFTER UPDATE OF {', '.join(TRACKED)} ON {HAZARDS} "
        f"WHEN {changed} BEGIN {_sqlite_row('OLD', '-')} {_sqlite_row('NEW', '+')} END",
    ]


def install() -> None:
    """Create (or re-create) the triggers; the roll-up is recounted afterwards by `rebuild`."""
    uninstall()
    with connection.cursor() as cursor:
        for sql in _pg_install() if connection.vendor == "postgresql" else _sqlite_install():
            cursor.execute(sql)


def uninstall() -> None:
    with connection.cursor() as cursor:
        for op in ("insert", "update", "delete"):
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS hazards_rollup_{op} ON {HAZARDS}")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS hazards_rollup_{op}")
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()")


def empty_if_no_hazards(connection) -> None:
    """Empty the roll-up when no hazard is left (run after every migrate and flush). On SQLite a flush deletes table
    after table, row by row, in no set order: when it emptied the roll-up before the hazards, the trigger counted
    the hazards' deletion into empty cells and left negative counts (a bulletin then read "尚有-7项隐患").
    PostgreSQL's flush truncates, which fires no row or statement trigger."""
    with connection.cursor() as cursor:
        if HAZARDS not in connection.introspection.table_names(cursor):
            return  # migrated back before the hazards
        cursor.execute(f"SELECT 1 FROM {HAZARDS} LIMIT 1")
        if cursor.fetchone() is None:
            for model in TABLES:
                cursor.execute(f"DELETE FROM {model._meta.db_table}")


def rebuild() -> int:
    """Recount the roll-up tables from the hazards (writes wait meanwhile); the number of cells of the fine one."""
    cells = []
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {HAZARDS} IN SHARE MODE")  # no write between the count and the commit
        for model, cut in TABLES.items():
            table = model._meta.db_table
            cursor.execute(f"DELETE FROM {table}")
            cursor.execute(
                f"INSERT INTO {table} ({KEYS}, n, timed, close_ms) "
                f"SELECT {_key_sql('h', cut)}, count(*), count(h.closed_at), sum({_ms_sql('h')}) FROM {HAZARDS} h "
                f"GROUP BY {', '.join(str(i) for i in range(1, len(KEY) + 1))}"
            )
            cells.append(cursor.rowcount)
    return cells[0]


def recount() -> dict[tuple, tuple[int, int, float]]:
    """The cells counted again from the hazards through the ORM (TruncMonth, Django's own duration sums):
    key → (hazards, hazards with a closing time, their total days to close in milliseconds)."""
    took = ExpressionWrapper(F("closed_at") - F("found_at"), output_field=DurationField())
    rows = (
        Hazard.objects.order_by()
        .annotate(month=TruncMonth("found_at", tzinfo=timezone.get_current_timezone()))
        .values_list(*ORM_KEY)
        .annotate(n=Count("id"), timed=Count("closed_at"), took=Sum(took))
    )
    result = {}
    for *key, n, timed, took_sum in rows:
        key[1] = key[1].date()
        key[2], key[3] = key[2] or 0, key[3] or 0
        result[tuple(key)] = (n, timed, took_sum.total_seconds() * 1000 if took_sum else 0.0)
    return result


# the cell key as the hazard's own fields (the cell's department_id is the hazard's supervising department)
ORM_KEY = tuple("supervising_department_id" if k == "department_id" else k for k in KEY)


def differences(limit: int = 20) -> list[str]:
    """How the roll-up tables differ from a full recount (empty: equal). Close times may differ by the rounding
    of each hazard's milliseconds (at most 1 ms a hazard)."""
    fine = recount()
    found = []
    for model, cut in TABLES.items():
        counted: dict[tuple, tuple[int, int, float]] = {}
        for key, (n, timed, ms) in fine.items():
            key = (key[0][:cut], *key[1:]) if cut else key
            n0, timed0, ms0 = counted.get(key, (0, 0, 0.0))
            counted[key] = (n0 + n, timed0 + timed, ms0 + ms)
        stored = {
            tuple(r[: len(KEY)]): r[len(KEY) :]
            for r in model.objects.exclude(n=0, timed=0, close_ms=0).values_list(*KEY, *NUMBERS)
        }
        for key in sorted(set(stored) | set(counted), key=str):
            n, timed, ms = stored.get(key, (0, 0, 0))
            n2, timed2, ms2 = counted.get(key, (0, 0, 0.0))
            if (n, timed) != (n2, timed2) or abs(ms - ms2) > max(timed2, 1):
                found.append(
                    f"{model._meta.db_table} {key}: roll-up {n}/{timed}/{ms} ms, "
                    f"recount {n2}/{timed2}/{round(ms2)} ms"
                )
    return found[:limit]


_OPEN = Q(status__in=OPEN_STATUSES)
_CLOSED = Q(status=Status.CLOSED)
# stats.METRICS over roll-up cells (sums of their counts); avg_close is made from close_ms / timed (with_average)
METRICS = dict(
    found=Sum("n", default=0),
    closed=Sum("n", filter=_CLOSED, default=0),
    open=Sum("n", filter=_OPEN, default=0),
    overdue=Sum("n", filter=_OPEN & Q(overdue=True), default=0),
    major_open=Sum("n", filter=_OPEN & Q(level=Level.MAJOR), default=0),
    close_ms=Sum("close_ms", filter=_CLOSED, default=0),
    timed=Sum("timed", filter=_CLOSED, default=0),
)
# the filters a cell can answer; any other (a text search, an enterprise, a to-do, listing, closing or deadline
# dates) is answered by the live query
ANSWERS = {
    "industry",
    "department",
    "level",
    "source",
    "status",
    "overdue",
    "found_from",
    "found_to",
    "ordering",
}


def cells(user, params: dict, prefix: str, finest: int | None = None):
    """The roll-up cells the statistics of `params` in region `prefix` sum, or None when the roll-up cannot
    answer them: a filter outside ANSWERS, found dates that do not start or end a month, an enterprise's own
    user (whose scope is the enterprise, not a region). The values have passed filters.apply already.
    `finest`: the longest region code prefix the figures are grouped by (default `prefix`'s); up to a county's,
    and for a user whose own region is a county or above, the county-keyed table answers (far fewer cells)."""
    given = {k for k, v in params.items() if v is not None and v != ""}
    if given - ANSWERS or getattr(user, "enterprise_id", None):
        return None
    start, end = (
        filter_date(params.get("found_from"), "found_from"),
        filter_date(params.get("found_to"), "found_to"),
    )
    if (start and start.day != 1) or (end and (end + dt.timedelta(days=1)).day != 1):
        return None
    own = getattr(getattr(user, "region", None), "prefix", "")
    coarse = max(len(prefix), finest or 0, len(own)) <= COUNTY
    qs = restrict(HazardCountyRollup if coarse else HazardRollup, user).filter(within(prefix)).order_by()
    if start:
        qs = qs.filter(month__gte=start)
    if end:
        qs = qs.filter(month__lte=end.replace(day=1))
    get = params.get
    if get("industry"):
        qs = qs.filter(industry_id__in=Industry.objects.filter(code=get("industry")).values("id"))
    if get("department"):
        qs = qs.filter(department_id__in=Department.objects.filter(name=get("department")).values("id"))
    for key in ("level", "source"):
        if get(key):
            qs = qs.filter(**{key: get(key)})
    if get("status"):
        wanted = [s.strip() for s in str(get("status")).split(",") if s.strip()]
        qs = qs.filter(status__in=OPEN_STATUSES if wanted == ["open"] else wanted)
    overdue = flag(get("overdue"), "overdue")
    if overdue is not None:
        qs = qs.filter(overdue=overdue)
    return qs


def with_average(values: dict) -> dict:
    """A roll-up aggregate with the live query's avg_close (a timedelta, None when nothing closed with a time)."""
    timed = values.pop("timed")
    close_ms = values.pop("close_ms")
    return values | {"avg_close": dt.timedelta(milliseconds=close_ms / timed) if timed else None}
