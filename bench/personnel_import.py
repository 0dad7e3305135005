"""Excel import of key-post personnel at scale (issue #17 item 3): a workbook of `--rows` people each with a
special-operation certificate, read, checked and imported all or nothing — in process and as the background job
the page and `POST /api/v1/personnel/import` make of a large file — against the floor: the same SQL statements
(every SELECT, INSERT and audit entry the import ran) replayed through the driver in one transaction. Every run is
rolled back, so it leaves nothing behind and can be repeated.

    DATABASE_URL=... .venv/bin/python bench/personnel_import.py [--rows 5000] [--repeat 3]
        [--uscc <USCC> --manager <username>]

Needs a migrated database with an enterprise (`bench/generate.py --scale county` is plenty); without --uscc the
first enterprise is used and its manager `bench_personnel` is made if missing. Record runs in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import time

from common import setup_django

setup_django()

from django.db import transaction  # noqa: E402
from harness import capture_sql, database_label, load_average, raw_runner  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from anquan.accounts.models import User  # noqa: E402
from anquan.core.imports import read_sheet  # noqa: E402
from anquan.enterprises.models import Enterprise  # noqa: E402
from anquan.jobs import runner  # noqa: E402
from anquan.jobs.models import JobKind  # noqa: E402
from anquan.personnel import excel, idnumber  # noqa: E402


def workbook(uscc: str, rows: int) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append([title for _, title, _ in excel.COLUMNS])
    for i in range(rows):
        born = dt.date(1970, 1, 1) + dt.timedelta(days=i)
        body = f"360402{born:%Y%m%d}{i % 1000:03d}"
        number = body + idnumber.check_digit(body)
        ws.append(
            [uscc, f"工人{i}", number, "特种作业人员", "2024-01-01", "", "特种作业操作证", "1.2"]
            + [f"B3604{i:08d}", "九江市应急管理局", "2025-01-01", "2031-01-01"]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


class Rollback(Exception):
    pass


def rolled_back(action):
    """(seconds, result) of `action` run in a transaction that is then rolled back."""
    started = time.perf_counter()
    result = None
    try:
        with transaction.atomic():
            result = action()
            took = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    return took, result


def as_job(data: bytes, manager: User, rows: int):
    """The job a large upload becomes, run as the worker runs it (`runner.execute`)."""
    job = runner.create(
        JobKind.PERSONNEL_IMPORT,
        owner=manager,
        mode="import",
        data=data,
        file_name="人员.xlsx",
        total_rows=rows,
    )
    upload = job.upload.name
    try:
        return runner.execute(job)
    finally:
        job.upload.storage.delete(upload)  # the job's commit would remove it; this one is rolled back


def replay(statements) -> float:
    """Seconds to run `statements` through the driver in one transaction, rolled back."""
    run, _explain, close = raw_runner()

    def execute(statement):
        try:
            run(statement)
        except Exception as exc:  # psycopg: an INSERT without RETURNING has no rows to fetch
            if "didn't produce records" not in str(exc):
                raise

    try:
        started = time.perf_counter()
        execute(("BEGIN", ()))
        for statement in statements:
            execute(statement)
        took = time.perf_counter() - started
        execute(("ROLLBACK", ()))
    finally:
        close()
    return took


def manager_of(args) -> tuple[str, User]:
    if args.uscc:
        return args.uscc, User.objects.get(username=args.manager)
    enterprise = Enterprise.objects.order_by("pk").first()
    assert enterprise is not None, "no enterprise: run bench/generate.py first"
    manager = User.objects.filter(username="bench_personnel").first()
    if manager is None:
        from anquan.accounts.services import create_user

        manager = create_user(
            actor=None,
            username="bench_personnel",
            role="enterprise_manager",
            password="Bench-Passw0rd!2026",
            enterprise_uscc=enterprise.uscc,
        )
    return manager.enterprise.uscc, manager


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--uscc")
    parser.add_argument("--manager")
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    uscc, manager = manager_of(args)
    data = workbook(uscc, args.rows)
    before = load_average()
    times: dict[str, list[float]] = {
        "read": [],
        "check": [],
        "import": [],
        "job": [],
        "floor": [],
        "write": [],
    }
    write_all = excel._write

    def timed_write(*args, **kwargs):  # the one write transaction (SQLite's write lock is held this long)
        started = time.perf_counter()
        try:
            return write_all(*args, **kwargs)
        finally:
            times["write"].append(time.perf_counter() - started)

    excel._write = timed_write  # type: ignore[assignment]
    for _ in range(args.repeat):
        started = time.perf_counter()
        read_sheet(data)
        times["read"].append(time.perf_counter() - started)
        took, checked = rolled_back(lambda: excel.import_workbook(data, actor=manager, dry_run=True))
        times["check"].append(took)
        took, (statements, result) = rolled_back(
            lambda: capture_sql(lambda: excel.import_workbook(data, actor=manager, dry_run=False))
        )
        assert result.imported == args.rows and not result.errors, result.errors[:3]
        times["import"].append(took)
        took, job_result = rolled_back(lambda: as_job(data, manager, args.rows))
        assert job_result is not None and job_result.imported == args.rows
        times["job"].append(took)
        times["floor"].append(replay(statements))
    median = {k: statistics.median(v) for k, v in times.items()}
    print(f"{database_label()} · {args.rows} rows · {len(statements)} statements · median of {args.repeat}")
    print(f"load average before {before}, after {load_average()}")
    print(
        "| read file | check (read + rows) | import (read + check + write) | its write transaction | as a job "
        "| floor (its SQL) | import / floor |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {median['read']:.2f} s | {median['check']:.2f} s | {median['import']:.2f} s | {median['write']:.2f} s "
        f"| {median['job']:.2f} s | {median['floor']:.2f} s | {median['import'] / median['floor']:.1f}× |"
    )


if __name__ == "__main__":
    main()
