"""The hazard ledger's list API at province scale (issue #18) versus the same SQL run directly with the driver.

    DATABASE_URL=... .venv/bin/python bench/ledger.py [--requests 100] [--explain]

Wants a database filled by bench/generate.py --scale province and bench/hazards.py (1,000,000 hazards); adds
one account of its own, `bench_department` (应急管理局's supervisor at province level), when missing. Starts
`anquan runserver` on a free loopback port (bench/harness.py), takes a bearer token per account and, for each
case, alternates `GET /api/v1/hazards?...` (a page of 50) with the SQL the endpoint runs for it — the capped
count, the page with its joins, the listings prefetched — captured from Django once and replayed through
sqlite3 / psycopg (the floor). Cases: the province's, a county's and a department supervisor's default page,
the common filters (open, major, overdue, a region, the deadline order) and a deep page by cursor (the row
about half a year back, ~500,000 rows into the province's ledger). Prints a Markdown table; asserts no timings.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from urllib.parse import urlencode

from common import COUNTY, PASSWORD, PROVINCE, USERS, BenchUser, setup_django

setup_django()

import harness  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from harness import Statement, database_label, load_average, percentile  # noqa: E402

from anquan.accounts.models import User  # noqa: E402
from anquan.accounts.services import create_user  # noqa: E402
from anquan.core import keyset  # noqa: E402
from anquan.core.contract import PageParams, page  # noqa: E402
from anquan.core.scope import within  # noqa: E402
from anquan.hazards import filters  # noqa: E402
from anquan.hazards.api import _scoped, out  # noqa: E402  (the endpoint's own queryset and rows)
from anquan.hazards.models import Hazard  # noqa: E402
from anquan.regions.models import Region  # noqa: E402

PAGE = 50  # the endpoint's default limit
DEPARTMENT = "应急管理局"
USERS["department"] = BenchUser("bench_department", "department_supervisor", PROVINCE)


@dataclass
class Case:
    label: str
    user: str  # key of common.USERS
    params: dict[str, str]
    statements: list[Statement] = field(default_factory=list)
    count: int = 0
    exact: bool = True
    http_ms: list[float] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)


def _department_account() -> None:
    if not User.objects.filter(username=USERS["department"].username).exists():
        create_user(
            actor=None,
            username=USERS["department"].username,
            role="department_supervisor",
            password=PASSWORD,
            region_code=PROVINCE,
            department_name=DEPARTMENT,
        )


def _deep_cursor(code: str) -> str:
    """The cursor of the first hazard found half a year ago (in region `code`): the page after it is deep."""
    back = timezone.now() - dt.timedelta(days=182)
    row = (
        Hazard.objects.filter(within(Region.objects.get(code=code).prefix), found_at__lte=back)
        .order_by("-found_at", "-id")
        .first()
    )
    if row is None:
        sys.exit("no hazards half a year back: run bench/hazards.py first")
    return keyset.cursor(row, ("-found_at", "-id"))


def build_cases() -> list[Case]:
    if Hazard.objects.count() < 1000:
        sys.exit("hardly any hazards: run bench/generate.py --scale province and bench/hazards.py first")
    _department_account()
    return [
        Case("province, default page", "province", {}),
        Case("county, default page", "county", {}),
        Case(f"department supervisor ({DEPARTMENT}), default page", "department", {}),
        Case("province, status=open", "province", {"status": "open"}),
        Case("province, level=major", "province", {"level": "major"}),
        Case("province, overdue=true", "province", {"overdue": "true"}),
        Case("county, status=open", "county", {"status": "open"}),
        Case(f"province, region={COUNTY}", "province", {"region": COUNTY}),
        Case("province, ordering=deadline", "province", {"ordering": "deadline"}),
        Case("province, deep page (cursor, ~6 months back)", "province", {"cursor": _deep_cursor(PROVINCE)}),
        Case("county, deep page (cursor, ~6 months back)", "county", {"cursor": _deep_cursor(COUNTY)}),
    ]


def capture(case: Case) -> None:
    """Run the endpoint's work through the ORM once (the same calls as `list_hazards`), recording its SQL."""

    def record(execute, sql, params, many, context):
        case.statements.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    user = User.objects.select_related("region").get(username=USERS[case.user].username)
    wanted = {k: v for k, v in case.params.items() if k != "cursor"}
    paging = PageParams(limit=PAGE, offset=0, cursor=case.params.get("cursor"))
    with connection.execute_wrapper(record):
        qs = filters.apply(_scoped(SimpleNamespace(user=user)), wanted).prefetch_related("listings")
        answer = page(qs, paging, out)
    case.count, case.exact = answer["count"], answer["count_exact"]


def measure(
    case: Case,
    server: harness.Server,
    token: str,
    run: Callable[[Statement], list[tuple]],
    requests: int,
    warmup: int,
) -> None:
    path = f"/api/v1/hazards?{urlencode(case.params)}"
    for i in range(warmup + requests):
        started = time.perf_counter()
        status, body = server.request("GET", path, token=token)
        between = time.perf_counter()
        for statement in case.statements:
            run(statement)
        ended = time.perf_counter()
        answer = json.loads(body) if status == 200 else {}
        if status != 200 or answer["count"] != case.count or len(answer["items"]) != min(PAGE, case.count):
            sys.exit(
                f"{case.label}: GET {path} answered {status} {body[:200]!r}, expected count {case.count}"
            )
        if i >= warmup:
            case.http_ms.append((between - started) * 1000)
            case.sql_ms.append((ended - between) * 1000)


def report(cases: list[Case], requests: int, load_before: str) -> None:
    hazards = Hazard.objects.count()
    print(
        f"\n{dt.date.today().isoformat()} · {database_label()} · {hazards:,} hazards · {requests} requests per "
        f"case, sequential, loopback · load average (1/5/15 min) {load_before} before, {load_average()} after "
        "· times in ms\n"
    )
    print("| case | count | n | HTTP p50 | HTTP p95 | SQL p50 | SQL p95 | HTTP/SQL p50 | HTTP−SQL p50 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for c in cases:
        h50, h95, s50, s95 = (
            percentile(c.http_ms, 50),
            percentile(c.http_ms, 95),
            percentile(c.sql_ms, 50),
            percentile(c.sql_ms, 95),
        )
        shown = f"{c.count:,}" + ("" if c.exact else "+")
        print(
            f"| {c.label} | {shown} | {len(c.http_ms)} | {h50:.1f} | {h95:.1f} | {s50:.1f} | {s95:.1f} | "
            f"{h50 / s50:.1f}× | {h50 - s50:.1f} |"
        )


def main() -> None:
    harness.main(__doc__, build_cases(), capture, measure, report)


if __name__ == "__main__":
    main()
