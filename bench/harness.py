"""What the HTTP-versus-SQL benchmarks share: a driver connection that replays the SQL Django ran,
the server under test, percentiles and the run's labels."""

from __future__ import annotations

import http.client
import json
import math
import os
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from typing import Any

from common import PASSWORD, PROJECT_DIR
from django.db import connection

Statement = tuple[str, Sequence[Any]]  # SQL with %s placeholders and its parameters, as Django ran it


def capture_sql(action: Callable[[], Any]) -> tuple[list[Statement], Any]:
    """Run `action` through the ORM once, returning the SQL statements it ran and its result."""
    statements: list[Statement] = []

    def record(execute, sql, params, many, context):
        statements.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        result = action()
    return statements, result


def raw_runner() -> tuple[Callable[[Statement], list[tuple]], Callable[[Statement], str], Callable[[], None]]:
    """(run a statement, explain a statement, close) on a new driver connection to Django's database."""
    if connection.vendor == "sqlite":
        from django.db.backends.sqlite3._functions import register

        db = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
        register(
            db
        )  # the SQL functions Django's backend defines (django_timestamp_diff, …) and the ORM emits
        from anquan.core import grams

        db.create_function("anquan_grams", -1, grams.document, deterministic=True)  # as core/grams.py does

        def to_qmark(sql: str) -> str:  # what Django's SQLite backend does before executing
            return re.sub(r"(?<!%)%s", "?", sql).replace("%%", "%")

        def run(statement: Statement) -> list[tuple]:
            return db.execute(to_qmark(statement[0]), statement[1]).fetchall()

        def explain(statement: Statement) -> str:
            rows = db.execute("EXPLAIN QUERY PLAN " + to_qmark(statement[0]), statement[1]).fetchall()
            return "\n".join(row[-1] for row in rows)

        return run, explain, db.close
    if connection.vendor == "postgresql":
        import psycopg

        # Django's connection parameters with plain psycopg classes; client-side binding as Django's
        # backend does by default, so the planner sees the values
        params = {k: v for k, v in connection.get_connection_params().items() if k != "context"}
        pg = psycopg.connect(**{**params, "cursor_factory": psycopg.ClientCursor}, autocommit=True)

        def run(statement: Statement) -> list[tuple]:
            return pg.execute(statement[0], statement[1]).fetchall()

        def explain(statement: Statement) -> str:
            rows = pg.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement[0], statement[1]).fetchall()
            return "\n".join(row[0] for row in rows)

        return run, explain, pg.close
    sys.exit(f"unsupported database: {connection.vendor}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`anquan runserver` (threaded, DEBUG off) as a child process on 127.0.0.1, with one keep-alive client.

    By default through bench/serve.py, which turns Nagle's algorithm off (see there); `nagle`
    runs the unmodified `anquan runserver`."""

    def __init__(self, nagle: bool = False) -> None:
        self.port = free_port()
        self.log = tempfile.NamedTemporaryFile(prefix="anquan-bench-server-", suffix=".log", delete=False)
        command = ["-m", "anquan.manage"] if nagle else [str(PROJECT_DIR / "bench" / "serve.py")]
        self.process = subprocess.Popen(
            [sys.executable, *command, "runserver", "--noreload", f"127.0.0.1:{self.port}"],
            cwd=PROJECT_DIR,
            env={**os.environ, "DEBUG": "false"},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.http = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)

    def wait_ready(self, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        sys.exit(f"the server did not start; its log:\n{open(self.log.name, encoding='utf-8').read()}")

    def request(
        self, method: str, path: str, body: dict | None = None, token: str | None = None
    ) -> tuple[int, bytes]:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.http.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = self.http.getresponse()
        return response.status, response.read()

    def token(self, username: str) -> str:
        status, body = self.request(
            "POST", "/api/v1/auth/token", {"username": username, "password": PASSWORD}
        )
        if status != 200:
            sys.exit(f"POST /api/v1/auth/token for {username}: {status} {body[:200]!r}")
        return json.loads(body)["token"]

    def stop(self) -> None:
        self.http.close()
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
        os.unlink(self.log.name)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def database_label() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]}"
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def load_average() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def main(description: str, cases: list, capture: Callable, measure: Callable, report: Callable) -> None:
    """The command line both benchmarks share: capture each case's SQL through the ORM, then alternate
    HTTP requests with the replayed SQL (`measure(case, server, token, run, requests, warmup)`), then
    `report(cases, requests, load_before)`; `--explain` prints each statement's plan."""
    import argparse

    from common import USERS

    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=100, help="timed requests per case (1–1000)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests per case first (0–100)")
    parser.add_argument("--explain", action="store_true", help="print each case's query plans")
    parser.add_argument("--nagle", action="store_true", help="plain `anquan runserver`, Nagle's algorithm on")
    args = parser.parse_args()
    requests = max(1, min(args.requests, 1000))

    load_before = load_average()
    for case in cases:
        capture(case)
    connection.close()  # the ORM is done; the server and the raw driver do the rest

    run, explain, close = raw_runner()
    server = Server(nagle=args.nagle)
    try:
        server.wait_ready()
        tokens = {key: server.token(USERS[key].username) for key in {c.user for c in cases}}
        for case in cases:
            measure(case, server, tokens[case.user], run, requests, max(0, min(args.warmup, 100)))
            print(f"  {case.label}: done", file=sys.stderr, flush=True)
    finally:
        server.stop()
    report(cases, requests, load_before)
    if args.explain:
        for case in cases:
            for sql, params in case.statements:
                print(
                    f"\n### {case.label}\n\n```\n{sql % tuple(repr(p) for p in params)}\n\n"
                    f"{explain((sql, params))}\n```"
                )
    close()
