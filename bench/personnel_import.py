"""Excel import of key-post personnel at scale (issue #17 item 6): a workbook of `--rows` people each with a
special-operation certificate, checked and imported in one transaction, all or nothing; the import is rolled back
afterwards so the run leaves nothing behind.

    DATABASE_URL=... .venv/bin/python bench/personnel_import.py --uscc <USCC> --manager <username> [--rows 5000]

Needs a migrated database, an enterprise and one of its enterprise managers. Prints the time to build the file,
to check it (dry run) and to import it. The test tests/personnel/test_import.py runs the same 5,000 rows on both
databases and prints its time. Record runs in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import time

from common import setup_django

setup_django()

from django.db import transaction  # noqa: E402
from harness import database_label, load_average  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from anquan.accounts.models import User  # noqa: E402
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--uscc", required=True)
    parser.add_argument("--manager", required=True)
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    manager = User.objects.get(username=args.manager)
    started = time.perf_counter()
    data = workbook(args.uscc, args.rows)
    built = time.perf_counter() - started
    started = time.perf_counter()
    checked = excel.import_workbook(data, actor=manager, dry_run=True)
    check_s = time.perf_counter() - started
    started = time.perf_counter()
    result, import_s = checked, 0.0
    try:
        with transaction.atomic():
            result = excel.import_workbook(data, actor=manager, dry_run=False)
            import_s = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    print("| database | rows | build file | check | import | errors | load |")
    print("|---|---|---|---|---|---|---|")
    print(
        f"| {database_label()} | {args.rows} | {built:.1f} s | {check_s:.1f} s | {import_s:.1f} s "
        f"| {len(checked.errors)} / {len(result.errors)} | {load_average()} |"
    )


if __name__ == "__main__":
    main()
