"""Load: N concurrent users against `anquan serve` (gunicorn) on the database of DATABASE_URL holding the
`anquan demo` data — the main lists, the overview page and one write (a hazard reported through the API).

    DATABASE_URL=... .venv/bin/python bench/load.py --users 50,100,300 --duration 60

A bounded asyncio client of its own (one process, one keep-alive connection per user), so that the client
takes little of the 2 CPUs it shares with the server. Each virtual user logs nothing in itself: the demo
accounts log in once (page session and API token) and their users share them. A user repeats: think
(uniform --think seconds), then one request drawn by weight from MIX. Users start spread over --ramp
seconds; only requests started after the ramp and before the end count.

Before the levels, a floor: each request alone, one after another (--floor of each), on the same server.
Measured as well: server memory (RSS of the gunicorn master and its workers, sampled every second) and, on
PostgreSQL, the server's connections (pg_stat_activity by application name) — never more than workers ×
DB_POOL_MAX if the pool holds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import free_port, load_average, percentile  # noqa: E402

PROJECT_DIR = Path(__file__).resolve().parent.parent
APP_NAME = "anquan-bench"
DEMO_PASSWORD = "Anquan@2026"
PASSWORD = DEMO_PASSWORD
PERSONAS = ["jiujiang", "lianxi", "xiushui", "township", "grid", "enterprise"]
SOURCES = {"grid": "grid_patrol", "enterprise": "self_check"}  # what each may report as

# (name, weight, kind): what a user does, by share of requests
MIX = [
    ("home", 20, "page /"),
    ("hazards", 25, "page /hazards/"),
    ("enterprises", 25, "page /enterprises/"),
    ("risk points", 20, "page /risk/"),
    ("hazard create", 10, "POST /api/v1/hazards"),
]
LISTS = ("hazards", "enterprises", "risk points")
PATHS = {"home": "/", "hazards": "/hazards/", "enterprises": "/enterprises/", "risk points": "/risk/"}

# --ledger (issue #18): the hazard ledger at province scale, on a database of bench/generate.py and
# bench/hazards.py, as its province, city and county accounts (bench/common.py)
LEDGER_PERSONAS = ["bench_province", "bench_city", "bench_county"]
LEDGER_PASSWORD = "Bench-Passw0rd!2026"
LEDGER_MIX = [
    ("ledger", 40, "page /hazards/"),
    ("ledger API", 25, "GET /api/v1/hazards?limit=50"),
    ("statistics", 20, "page /hazards/stats/"),
    ("search", 15, "page /hazards/?q=消防"),
]
LEDGER_LISTS = ("ledger", "ledger API", "search")
LEDGER_PATHS = {
    "ledger": "/hazards/",
    "statistics": "/hazards/stats/",
    "search": "/hazards/?q=%E6%B6%88%E9%98%B2",
}
API_PATHS = {"ledger API": "/api/v1/hazards?limit=50"}


# --- a minimal HTTP/1.1 client on asyncio streams ------------------------------------------------------------


class Conn:
    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.last_used = 0.0

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except OSError:
                pass
        self.reader = self.writer = None

    async def _send(self, raw: bytes) -> tuple[int, bytes]:
        assert self.writer is not None and self.reader is not None
        self.writer.write(raw)
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                headers[k.strip().lower()] = v.strip()
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int((await self.reader.readline()).strip(), 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                body += chunk[:-2]
        else:
            body = await self.reader.read()
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, body

    async def request(self, method: str, path: str, headers: dict, body: bytes = b"") -> tuple[int, bytes]:
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if body:
            lines.append(f"Content-Length: {len(body)}")
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        # a keep-alive connection idle past the server's keep-alive (5 s) is closed by it: open a new one
        if self.writer is None or time.monotonic() - self.last_used > 4:
            await self.close()
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        try:
            result = await self._send(raw)
        except (asyncio.IncompleteReadError, ConnectionError):  # closed under us before answering: once more
            await self.close()
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            result = await self._send(raw)
        self.last_used = time.monotonic()
        return result


# --- the server under test -----------------------------------------------------------------------------------


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return url
    parts = urllib.parse.urlsplit(url)
    query = dict(urllib.parse.parse_qsl(parts.query))
    query["application_name"] = APP_NAME
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


class Server:
    def __init__(self, workers: str | None, threads: str | None):
        self.port = free_port()
        self.log = open(f"/tmp/anquan-load-server-{self.port}.log", "wb")  # noqa: SIM115
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "DEBUG": "false",
            "ANQUAN_ACCESS_LOG": "/dev/null",
            # no embedded worker: its periodic sweep would run inside the measured levels (bench/writes.py runs the
            # sweep itself, when it measures it)
            "ANQUAN_EMBEDDED_WORKER": "false",
        }
        env["ANQUAN_ADDR"] = f"127.0.0.1:{self.port}"
        if workers:
            env["ANQUAN_WORKERS"] = workers
        if threads:
            env["ANQUAN_THREADS"] = threads
        self.process = subprocess.Popen(
            [sys.executable, "-m", "anquan.manage", "serve"],
            cwd=PROJECT_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self) -> None:
        import http.client

        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                c.request("GET", "/login/")
                if c.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.5)
        sys.exit(f"the server did not start; see {self.log.name}")

    def pids(self) -> list[int]:
        """The master and its workers."""
        children = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    children.append(int(entry.name))
        return [self.process.pid, *children]

    def rss_mb(self) -> tuple[float, float]:
        """(workers' RSS summed, master's RSS) in MB."""
        total, master = 0.0, 0.0
        for pid in self.pids():
            try:
                text = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            found = re.search(r"VmRSS:\s+(\d+)", text)
            if found is None:  # a worker that has just exited
                continue
            kb = int(found.group(1))
            if pid == self.process.pid:
                master = kb / 1024
            else:
                total += kb / 1024
        return total, master

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by the master and its live workers."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in self.pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
        return total / ticks

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


class Sampler(threading.Thread):
    """Every second: the server's memory and, on PostgreSQL, its connections."""

    def __init__(self, server: Server):
        super().__init__(daemon=True)
        self.server = server
        self.stop_event = threading.Event()
        self.rss: list[float] = []
        self.connections: list[int] = []
        self.pg = None
        if os.environ.get("DATABASE_URL", "").startswith("postgres"):
            import psycopg

            self.pg = psycopg.connect(os.environ["DATABASE_URL"].replace("postgres://", "postgresql://"))
            self.pg.autocommit = True

    def reset(self) -> None:
        self.rss, self.connections = [], []

    def run(self) -> None:
        while not self.stop_event.wait(1):
            self.rss.append(self.server.rss_mb()[0])
            if self.pg is not None:
                row = self.pg.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [APP_NAME]
                ).fetchone()
                self.connections.append(row[0])


# --- users ---------------------------------------------------------------------------------------------------


@dataclass
class Account:
    username: str
    cookie: str = ""
    token: str = ""
    write_target: dict = field(default_factory=dict)


def prepare_accounts(port: int) -> list[Account]:
    """Each persona logs in once (the login page with its CSRF token, then the API token)."""
    import http.client

    accounts = []
    for username in PERSONAS:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        c.request("GET", "/login/")
        r = c.getresponse()
        page = r.read().decode()
        csrf_cookie = re.search(r"csrftoken=([^;]+)", r.headers.get("Set-Cookie", "")).group(1)
        form_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode(
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": form_token}
        )
        c.request(
            "POST",
            "/login/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={csrf_cookie}",
                "Referer": f"http://127.0.0.1:{port}/login/",
            },
        )
        r = c.getresponse()
        r.read()
        session = re.search(r"sessionid=([^;]+)", ", ".join(r.headers.get_all("Set-Cookie") or []))
        if r.status != 302 or session is None:
            sys.exit(f"login of {username} failed: {r.status}")
        c.request(
            "POST",
            "/api/v1/auth/token",
            body=json.dumps({"username": username, "password": PASSWORD}),
            headers={"Content-Type": "application/json"},
        )
        r = c.getresponse()
        token = json.loads(r.read())["token"]
        c.request("GET", "/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})
        me = json.loads(c.getresponse().read())
        target = {"enterprise": me["enterprise"]} if me.get("enterprise") else {"region": me["region"]}
        accounts.append(Account(username, f"sessionid={session.group(1)}", token, target))
        c.close()
    return accounts


def request_for(kind: str, account: Account, rng: random.Random) -> tuple[str, str, dict, bytes]:
    if kind == "hazard create":
        body = {
            **account.write_target,
            "address": f"压测地址{rng.randint(1, 10**6)}号",
            "description": f"压测隐患：消防通道堵塞 {rng.randint(1, 10**9)}",
            "source": SOURCES.get(account.username, "inspection"),
        }
        headers = {"Authorization": f"Bearer {account.token}", "Content-Type": "application/json"}
        return "POST", "/api/v1/hazards", headers, json.dumps(body).encode()
    if kind in API_PATHS:
        return "GET", API_PATHS[kind], {"Authorization": f"Bearer {account.token}"}, b""
    return "GET", PATHS[kind], {"Cookie": account.cookie}, b""


EXPECTED = {"hazard create": 201}
# a page that carries the to-do loader (base.html, ADR 0059) is followed, as in a browser, by the request for the
# menu's count; timed as its own kind, not as part of the page
BADGE, BADGE_PATH, LOADER = "to-do badge", "/todo/badge/", b'data-testid="todo-loader"'


def badge_request(account: Account) -> tuple[str, str, dict, bytes]:
    return "GET", BADGE_PATH, {"Cookie": account.cookie}, b""


@dataclass
class Sample:
    kind: str
    started: float
    seconds: float
    status: int  # 0: no answer (connection error or timeout)


async def one_user(n, port, accounts, rng, think, until, samples, start_at):
    await asyncio.sleep(max(0.0, start_at - time.monotonic()))
    account = accounts[n % len(accounts)]
    conn = Conn("127.0.0.1", port)
    kinds = [k for k, _, _ in MIX]
    weights = [w for _, w, _ in MIX]
    while time.monotonic() < until:
        await asyncio.sleep(rng.uniform(*think))
        if time.monotonic() >= until:
            break
        kind = rng.choices(kinds, weights)[0]
        method, path, headers, body = request_for(kind, account, rng)
        answer = b""
        while True:
            started = time.monotonic()
            try:
                status, answer = await asyncio.wait_for(conn.request(method, path, headers, body), timeout=60)
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
                status = 0
                await conn.close()
            samples.append(Sample(kind, started, time.monotonic() - started, status))
            if kind == BADGE or status != 200 or LOADER not in answer:
                break
            kind = BADGE
            method, path, headers, body = badge_request(account)
    await conn.close()


async def run_level(port, accounts, users, duration, ramp, think, seed) -> tuple[list[Sample], float, float]:
    rng = random.Random(seed)
    begin = time.monotonic()
    measure_from = begin + ramp
    until = measure_from + duration
    samples: list[Sample] = []
    await asyncio.gather(
        *[
            one_user(
                n,
                port,
                accounts,
                random.Random(rng.random()),
                think,
                until,
                samples,
                begin + ramp * n / users,
            )
            for n in range(users)
        ]
    )
    return samples, measure_from, until


async def run_floor(port, accounts, per_kind) -> dict[str, list[float]]:
    conn = Conn("127.0.0.1", port)
    rng = random.Random(1)
    times: dict[str, list[float]] = {}
    for kind, _, _ in MIX:
        for i in range(per_kind + 2):
            method, path, headers, body = request_for(kind, accounts[i % len(accounts)], rng)
            started = time.monotonic()
            status, answer = await conn.request(method, path, headers, body)
            if status != EXPECTED.get(kind, 200):
                sys.exit(
                    f"floor: {kind} as {accounts[i % len(accounts)].username} answered {status}: {answer[:300]!r}"
                )
            if i >= 2:  # two untimed first
                times.setdefault(kind, []).append(time.monotonic() - started)
            if LOADER in answer:  # the page's count, as a browser asks for it after the page
                started = time.monotonic()
                status, answer = await conn.request(*badge_request(accounts[i % len(accounts)]))
                if status != 200:
                    sys.exit(f"floor: {BADGE} answered {status}: {answer[:300]!r}")
                if i >= 2:
                    times.setdefault(BADGE, []).append(time.monotonic() - started)
    await conn.close()
    return times


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}" if seconds >= 0.1 else f"{seconds * 1000:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", default="50,100,300", help="concurrent users, one level each")
    parser.add_argument("--duration", type=float, default=60, help="measured seconds per level")
    parser.add_argument("--ramp", type=float, default=10, help="seconds over which the users start")
    parser.add_argument(
        "--think", default="5,15", help="think time between a user's requests, min,max seconds"
    )
    parser.add_argument(
        "--floor", type=int, default=20, help="sequential requests of each kind for the floor"
    )
    parser.add_argument("--workers", help="ANQUAN_WORKERS for the server (default: anquan serve's)")
    parser.add_argument("--threads", help="ANQUAN_THREADS for the server (default: anquan serve's)")
    parser.add_argument("--label", default="", help="database and scale, for the heading")
    parser.add_argument(
        "--ledger",
        action="store_true",
        help="the hazard ledger, its API, statistics and search as bench/generate.py's accounts (issue #18)",
    )
    args = parser.parse_args()
    if args.ledger:
        global PERSONAS, PASSWORD, MIX, LISTS, PATHS
        PERSONAS, PASSWORD, MIX, LISTS, PATHS = (
            LEDGER_PERSONAS,
            LEDGER_PASSWORD,
            LEDGER_MIX,
            LEDGER_LISTS,
            LEDGER_PATHS,
        )
    levels = [int(u) for u in args.users.split(",")]
    think = tuple(float(x) for x in args.think.split(","))

    server = Server(args.workers, args.threads)
    try:
        server.wait_ready()
        accounts = prepare_accounts(server.port)
        sampler = Sampler(server)
        sampler.start()
        load_before = load_average()
        floor = asyncio.run(run_floor(server.port, accounts, args.floor))
        floor_load = load_average()
        results = []
        for users in levels:
            sampler.reset()
            load_at_start = load_average()
            cpu_before, count_before = server.cpu_seconds(), len(server.pids())
            everything, begin, end = asyncio.run(
                run_level(server.port, accounts, users, args.duration, args.ramp, think, users)
            )
            samples = [s for s in everything if s.started >= begin]
            # server CPU per request over the whole level, ramp included (None if a worker was replaced)
            cpu_ms = (server.cpu_seconds() - cpu_before) * 1000 / max(1, len(everything))
            if count_before != len(server.pids()):
                cpu_ms = None
            results.append(
                (
                    users,
                    samples,
                    end - begin,
                    load_at_start,
                    load_average(),
                    list(sampler.rss),
                    list(sampler.connections),
                    cpu_ms,
                )
            )
            print(f"  {users} users: {len(samples)} requests", file=sys.stderr, flush=True)
        sampler.stop_event.set()
        workers = len(server.pids()) - 1
        report(args, floor, floor_load, load_before, results, workers, sampler.pg is not None)
    finally:
        server.stop()


def report(args, floor, floor_load, load_before, results, workers, postgres) -> None:
    threads = args.threads or os.environ.get("ANQUAN_THREADS") or "4"
    pool = os.environ.get("DB_POOL_MAX") or threads
    print(
        f"\n{time.strftime('%Y-%m-%d')} · {args.label} · anquan serve: {workers} workers × {threads} threads"
        + (f", pool {pool} per worker (limit {workers * int(pool)} connections)" if postgres else "")
        + f" · think time {args.think} s · {args.duration:.0f} s measured per level after a {args.ramp:.0f} s ramp"
        + f" · load average (1/5/15 min) {load_before} before the floor · times in ms\n"
    )
    print(f"Floor (each request alone, {args.floor} one after another; load after: {floor_load}):\n")
    print("| request | p50 | p95 |")
    print("|---|---:|---:|")
    for kind, times in floor.items():
        print(f"| {kind} | {ms(percentile(times, 50))} | {ms(percentile(times, 95))} |")
    print(
        "\n| users | load before → after | requests | errors | req/s | lists p50 | lists p95 | lists p95 / floor |"
        " home p95 | create p95 | slowest | server CPU ms/request | workers' RSS MB (max) |"
        + (" PG connections (max) |" if postgres else "")
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|" + ("---:|" if postgres else ""))
    floor_lists = percentile([t for k in LISTS for t in floor[k]], 95)
    details = []
    for users, samples, seconds, load_start, load_end, rss, conns, cpu_ms in results:
        errors = [s for s in samples if s.status != EXPECTED.get(s.kind, 200)]
        lists = [s.seconds for s in samples if s.kind in LISTS and s.status == 200]
        home = [s.seconds for s in samples if s.kind == "home" and s.status == 200] or [0]
        create = [s.seconds for s in samples if s.kind == "hazard create" and s.status == 201] or [0]
        everything = [s.seconds for s in samples] or [0]
        p95_lists = percentile(lists, 95) if lists else 0
        print(
            f"| {users} | {load_start} → {load_end} | {len(samples):,} | {len(errors)} | {len(samples) / seconds:.1f} |"
            f" {ms(percentile(lists, 50)) if lists else '–'} | {ms(p95_lists)} | {p95_lists / floor_lists:.1f}× |"
            f" {ms(percentile(home, 95))} | {ms(percentile(create, 95))} | {ms(max(everything))} |"
            f" {f'{cpu_ms:.0f}' if cpu_ms is not None else '–'} |"
            f" {max(rss) if rss else 0:,.0f} |" + (f" {max(conns) if conns else 0} |" if postgres else "")
        )
        by_status: dict[str, int] = {}
        for s in errors:
            by_status[f"{s.kind} {s.status}"] = by_status.get(f"{s.kind} {s.status}", 0) + 1
        per_kind = {
            kind: (ms(percentile(t, 50)), ms(percentile(t, 95)))
            for kind in {k for k, _, _ in MIX} | {BADGE}
            if (t := [s.seconds for s in samples if s.kind == kind])
        }
        details.append((users, by_status, per_kind))
    print()
    for users, by_status, per_kind in details:
        kinds = ", ".join(f"{k} {p50}/{p95}" for k, (p50, p95) in sorted(per_kind.items()))
        print(
            f"- {users} users: p50/p95 by request: {kinds}" + (f"; errors: {by_status}" if by_status else "")
        )


if __name__ == "__main__":
    main()
