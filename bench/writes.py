"""Write throughput: hazard creations per second through the API at 1, 4, 16 and 32 concurrent clients against
the same writes through the bare driver; and the periodic sweep while the API writes.

    DATABASE_URL=postgres://... .venv/bin/python bench/writes.py --clients 1,4,16,32 --duration 20 --sweep
    DATABASE_URL=sqlite:///... .venv/bin/python bench/writes.py --clients 1,8,16,32   # the write burst

The database (PostgreSQL or SQLite; --sweep: PostgreSQL) is filled by bench/generate.py (any scale: the writers
report hazards at the enterprises of 修水县 as `bench_county`, so every create takes the next business number
from the one counter row of 修水县 and the year, ADR 0021) and, for --sweep, bench/hazards.py (the hazards the
sweep works on).

API: `anquan serve` (gunicorn, the production server, its default workers × threads) as a child process; each
client is one keep-alive connection of one asyncio process, sending `POST /api/v1/hazards` with a bearer token
as soon as the previous one is answered (no think time: this is throughput). Floor: the writes one such request
makes — the county's counter row incremented (`UPDATE … RETURNING last`: its row lock held to commit, as the
app's `select_for_update`), the hazard with that number, its event row and its audit entry — through psycopg
or sqlite3 (`BEGIN IMMEDIATE`, as the app's transactions on SQLite) in one transaction per hazard, one
connection per client, from threads; the values are those of a hazard created through the API just before
(JSON columns as they were; the audit entry unchained, as the app inserts it; the floor's entries are chained,
untimed, before the API's level so that the API's chainer does not link them). Each level runs the floor and
then the API for --duration seconds after --warmup seconds, in the same run; "API/floor" divides their rates.
After each level the numbers of 修水县's year are checked: 1 … the counter's last, each once, as many as the
creates that succeeded (floor and API, warm-up included).

--sweep: first undoes what an earlier sweep of the same data did today (its overdue marks, escalations and
hazard notifications), so the sweep has its day's work again; then --sweep-clients API writers run for
--duration seconds alone (the p95 "without"), then again while `sweep()` runs in a child process (from the
moment the child has loaded Django and starts sweeping until it ends): the writes' p95 during the sweep
against without, and the sweep's time.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import http.client
import json
import os
import re
import secrets
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import COUNTY, PASSWORD, USERS, setup_django  # noqa: E402
from harness import load_average, percentile  # noqa: E402
from load import Conn, Server  # noqa: E402

PROJECT_DIR = Path(__file__).resolve().parent.parent


@dataclass
class Sample:
    started: float
    seconds: float
    ok: bool


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}" if seconds >= 0.1 else f"{seconds * 1000:.1f}"


# --- the API side -----------------------------------------------------------------------------------------


def api_token(port: int) -> str:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    c.request(
        "POST",
        "/api/v1/auth/token",
        body=json.dumps({"username": USERS["county"].username, "password": PASSWORD}),
        headers={"Content-Type": "application/json"},
    )
    r = c.getresponse()
    body = r.read()
    if r.status != 200:
        sys.exit(f"token: {r.status} {body[:200]!r}")
    return json.loads(body)["token"]


def create_body(n: int, uscc: str) -> bytes:
    return json.dumps(
        {"enterprise": uscc, "source": "inspection", "description": f"压测隐患：消防通道堵塞 {n}"}
    ).encode()


async def api_clients(port, token, usccs, clients, stop: asyncio.Event) -> list[Sample]:
    samples: list[Sample] = []
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    async def client(k: int) -> None:
        conn = Conn("127.0.0.1", port)
        n = 0
        while not stop.is_set():
            n += 1
            started = time.monotonic()
            try:
                status, _ = await asyncio.wait_for(
                    conn.request(
                        "POST", "/api/v1/hazards", headers, create_body(n, usccs[(k + n) % len(usccs)])
                    ),
                    timeout=60,
                )
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
                status = 0
                await conn.close()
            samples.append(Sample(started, time.monotonic() - started, status == 201))
        await conn.close()

    await asyncio.gather(*[client(k) for k in range(clients)])
    return samples


async def api_level(port, token, usccs, clients, warmup, duration) -> list[Sample]:
    stop = asyncio.Event()
    task = asyncio.ensure_future(api_clients(port, token, usccs, clients, stop))
    await asyncio.sleep(warmup + duration)
    stop.set()
    return await task


# --- the floor: the same rows through psycopg / sqlite3 ---------------------------------------------------------

NUMBER = re.compile(r"^(.*〕)(\d+)$")  # 修水隐〔2026〕0042 → prefix, sequence (numbering.format_number)


class Floor:
    """The writes of one API create, replayed with the values of hazard `pk` through the bare driver: the county's
    counter row incremented (`UPDATE … RETURNING`, which holds its row lock until commit as the app's
    `select_for_update` does), the hazard with that number, its event row, its audit entry."""

    def __init__(self, vendor: str, params: dict, pk: int):
        self.vendor = vendor
        self.params = params
        db = self.connect()
        try:
            self.hazard = self.row(db, "SELECT * FROM hazards_hazard WHERE id = %s", pk)
            self.event = self.row(
                db, "SELECT * FROM hazards_hazardevent WHERE hazard_id = %s ORDER BY id LIMIT 1", pk
            )
            self.entry = self.row(
                db,
                "SELECT * FROM core_auditentry WHERE model = 'hazards.hazard' AND object_id = %s ORDER BY id LIMIT 1",
                str(pk),
            )
            match = NUMBER.match(self.hazard["number"] or "")
            if self.event is None or self.entry is None or match is None:
                sys.exit(f"hazard {pk} has no event row, no audit entry or no number to copy")
            self.prefix = match[1]
            self.counter = self.row(
                db,
                "SELECT county_code, year FROM hazards_hazardnumbercounter WHERE last = %s "
                "AND county_code = %s ORDER BY year DESC LIMIT 1",
                int(match[2]),
                COUNTY,
            )
            if self.counter is None:
                sys.exit(f"no counter row of {COUNTY} gave number {self.hazard['number']}")
        finally:
            db.close()

    def connect(self):
        if self.vendor == "sqlite":
            import sqlite3

            # the app's connection settings: autocommit outside BEGIN IMMEDIATE, WAL, busy_timeout
            db = sqlite3.connect(self.params["database"], isolation_level=None, check_same_thread=False)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA busy_timeout = 10000")
            db.execute("PRAGMA synchronous = NORMAL")
            return db
        import psycopg
        from psycopg.rows import dict_row

        return psycopg.connect(**self.params, autocommit=True, row_factory=dict_row)

    def sql(self, text: str) -> str:
        return text.replace("%s", "?") if self.vendor == "sqlite" else text

    def row(self, db, text: str, *args) -> dict | None:
        found = db.execute(self.sql(text), args).fetchone()
        return dict(found) if found is not None else None

    def _insert(self, table: str, row: dict) -> tuple[str, list[str]]:
        names = [k for k in row if k != "id"]
        marks = ", ".join(["%s"] * len(names))
        return self.sql(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks}) RETURNING id"), names

    def write_one(self, db, statements, now: dt.datetime) -> None:
        """One hazard's transaction: take the county's next number, then the three rows."""
        if self.vendor == "sqlite":
            at = now.replace(tzinfo=None).isoformat(" ")  # as Django stores a datetime in SQLite (UTC)
            db.execute("BEGIN IMMEDIATE")  # the app's transaction_mode
            try:
                self._rows(db, statements, at)
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        else:
            with db.transaction():
                self._rows(db, statements, now)

    def _rows(self, db, statements, at: object) -> None:
        (hazard_sql, hazard_names), (event_sql, event_names), (entry_sql, entry_names), bump = statements
        last = dict(db.execute(bump, (self.counter["county_code"], self.counter["year"])).fetchone())["last"]
        values = self.values(
            self.hazard, hazard_names, created_at=at, updated_at=at, number=f"{self.prefix}{last:04d}"
        )
        pk = dict(db.execute(hazard_sql, values).fetchone())["id"]
        db.execute(event_sql, self.values(self.event, event_names, hazard_id=pk, at=at))
        db.execute(entry_sql, self.values(self.entry, entry_names, at=at, object_id=str(pk), **self.link()))

    def values(self, row: dict, names: list[str], **override) -> list:
        out = []
        for name in names:
            value = override.get(name, row[name])
            if self.vendor != "sqlite" and isinstance(value, dict | list):
                from psycopg.types.json import Jsonb

                value = Jsonb(value)
            out.append(value)
        return out

    def link(self) -> dict:
        """The chain columns as the insert leaves them: unchained (`seq` NULL, linked after commit by the
        chainer) where the log has a sequence, otherwise (a chain linked at insert) new random hashes."""
        if "seq" in self.entry:
            return {"seq": None, "hash": "", "prev_hash": "", "key_id": ""}
        return {"hash": secrets.token_hex(32), "prev_hash": secrets.token_hex(32)}

    def run(self, clients: int, warmup: float, duration: float) -> list[Sample]:
        statements = (
            self._insert("hazards_hazard", self.hazard),
            self._insert("hazards_hazardevent", self.event),
            self._insert("core_auditentry", self.entry),
            self.sql(
                "UPDATE hazards_hazardnumbercounter SET last = last + 1 WHERE county_code = %s AND year = %s "
                "RETURNING last"
            ),
        )
        samples: list[Sample] = []
        failures: list[str] = []
        stop = threading.Event()
        lock = threading.Lock()

        def client() -> None:
            mine = []
            db = self.connect()
            try:
                while not stop.is_set():
                    started = time.monotonic()
                    try:
                        self.write_one(db, statements, dt.datetime.now(dt.UTC))
                        ok = True
                    except Exception as error:  # noqa: BLE001 — counted and shown, as the API's errors are
                        failures.append(repr(error))
                        ok = False
                    mine.append(Sample(started, time.monotonic() - started, ok))
            finally:
                db.close()
            with lock:
                samples.extend(mine)

        threads = [threading.Thread(target=client) for _ in range(clients)]
        for t in threads:
            t.start()
        time.sleep(warmup + duration)
        stop.set()
        for t in threads:
            t.join()
        if failures:
            print(f"  floor errors: {len(failures)}, first: {failures[0]}", flush=True)
        return samples

    def check_numbers(self) -> tuple[int, int, str]:
        """(hazards numbered in the county and year, the counter's last, "" or what is wrong): the numbers must be
        1 … last, each once."""
        db = self.connect()
        try:
            key = (self.counter["county_code"], self.counter["year"])
            last = self.row(
                db, "SELECT last FROM hazards_hazardnumbercounter WHERE county_code = %s AND year = %s", *key
            )
            numbers = [
                dict(r)["number"]
                for r in db.execute(
                    self.sql("SELECT number FROM hazards_hazard WHERE number LIKE %s"), (self.prefix + "%",)
                ).fetchall()
            ]
        finally:
            db.close()
        top = last["last"] if last else 0
        sequences = sorted(int(NUMBER.match(n)[2]) for n in numbers)
        wrong = []
        if len(set(numbers)) != len(numbers):
            wrong.append(f"{len(numbers) - len(set(numbers))} repeated")
        missing = sorted(set(range(1, top + 1)) - set(sequences))
        if missing:
            wrong.append(f"{len(missing)} missing (first {missing[:5]})")
        beyond = [s for s in sequences if s > top]
        if beyond:
            wrong.append(f"{len(beyond)} above the counter")
        return len(numbers), top, "; ".join(wrong)


class LockWaits:
    """PostgreSQL only: every 0.1 s, how many of the database's backends wait on a lock (`pg_stat_activity`,
    `wait_event_type = 'Lock'`). In a hazard create that is the county's counter row: the API token's
    `last_used_at` is written at most every 5 minutes and the audit chainer skips a locked head."""

    def __init__(self, vendor: str, params: dict):
        self.vendor, self.params = vendor, params
        self.samples: list[tuple[float, int]] = []
        self.stop = threading.Event()
        self.thread: threading.Thread | None = None

    def __enter__(self) -> LockWaits:
        if self.vendor == "postgresql":
            self.thread = threading.Thread(target=self._sample, daemon=True)
            self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        if self.thread is not None:
            self.thread.join()

    def _sample(self) -> None:
        import psycopg

        with psycopg.connect(**self.params, autocommit=True) as pg:
            while not self.stop.wait(0.1):
                waiting = pg.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database()"
                ).fetchone()
                self.samples.append((time.monotonic(), waiting[0] if waiting else 0))

    def summary(self, begin: float, end: float) -> str:
        """ "mean / max" waiters inside [begin, end] ("–" on SQLite, whose writers wait inside the library)."""
        inside = [n for at, n in self.samples if begin <= at <= end]
        if not inside:
            return "–"
        return f"{sum(inside) / len(inside):.1f} / {max(inside)}"


@dataclass
class Stats:
    rate: float  # successful creates answered inside the window, per second
    p50: float  # latencies of the successful requests started inside the window (answered inside or after)
    p95: float
    slowest: float
    errors: int  # requests started inside the window that failed


def stats(samples: list[Sample], begin: float, end: float) -> Stats:
    """A request started inside [begin, end] counts for the latencies and errors even when its answer came
    after `end` (the clients finish what they started, and a slow answer must not drop out of the p95); the
    rate counts the successes answered inside."""
    started = [s for s in samples if begin <= s.started <= end]
    ok = [s.seconds for s in started if s.ok]
    answered = sum(1 for s in samples if s.ok and begin <= s.started + s.seconds <= end)
    errors = sum(1 for s in started if not s.ok)
    if not ok:
        return Stats(0.0, 0.0, 0.0, 0.0, errors)
    return Stats(answered / (end - begin), percentile(ok, 50), percentile(ok, 95), max(ok), errors)


# --- the sweep ------------------------------------------------------------------------------------------------


def undo_todays_sweep(params: dict) -> dict:
    """Put the data back as it was before a sweep of today ran on it (its marks, events and notifications), so
    a repeated benchmark run has the same work. Audit entries stay (they are a log)."""
    import psycopg

    with psycopg.connect(**params, autocommit=True) as pg, pg.transaction():
        marked = pg.execute(
            "UPDATE hazards_hazard SET overdue = false WHERE id IN (SELECT hazard_id FROM hazards_hazardevent "
            "WHERE action = 'mark_overdue' AND actor_id IS NULL AND at >= now() - interval '1 day')"
        ).rowcount
        escalated = pg.execute(
            "UPDATE hazards_hazard SET escalated_at = NULL WHERE id IN (SELECT hazard_id FROM hazards_hazardevent "
            "WHERE action = 'escalate' AND actor_id IS NULL AND at >= now() - interval '1 day')"
        ).rowcount
        pg.execute(
            "DELETE FROM hazards_hazardevent WHERE action IN ('mark_overdue', 'escalate') AND actor_id IS NULL "
            "AND at >= now() - interval '1 day'"
        )
        notified = pg.execute("DELETE FROM core_notification WHERE dedupe_key LIKE 'hazard:%%'").rowcount
    return {"overdue marks": marked, "escalations": escalated, "notifications": notified}


def sweep_child() -> None:
    """Run in the child process: load Django and the URLs, say "start", sweep, print the summary."""
    setup_django()
    from django.urls import reverse

    from anquan.sweep.services import sweep

    reverse("hazards:detail", args=[1])  # the URLconf, loaded before the clock starts
    print("start", flush=True)
    result = sweep()
    print(json.dumps({"seconds": result.seconds, "summary": result.summary()}), flush=True)


async def run_sweep_child(env) -> tuple[float, float, dict]:
    """Start the sweep in a child process; (its start, its end, its summary)."""
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        str(Path(__file__).resolve()),
        "--sweep-child",
        cwd=PROJECT_DIR,
        env=env,
        stdout=asyncio.subprocess.PIPE,
    )
    assert child.stdout is not None
    line = await child.stdout.readline()
    if line.strip() != b"start":
        sys.exit(f"sweep child: {line!r}")
    begin = time.monotonic()
    out = await child.stdout.readline()
    end = time.monotonic()
    await child.wait()
    return begin, end, json.loads(out)


async def writes_during_sweep(port, token, usccs, clients, env) -> tuple[list[Sample], float, float, dict]:
    stop = asyncio.Event()
    task = asyncio.ensure_future(api_clients(port, token, usccs, clients, stop))
    await asyncio.sleep(2)
    begin, end, summary = await run_sweep_child(env)
    await asyncio.sleep(1)
    stop.set()
    return await task, begin, end, summary


# --- the run --------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--clients", default="1,4,16,32", help="concurrent clients, one level each ('' for none)"
    )
    parser.add_argument("--duration", type=float, default=20, help="measured seconds per level")
    parser.add_argument(
        "--warmup", type=float, default=3, help="unmeasured seconds at the start of each level"
    )
    parser.add_argument("--sweep", action="store_true", help="also the sweep during writes")
    parser.add_argument("--sweep-clients", type=int, default=16, help="API writers during the sweep")
    parser.add_argument("--workers", help="ANQUAN_WORKERS for the server (default: anquan serve's)")
    parser.add_argument("--threads", help="ANQUAN_THREADS for the server (default: anquan serve's)")
    parser.add_argument("--label", default="", help="database and scale, for the heading")
    parser.add_argument("--sweep-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sweep_child:
        sweep_child()
        return
    if args.sweep and not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("--sweep: DATABASE_URL must name a PostgreSQL database")
    setup_django()
    from django.db import connection

    from anquan.core.audit import chain_pending
    from anquan.enterprises.models import Enterprise
    from anquan.hazards.models import Hazard

    usccs = list(
        Enterprise.objects.filter(region_code__startswith=COUNTY).values_list("uscc", flat=True)[:500]
    )
    if not usccs:
        sys.exit(f"no enterprises in {COUNTY}: run bench/generate.py first")
    hazards = Hazard.objects.count()
    params = {k: v for k, v in connection.get_connection_params().items() if k != "context"}
    vendor = connection.vendor
    connection.close()
    levels = [int(c) for c in args.clients.split(",") if c.strip()]

    server = Server(args.workers, args.threads)
    try:
        server.wait_ready()
        token = api_token(server.port)
        c = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
        c.request(
            "POST",
            "/api/v1/hazards",
            body=create_body(0, usccs[0]),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        r = c.getresponse()
        answer = r.read()
        if r.status != 201:
            sys.exit(f"POST /api/v1/hazards answered {r.status}: {answer[:300]!r}")
        floor = Floor(vendor, params, json.loads(answer)["id"])
        written = 1  # hazards created successfully since the counter gave the probe's number
        workers = len(server.pids()) - 1
        print(
            f"\n{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} · {args.label} · {hazards:,} hazards before the run · anquan serve: "
            f"{workers} workers × {args.threads or os.environ.get('ANQUAN_THREADS') or 4} threads · "
            f"{args.duration:.0f} s measured per level after {args.warmup:.0f} s · times in ms\n",
            flush=True,
        )
        if levels:
            print(
                "| clients | load before → after | API creates/s | API p50 | API p95 | API slowest | API errors | floor creates/s "
                "| floor p50 | floor p95 | floor errors | API/floor | waiting on a lock, API · floor (mean / max) "
                "| numbers after the level |"
            )
            print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|", flush=True)
        for clients in levels:
            load_start = load_average()
            t0 = time.monotonic()
            with LockWaits(vendor, params) as floor_locks:
                floor_samples = floor.run(clients, args.warmup, args.duration)
            floor_waits = floor_locks.summary(t0 + args.warmup, t0 + args.warmup + args.duration)
            f = stats(floor_samples, t0 + args.warmup, t0 + args.warmup + args.duration)
            chain_pending()  # the floor's audit entries, untimed: the API's chainer would otherwise link them
            connection.close()
            t0 = time.monotonic()
            with LockWaits(vendor, params) as api_locks:
                api_samples = asyncio.run(
                    api_level(server.port, token, usccs, clients, args.warmup, args.duration)
                )
            a = stats(api_samples, t0 + args.warmup, t0 + args.warmup + args.duration)
            api_waits = api_locks.summary(t0 + args.warmup, t0 + args.warmup + args.duration)
            load_end = load_average()
            written += sum(s.ok for s in floor_samples) + sum(s.ok for s in api_samples)
            numbered, last, wrong = floor.check_numbers()
            if numbered != written:
                wrong = f"{wrong}; " if wrong else ""
                wrong += f"{numbered} numbered hazards for {written} successful creates"
            numbers = f"1–{last}: distinct, no gap" if not wrong else f"**{wrong}**"
            print(
                f"| {clients} | {load_start} → {load_end} | {a.rate:.1f} | {ms(a.p50)} | {ms(a.p95)} | {ms(a.slowest)} "
                f"| {a.errors} | {f.rate:.1f} | {ms(f.p50)} | {ms(f.p95)} | {f.errors} | {a.rate / f.rate if f.rate else 0:.2f} "
                f"| {api_waits} · {floor_waits} | {numbers} |",
                flush=True,
            )
        if args.sweep:
            env = {**os.environ, "DEBUG": "false"}
            undone = undo_todays_sweep(params)
            load_start = load_average()
            _, _, lone = asyncio.run(run_sweep_child(env))
            print(
                f"\nThe sweep alone (undone first: {undone}; load {load_start} → {load_average()}): "
                f"{lone['seconds']:.1f} s. {lone['summary']}",
                flush=True,
            )
            undone = undo_todays_sweep(params)
            print(
                f"\nSweep during writes ({args.sweep_clients} API clients); undone first: {undone}\n",
                flush=True,
            )
            load_start = load_average()
            t0 = time.monotonic()
            alone = asyncio.run(
                api_level(server.port, token, usccs, args.sweep_clients, args.warmup, args.duration)
            )
            s0 = stats(alone, t0 + args.warmup, t0 + args.warmup + args.duration)
            load_mid = load_average()
            samples, begin, end, child = asyncio.run(
                writes_during_sweep(server.port, token, usccs, args.sweep_clients, env)
            )
            s1 = stats(samples, begin, end)
            print("| writes | load before → after | creates/s | p50 | p95 | errors |")
            print("|---|---|---:|---:|---:|---:|")
            print(
                f"| without the sweep | {load_start} → {load_mid} | {s0.rate:.1f} | {ms(s0.p50)} | {ms(s0.p95)} | {s0.errors} |"
            )
            print(
                f"| during the sweep ({end - begin:.1f} s) | {load_mid} → {load_average()} | {s1.rate:.1f} "
                f"| {ms(s1.p50)} | {ms(s1.p95)} | {s1.errors} |"
            )
            print(
                f"\nSweep: {child['seconds']:.1f} s in sweep() ({end - begin:.1f} s wall); p95 during / without: "
                f"{s1.p95 / s0.p95 if s0.p95 else 0:.2f}×. {child['summary']}",
                flush=True,
            )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
