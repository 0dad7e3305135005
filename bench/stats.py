"""Hazard statistics from the roll-up (ADR 0051) through the HTTP API, against the same roll-up SQL through the
driver (the floor) and the old full aggregation over the hazards (also through the driver), in the same run.

    DATABASE_URL=... .venv/bin/python bench/stats.py [--requests 100] [--old 5] [--explain]

Needs a database filled by bench/generate.py --scale province and bench/hazards.py, then
`anquan rebuild-hazard-rollups` (the bench data loads by COPY before the roll-up's migration, or bypasses it).
Each case is `GET /api/v1/stats/hazards` with the statistics page's default period (the year to the last
complete month), which the roll-up answers; the answer's total is checked against the live aggregation's. Goal
(issue #18): province statistics p95 < 150 ms. Prints a Markdown table; it measures, it asserts no timings.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from common import CITY, COUNTY, PROVINCE, USERS, setup_django

setup_django()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from harness import (  # noqa: E402
    Server,
    Statement,
    capture_sql,
    database_label,
    load_average,
    percentile,
    raw_runner,
)

from anquan.accounts.models import User  # noqa: E402
from anquan.hazards import stats  # noqa: E402
from anquan.hazards.models import Hazard, HazardCountyRollup, HazardRollup  # noqa: E402


@dataclass
class Case:
    label: str
    user: str  # key of common.USERS
    region: str
    group_by: str = "region"
    statements: list[Statement] = field(default_factory=list)
    old: list[Statement] = field(default_factory=list)
    found: int = 0
    http_ms: list[float] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)
    old_ms: list[float] = field(default_factory=list)


CASES = [
    Case(f"province {PROVINCE} by city", "province", PROVINCE),
    Case(f"province {PROVINCE} by industry", "province", PROVINCE, "industry"),
    Case(f"province {PROVINCE} by month", "province", PROVINCE, "month"),
    Case(f"city {CITY} by county", "city", CITY),
    Case(f"county {COUNTY} by township", "county", COUNTY),
]
PERIOD = stats.default_period({}, timezone.localdate())


def capture(case: Case) -> None:
    user = User.objects.select_related("region").get(username=USERS[case.user].username)
    params = {"region": case.region} | PERIOD
    case.statements, data = capture_sql(lambda: stats.compute(user, dict(params), case.group_by))
    case.old, old = capture_sql(lambda: stats.compute(user, dict(params), case.group_by, live=True))
    if data != old:
        sys.exit(f"{case.label}: the roll-up's figures differ from the live aggregation's; run the rebuild")
    case.found = data["total"]["found"]


def measure(case: Case, server: Server, token: str, run, requests: int, warmup: int, old: int) -> None:
    path = "/api/v1/stats/hazards?" + urlencode({"region": case.region, "group_by": case.group_by} | PERIOD)
    for i in range(warmup + requests):
        started = time.perf_counter()
        status, body = server.request("GET", path, token=token)
        between = time.perf_counter()
        for statement in case.statements:
            run(statement)
        ended = time.perf_counter()
        if status != 200 or json.loads(body)["total"]["found"] != case.found:
            sys.exit(
                f"{case.label}: GET {path} answered {status} {body[:200]!r}, expected {case.found} found"
            )
        if i >= warmup:
            case.http_ms.append((between - started) * 1000)
            case.sql_ms.append((ended - between) * 1000)
    for _ in range(old):
        started = time.perf_counter()
        for statement in case.old:
            run(statement)
        case.old_ms.append((time.perf_counter() - started) * 1000)


def report(cases: list[Case], requests: int, old: int, load_before: str) -> None:
    print(
        f"\n{dt.date.today().isoformat()} · {database_label()} · {Hazard.objects.count():,} hazards, "
        f"{HazardRollup.objects.count():,} roll-up cells ({HazardCountyRollup.objects.count():,} by county) · period {PERIOD['found_from']}…{PERIOD['found_to']} · "
        f"{requests} requests per case (old aggregation: {old} runs), sequential, loopback · load average "
        f"(1/5/15 min) {load_before} before, {load_average()} after · times in ms\n"
    )
    print(
        "| case | found | HTTP p50 | HTTP p95 | roll-up SQL p50 | SQL p95 | HTTP/SQL p95 | old SQL p50 | old/HTTP p50 |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for c in cases:
        h50, h95 = percentile(c.http_ms, 50), percentile(c.http_ms, 95)
        s50, s95 = percentile(c.sql_ms, 50), percentile(c.sql_ms, 95)
        o50 = percentile(c.old_ms, 50) if c.old_ms else float("nan")
        print(
            f"| {c.label} | {c.found:,} | {h50:.1f} | {h95:.1f} | {s50:.1f} | {s95:.1f} | {h95 / s95:.1f}× | "
            f"{o50:.0f} | {o50 / h50:.0f}× |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=100, help="timed requests per case (1–1000)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests per case first")
    parser.add_argument("--old", type=int, default=5, help="runs of the old full aggregation per case")
    parser.add_argument("--explain", action="store_true", help="print each case's roll-up query plans")
    args = parser.parse_args()
    requests = max(1, min(args.requests, 1000))
    load_before = load_average()
    for case in CASES:
        capture(case)
    connection.close()
    run, explain, close = raw_runner()
    server = Server()
    try:
        server.wait_ready()
        tokens = {key: server.token(USERS[key].username) for key in {c.user for c in CASES}}
        for case in CASES:
            measure(case, server, tokens[case.user], run, requests, max(0, args.warmup), max(0, args.old))
            print(f"  {case.label}: done", file=sys.stderr, flush=True)
    finally:
        server.stop()
    report(CASES, requests, args.old, load_before)
    if args.explain:
        for case in CASES:
            for sql, params in case.statements:
                print(
                    f"\n### {case.label}\n\n```\n{sql % tuple(repr(p) for p in params)}\n\n{explain((sql, params))}\n```"
                )
    close()


if __name__ == "__main__":
    main()
