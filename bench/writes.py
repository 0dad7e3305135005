"""Write throughput: hazard creations per second through the API at 1, 4, 16 and 32 concurrent clients against
the same inserts through the bare driver; and the periodic sweep while the API writes.

    DATABASE_URL=postgres://... .venv/bin/python bench/writes.py --clients 1,4,16,32 --duration 20 --sweep

The database is PostgreSQL, filled by bench/generate.py (any scale: the writers report hazards at the
enterprises of 修水县 as `bench_county`) and, for --sweep, bench/hazards.py (the hazards the sweep works on).

API: `anquan serve` (gunicorn, the production server, its default workers × threads) as a child process; each
client is one keep-alive connection of one asyncio process, sending `POST /api/v1/hazards` with a bearer token
as soon as the previous one is answered (no think time: this is throughput). Floor: the rows one such request
writes — the hazard, its event row and its audit entry — inserted through psycopg in one transaction per
hazard, one connection per client, from threads; the values are those of a hazard created through the API
just before (JSON columns as they were; the audit entry unchained, as the app inserts it). Each level runs the floor and then
the API for --duration seconds after --warmup seconds, in the same run; "API/floor" divides their rates.

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


# --- the floor: the same rows through psycopg -------------------------------------------------------------


class Floor:
    """The INSERTs of one API create (hazard, event, audit entry), replayed with the values of hazard `pk`."""

    def __init__(self, params: dict, pk: int):
        import psycopg
        from psycopg.rows import dict_row

        self.params = params
        with psycopg.connect(**params, row_factory=dict_row) as pg:
            self.hazard = pg.execute("SELECT * FROM hazards_hazard WHERE id = %s", [pk]).fetchone()
            self.event = pg.execute(
                "SELECT * FROM hazards_hazardevent WHERE hazard_id = %s ORDER BY id LIMIT 1", [pk]
            ).fetchone()
            self.entry = pg.execute(
                "SELECT * FROM core_auditentry WHERE model = 'hazards.hazard' AND object_id = %s ORDER BY id LIMIT 1",
                [str(pk)],
            ).fetchone()
        if self.event is None or self.entry is None:
            sys.exit(f"hazard {pk} has no event row or no audit entry to copy")

    @staticmethod
    def _insert(table: str, row: dict) -> tuple[str, list[str]]:
        names = [k for k in row if k != "id"]
        marks = ", ".join(["%s"] * len(names))
        return f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks}) RETURNING id", names

    def run(self, clients: int, warmup: float, duration: float) -> list[Sample]:
        import psycopg
        from psycopg.types.json import Jsonb

        def values(row: dict, names: list[str], **override) -> list:
            out = []
            for name in names:
                value = override.get(name, row[name])
                out.append(Jsonb(value) if isinstance(value, dict | list) else value)
            return out

        hazard_sql, hazard_names = self._insert("hazards_hazard", self.hazard)
        event_sql, event_names = self._insert("hazards_hazardevent", self.event)
        entry_sql, entry_names = self._insert("core_auditentry", self.entry)

        def link() -> dict:
            """The chain columns as the insert leaves them: unchained (`seq` NULL, linked after commit by the
            chainer) where the log has a sequence, otherwise (a chain linked at insert) new random hashes."""
            if "seq" in self.entry:
                return {"seq": None, "hash": "", "prev_hash": "", "key_id": ""}
            return {"hash": secrets.token_hex(32), "prev_hash": secrets.token_hex(32)}

        samples: list[Sample] = []
        stop = threading.Event()
        lock = threading.Lock()

        def client() -> None:
            mine = []
            with psycopg.connect(**self.params, autocommit=True) as pg:
                while not stop.is_set():
                    started = time.monotonic()
                    now = dt.datetime.now(dt.UTC)
                    with pg.transaction():
                        pk = pg.execute(
                            hazard_sql, values(self.hazard, hazard_names, created_at=now, updated_at=now)
                        ).fetchone()[0]
                        pg.execute(event_sql, values(self.event, event_names, hazard_id=pk, at=now))
                        pg.execute(
                            entry_sql, values(self.entry, entry_names, at=now, object_id=str(pk), **link())
                        )
                    mine.append(Sample(started, time.monotonic() - started, True))
            with lock:
                samples.extend(mine)

        threads = [threading.Thread(target=client) for _ in range(clients)]
        for t in threads:
            t.start()
        time.sleep(warmup + duration)
        stop.set()
        for t in threads:
            t.join()
        return samples


def window(samples: list[Sample], begin: float, end: float) -> list[Sample]:
    """Requests answered inside [begin, end] (for a rate) — those started inside for the latencies."""
    return [s for s in samples if begin <= s.started and s.started + s.seconds <= end]


def stats(samples: list[Sample], seconds: float) -> tuple[float, float, float, int]:
    ok = [s.seconds for s in samples if s.ok]
    errors = sum(1 for s in samples if not s.ok)
    if not ok:
        return 0.0, 0.0, 0.0, errors
    return len(ok) / seconds, percentile(ok, 50), percentile(ok, 95), errors


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
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL database")
    setup_django()
    from django.db import connection

    from anquan.enterprises.models import Enterprise
    from anquan.hazards.models import Hazard

    usccs = list(
        Enterprise.objects.filter(region_code__startswith=COUNTY).values_list("uscc", flat=True)[:500]
    )
    if not usccs:
        sys.exit(f"no enterprises in {COUNTY}: run bench/generate.py first")
    hazards = Hazard.objects.count()
    params = {k: v for k, v in connection.get_connection_params().items() if k != "context"}
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
        floor = Floor(params, json.loads(answer)["id"])
        workers = len(server.pids()) - 1
        print(
            f"\n{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} · {args.label} · {hazards:,} hazards before the run · anquan serve: "
            f"{workers} workers × {args.threads or os.environ.get('ANQUAN_THREADS') or 4} threads · "
            f"{args.duration:.0f} s measured per level after {args.warmup:.0f} s · times in ms\n",
            flush=True,
        )
        if levels:
            print(
                "| clients | load before → after | API creates/s | API p50 | API p95 | API errors | floor creates/s "
                "| floor p50 | floor p95 | API/floor |"
            )
            print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|", flush=True)
        for clients in levels:
            load_start = load_average()
            t0 = time.monotonic()
            floor_samples = floor.run(clients, args.warmup, args.duration)
            f_rate, f50, f95, _ = stats(
                window(floor_samples, t0 + args.warmup, t0 + args.warmup + args.duration), args.duration
            )
            t0 = time.monotonic()
            api_samples = asyncio.run(
                api_level(server.port, token, usccs, clients, args.warmup, args.duration)
            )
            a_rate, a50, a95, errors = stats(
                window(api_samples, t0 + args.warmup, t0 + args.warmup + args.duration), args.duration
            )
            print(
                f"| {clients} | {load_start} → {load_average()} | {a_rate:.1f} | {ms(a50)} | {ms(a95)} | {errors} "
                f"| {f_rate:.1f} | {ms(f50)} | {ms(f95)} | {a_rate / f_rate if f_rate else 0:.2f} |",
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
            rate0, p50_0, p95_0, err0 = stats(
                window(alone, t0 + args.warmup, t0 + args.warmup + args.duration), args.duration
            )
            load_mid = load_average()
            samples, begin, end, child = asyncio.run(
                writes_during_sweep(server.port, token, usccs, args.sweep_clients, env)
            )
            rate1, p50_1, p95_1, err1 = stats(window(samples, begin, end), end - begin)
            print("| writes | load before → after | creates/s | p50 | p95 | errors |")
            print("|---|---|---:|---:|---:|---:|")
            print(
                f"| without the sweep | {load_start} → {load_mid} | {rate0:.1f} | {ms(p50_0)} | {ms(p95_0)} | {err0} |"
            )
            print(
                f"| during the sweep ({end - begin:.1f} s) | {load_mid} → {load_average()} | {rate1:.1f} "
                f"| {ms(p50_1)} | {ms(p95_1)} | {err1} |"
            )
            print(
                f"\nSweep: {child['seconds']:.1f} s in sweep() ({end - begin:.1f} s wall); p95 during / without: "
                f"{p95_1 / p95_0 if p95_0 else 0:.2f}×. {child['summary']}",
                flush=True,
            )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
