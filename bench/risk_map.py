"""The regional four-colour map through the HTTP API versus the same SQL run with the database driver.

    DATABASE_URL=... .venv/bin/python bench/risk_map.py [--requests 100] [--explain]

For each case, alternates `GET /api/v1/stats/risk-map?region=...` with the SQL the endpoint runs
(region look-up, colour rule, the grouped count of enterprises by child region and level, the child
and ancestor regions), captured from Django once and replayed through sqlite3 / psycopg. Goal
(issue #4): the whole province at province scale, p95 under 150 ms and within 2× of the SQL.
Prints a Markdown table; it measures, it asserts no timings.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from common import CITY, COUNTY, PROVINCE, USERS, setup_django

setup_django()

import harness  # noqa: E402
from harness import (  # noqa: E402
    Server,
    Statement,
    capture_sql,
    database_label,
    load_average,
    percentile,
)

from anquan.accounts.models import User  # noqa: E402
from anquan.enterprises.models import Enterprise  # noqa: E402
from anquan.riskmap import maps  # noqa: E402


@dataclass
class Case:
    label: str
    user: str  # key of common.USERS
    region: str
    statements: list[Statement] = field(default_factory=list)
    total: int = 0
    children: int = 0
    http_ms: list[float] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)


CASES = [
    Case(f"province {PROVINCE}: its 11 cities", "province", PROVINCE),
    Case(f"city {CITY}: its counties", "province", CITY),
    Case(f"county {COUNTY}: its townships", "province", COUNTY),
    Case("county user, own county", "county", COUNTY),
]


def capture(case: Case) -> None:
    user = User.objects.select_related("region").get(username=USERS[case.user].username)
    case.statements, data = capture_sql(lambda: maps.compute(user, case.region))
    case.total, case.children = data["total"]["total"], len(data["children"])


def measure(case: Case, server: Server, token: str, run, requests: int, warmup: int) -> None:
    path = "/api/v1/stats/risk-map?" + urlencode({"region": case.region})
    for i in range(warmup + requests):
        started = time.perf_counter()
        status, body = server.request("GET", path, token=token)
        between = time.perf_counter()
        for statement in case.statements:
            run(statement)
        ended = time.perf_counter()
        if status != 200 or json.loads(body)["total"]["total"] != case.total:
            sys.exit(
                f"{case.label}: GET {path} answered {status} {body[:200]!r}, expected total {case.total}"
            )
        if i >= warmup:
            case.http_ms.append((between - started) * 1000)
            case.sql_ms.append((ended - between) * 1000)


def report(cases: list[Case], requests: int, load_before: str) -> None:
    print(
        f"\n{dt.date.today().isoformat()} · {database_label()} · {Enterprise.objects.count():,} enterprises · "
        f"{requests} requests per case, sequential, loopback · load average (1/5/15 min) "
        f"{load_before} before, {load_average()} after · times in ms\n"
    )
    print(
        "| case | enterprises | regions | statements | HTTP p50 | HTTP p95 | SQL p50 | SQL p95 | HTTP/SQL p95 |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for c in cases:
        h50, h95 = percentile(c.http_ms, 50), percentile(c.http_ms, 95)
        s50, s95 = percentile(c.sql_ms, 50), percentile(c.sql_ms, 95)
        print(
            f"| {c.label} | {c.total:,} | {c.children} | {len(c.statements)} | {h50:.1f} | {h95:.1f} | "
            f"{s50:.1f} | {s95:.1f} | {h95 / s95:.1f}× |"
        )


def main() -> None:
    harness.main(__doc__, list(CASES), capture, measure, report)


if __name__ == "__main__":
    main()
