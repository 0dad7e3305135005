"""Enterprise search through the HTTP API versus the same SQL run directly with the database driver.

    DATABASE_URL=... .venv/bin/python bench/search.py [--requests 100] [--explain]

Starts `anquan runserver` on a free loopback port, takes a bearer token per benchmark account
(bench/generate.py creates them) and, for each case, alternates `GET /api/v1/enterprises?...`
with the SQL the endpoint runs for its data (the region look-up of `region=`, the count and the
first page of 50), captured from Django and replayed through sqlite3 / psycopg on one connection.
The token check and its `last_used_at` update are part of the HTTP figure only. Prints a
Markdown table; it measures, it asserts no timings.
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
from harness import (  # noqa: E402
    Server,
    Statement,
    database_label,
    load_average,
    percentile,
)

from anquan.accounts.models import User  # noqa: E402
from anquan.enterprises import filters  # noqa: E402
from anquan.enterprises.api import _scoped  # noqa: E402  (the endpoint's own scoped queryset)
from anquan.enterprises.models import Enterprise  # noqa: E402

PAGE = 50  # the endpoint's default limit


@dataclass
class Case:
    label: str
    user: str  # key of common.USERS
    params: dict[str, str]
    statements: list[Statement] = field(default_factory=list)
    count: int = 0
    http_ms: list[float] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)


def build_cases() -> list[Case]:
    sample_uscc = (
        Enterprise.objects.filter(region_code__startswith=COUNTY)
        .order_by("id")
        .values_list("uscc", flat=True)
        .first()
    )
    if sample_uscc is None:
        sys.exit(f"no enterprises in {COUNTY}: run bench/generate.py first")
    return [
        Case("name contains 恒达", "province", {"q": "恒达"}),
        Case("name contains 恒达化工", "province", {"q": "恒达化工"}),
        Case("pinyin initials hdhg", "province", {"q": "hdhg"}),
        Case(f"USCC prefix {sample_uscc[:10]}", "province", {"q": sample_uscc[:10]}),
        Case(f"region {COUNTY} + name 恒达", "province", {"region": COUNTY, "q": "恒达"}),
        Case(f"region {COUNTY} only", "province", {"region": COUNTY}),
        Case("county user, name 恒达", "county", {"q": "恒达"}),
    ]


def capture(case: Case) -> None:
    """Run the endpoint's data queries through the ORM once, recording the SQL and the count."""

    def record(execute, sql, params, many, context):
        case.statements.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    user = User.objects.select_related("region").get(username=USERS[case.user].username)
    with connection.execute_wrapper(record):
        qs = filters.apply(_scoped(SimpleNamespace(user=user)), case.params)
        case.count = qs.count()
        list(qs[:PAGE])


def measure(
    case: Case,
    server: Server,
    token: str,
    run: Callable[[Statement], list[tuple]],
    requests: int,
    warmup: int,
) -> None:
    path = "/api/v1/enterprises?" + urlencode(case.params)
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
    enterprises = Enterprise.objects.count()
    print(
        f"\n{dt.date.today().isoformat()} · {database_label()} · {enterprises:,} enterprises · "
        f"{requests} requests per case, sequential, loopback · load average (1/5/15 min) "
        f"{load_before} before, {load_average()} after · times in ms\n"
    )
    print("| case | rows | n | HTTP p50 | HTTP p95 | SQL p50 | SQL p95 | HTTP/SQL p50 | HTTP−SQL p50 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for c in cases:
        h50, h95, s50, s95 = (
            percentile(c.http_ms, 50),
            percentile(c.http_ms, 95),
            percentile(c.sql_ms, 50),
            percentile(c.sql_ms, 95),
        )
        print(
            f"| {c.label} | {c.count:,} | {len(c.http_ms)} | {h50:.1f} | {h95:.1f} | {s50:.1f} | {s95:.1f} | "
            f"{h50 / s50:.1f}× | {h50 - s50:.1f} |"
        )


def main() -> None:
    harness.main(__doc__, build_cases(), capture, measure, report)


if __name__ == "__main__":
    main()
