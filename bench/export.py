"""The hazard ledger export of a county, a city and the province (issue #18; ~20k, ~90k and 1M rows after
bench/hazards.py), and with --list the accident register's and the risk point list's (after bench/lists.py):
rows/s of the export as a background job against floors measured in the same run, and each one's peak memory.

    DATABASE_URL=... .venv/bin/python bench/export.py --scopes county city province
    DATABASE_URL=... .venv/bin/python bench/export.py --list accidents risk-points   # after bench/lists.py

Needs a database filled by bench/generate.py and bench/hazards.py. Each measurement runs in a child process
of its own, so that its peak RSS (ru_maxrss) is its own:
- `job`: the export queued as a job of the scope's benchmark account (bench/common.py USERS) and run by
  `anquan.jobs.worker` (count, rows, progress, the workbook saved as the job's file);
- `floor`: the same SELECT (captured from the ORM) through the driver, its tuples written as plain cells with
  openpyxl write-only and saved: what any export of those rows costs;
- `select`: the same SELECT through the driver alone (server-side cursor on PostgreSQL).
The ratio is job time / floor time (1.0 = as fast as the floor).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time

from common import USERS, setup_django

setup_django()

from django.db import connection  # noqa: E402
from harness import database_label, load_average  # noqa: E402


def ledger_query(user):
    """(sql, params) of the ledger export's SELECT for `user`."""
    from anquan.core.scope import restrict
    from anquan.hazards import filters
    from anquan.hazards.excel import EXPORT_RELATED, ledger_values
    from anquan.hazards.models import Hazard

    qs = filters.apply(restrict(Hazard, user).select_related(*EXPORT_RELATED), {}, user=user)
    return ledger_values(qs).query.sql_with_params()


def accident_query(user):
    """(sql, params) of the accident register export's SELECT for `user`."""
    from anquan.accidents.excel import FIELDS
    from anquan.accidents.models import Accident
    from anquan.core.scope import restrict

    return restrict(Accident, user).values_list(*FIELDS).query.sql_with_params()


def risk_point_query(user):
    """(sql, params) of the risk point list export's SELECT for `user` (its measures, read per 1,000 points by the
    export, are not in the floor)."""
    from anquan.core.scope import restrict
    from anquan.riskpoints.excel import FIELDS
    from anquan.riskpoints.models import RiskPoint

    return restrict(RiskPoint, user).values_list(*FIELDS).query.sql_with_params()


LISTS = {  # list → (job kind, its SELECT)
    "hazards": ("hazard_export", ledger_query),
    "accidents": ("accident_export", accident_query),
    "risk-points": ("risk_point_export", risk_point_query),
}


def driver_rows(sql: str, params):
    """The rows of `sql` through the driver, streamed (a named cursor on PostgreSQL)."""
    if connection.vendor == "sqlite":
        import re

        # Django's own sqlite3 connection: the pragmas (cache, mmap) and SQL functions the app's queries run with;
        # a bare sqlite3.connect read this SELECT slower than the whole export job
        connection.ensure_connection()
        yield from connection.connection.execute(re.sub(r"(?<!%)%s", "?", sql).replace("%%", "%"), params)
        return
    import psycopg

    options = {k: v for k, v in connection.get_connection_params().items() if k != "context"}
    with psycopg.connect(**{**options, "cursor_factory": psycopg.ClientCursor}) as pg:
        with pg.cursor(name="bench_export") as cursor:
            cursor.itersize = 5000
            cursor.execute(sql, params)
            yield from cursor


def measure_job(user, kind: str) -> int:
    from anquan.jobs import exports, worker
    from anquan.jobs.models import Job

    job = exports.submit(kind, user, {})
    worker.run_pending()
    job = Job.objects.get(pk=job.pk)
    if job.status != "done":
        sys.exit(f"the job did not finish: {job.status} {job.error}")
    job.result_file.delete(save=False)
    return job.processed


def plain(value):
    """A value as a plain cell takes it: times without their zone, a JSON list (risk points' factor kinds) as text."""
    if hasattr(value, "tzinfo"):
        return value.replace(tzinfo=None)
    return "、".join(value) if isinstance(value, list) else value


def measure_floor(sql: str, params) -> int:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("floor")
    n = 0
    for row in driver_rows(sql, params):
        n += 1
        ws.append([n, *(plain(v) for v in row)])
    with tempfile.TemporaryFile() as handle:
        wb.save(handle)
    return n


def one(mode: str, scope: str, name: str) -> None:
    from anquan.accounts.models import User

    user = User.objects.get(username=USERS[scope].username)
    kind, query = LISTS[name]
    sql, params = query(user)
    started = time.perf_counter()
    if mode == "job":
        rows = measure_job(user, kind)
    elif mode == "floor":
        rows = measure_floor(sql, params)
    else:
        rows = sum(1 for _ in driver_rows(sql, params))
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_mb": peak}))


def child(mode: str, scope: str, name: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--one", mode, scope, name],
        capture_output=True,
        text=True,
    )
    if out.returncode:
        sys.exit(f"{mode} {scope}: {out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scopes", nargs="+", choices=list(USERS), default=["county", "city", "province"])
    parser.add_argument(
        "--no-floor",
        action="store_true",
        help="the job and the SELECT only (the floor of 1M rows takes long)",
    )
    parser.add_argument("--list", nargs="+", choices=list(LISTS), default=["hazards"], dest="lists")
    parser.add_argument("--one", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one(*args.one)
        return
    label, load = database_label(), load_average()
    connection.close()
    print(f"{label}, load before {load}\n")
    print(
        "| list | scope | rows | select rows/s | floor rows/s | job rows/s | job / floor time | peak RSS job / floor MB |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, scope in ((name, scope) for name in args.lists for scope in args.scopes):
        select, job = child("select", scope, name), child("job", scope, name)
        floor = None if args.no_floor else child("floor", scope, name)
        rate = {k: m["rows"] / m["seconds"] for k, m in (("s", select), ("j", job))}
        floor_rate = f"{floor['rows'] / floor['seconds']:,.0f}" if floor else "–"
        ratio = f"{job['seconds'] / floor['seconds']:.2f}" if floor else "–"
        floor_mb = f"{floor['peak_mb']:.0f}" if floor else "–"
        print(
            f"| {name} | {scope} | {job['rows']:,} | {rate['s']:,.0f} | {floor_rate} | {rate['j']:,.0f} | {ratio} | "
            f"{job['peak_mb']:.0f} / {floor_mb} |",
            flush=True,
        )
    print(f"\nload after {load_average()}")


if __name__ == "__main__":
    main()
