"""The hazard ledger's `q=` search (issue #18, docs/adr/0050) through the HTTP API versus the same SQL run
directly with the database driver, at province scale (bench/generate.py --scale province, then
bench/hazards.py: 1,000,000 hazards with inspectors' descriptions and business numbers).

    DATABASE_URL=... .venv/bin/python bench/search_ledger.py [--requests 50] [--explain]

Terms of 1, 2, 3 and 5 characters, a business number (whole and its last four digits) and an
enterprise name, each for the province and for a county user. Each request is the API's first page
(count + 50 rows + their listings); the floor is the SQL it ran, captured from Django once and replayed
through sqlite3 / psycopg between the requests. Prints a Markdown table; asserts no timings.
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

from common import COUNTY, USERS, setup_django

setup_django()

import harness  # noqa: E402
from django.db import connection  # noqa: E402
from harness import Server, Statement, database_label, load_average, percentile  # noqa: E402

from anquan.accounts.models import User  # noqa: E402
from anquan.core.paging import capped_count, page_rows  # noqa: E402
from anquan.hazards import filters  # noqa: E402
from anquan.hazards.api import _scoped  # noqa: E402  (the endpoint's own scoped queryset)
from anquan.hazards.models import Hazard  # noqa: E402

PAGE = 50


@dataclass
class Case:
    label: str
    user: str
    params: dict[str, str]
    statements: list[Statement] = field(default_factory=list)
    count: int = 0
    exact: bool = True
    http_ms: list[float] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)


def build_cases() -> list[Case]:
    number = (
        Hazard.objects.filter(region_code__startswith=COUNTY, number__isnull=False)
        .order_by("-id")
        .values_list("number", flat=True)
        .first()
    )
    if number is None:
        sys.exit(f"no numbered hazards in {COUNTY}: run bench/hazards.py (--number-only) first")
    terms = [
        ("1 char", "火"),
        ("2 chars", "消防"),
        ("3 chars", "配电箱"),
        ("5 chars", "安全出口指"),
        ("business number", number),
        ("number's last 4 digits", number[-4:]),
        ("enterprise name", "恒达"),
    ]
    return [
        Case(f"{user}: {label} {term}", user, {"q": term})
        for user in ("province", "county")
        for label, term in terms
    ]


def capture(case: Case) -> None:
    def record(execute, sql, params, many, context):
        case.statements.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    user = User.objects.select_related("region").get(username=USERS[case.user].username)
    with connection.execute_wrapper(record):
        qs = filters.apply(_scoped(SimpleNamespace(user=user)), case.params, user).prefetch_related(
            "listings"
        )
        case.count, case.exact = capped_count(qs)  # as the API counts (docs/adr/0049)
        page_rows(qs, 0, PAGE + 1)  # as the API reads a page (docs/adr/0054)


def measure(case: Case, server: Server, token: str, run: Callable, requests: int, warmup: int) -> None:
    path = "/api/v1/hazards?" + urlencode(case.params)
    for i in range(warmup + requests):
        started = time.perf_counter()
        status, body = server.request("GET", path, token=token)
        between = time.perf_counter()
        for statement in case.statements:
            run(statement)
        ended = time.perf_counter()
        if status != 200 or json.loads(body)["count"] != case.count:
            sys.exit(
                f"{case.label}: GET {path} answered {status} {body[:200]!r}, expected count {case.count}"
            )
        if i >= warmup:
            case.http_ms.append((between - started) * 1000)
            case.sql_ms.append((ended - between) * 1000)


def report(cases: list[Case], requests: int, load_before: str) -> None:
    print(
        f"\n{dt.date.today().isoformat()} · {database_label()} · {Hazard.objects.count():,} hazards · "
        f"{requests} requests per case, sequential, loopback · load average (1/5/15 min) "
        f"{load_before} before, {load_average()} after · times in ms\n"
    )
    print("| case | rows | n | HTTP p50 | HTTP p95 | SQL p50 | SQL p95 | HTTP/SQL p50 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for c in cases:
        h50, h95 = percentile(c.http_ms, 50), percentile(c.http_ms, 95)
        s50, s95 = percentile(c.sql_ms, 50), percentile(c.sql_ms, 95)
        print(
            f"| {c.label} | {c.count:,}{'' if c.exact else '+'} | {len(c.http_ms)} | {h50:.1f} | {h95:.1f} | {s50:.1f} | {s95:.1f} | "
            f"{h50 / s50:.1f}× |"
        )


def main() -> None:
    harness.main(__doc__, build_cases(), capture, measure, report)


if __name__ == "__main__":
    main()
