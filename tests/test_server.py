"""`anquan serve`, the production server (issue #9), started as its own process against the test database:
a user logs in and reads pages over HTTP, static files come through whitenoise, every request is in the
access log, concurrent requests on PostgreSQL use no more connections than workers × pool size, and
SIGTERM stops it gracefully."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection, connections

from anquan.core.management.commands.serve import default_workers

from .browserless import Session, call, token_for
from .conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

WORKERS, THREADS = 2, 2
# each server started here names its connections uniquely: other tests start servers of their own on other
# pytest workers at the same time, and their connections must not be counted as this one's
APP_NAME = f"anquan-serve-test-{os.getpid()}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(application_name: str = APP_NAME) -> str:
    """The test database (already migrated, holding the test's committed rows) as a DATABASE_URL."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    # the connection options (a unix-socket `host` among them), the pool left to the server's own settings
    query = {k: str(v) for k, v in settings["OPTIONS"].items() if k != "pool"}
    query["application_name"] = application_name
    if settings.get("HOST"):
        query["host"] = settings["HOST"]
    if settings.get("PORT"):
        query["port"] = str(settings["PORT"])
    auth = urllib.parse.quote(settings.get("USER") or "")
    if settings.get("PASSWORD"):
        auth += ":" + urllib.parse.quote(settings["PASSWORD"])
    return f"postgres://{auth}@/{settings['NAME']}?{urllib.parse.urlencode(query)}"


@pytest.fixture
def county_office(world):
    """The persona's password hashed with Argon2, as the server (with the production hashers) checks it."""
    from django.contrib.auth.hashers import Argon2PasswordHasher

    hasher = Argon2PasswordHasher()
    user = world.users["county_office"]
    user.password = hasher.encode(PASSWORD, hasher.salt())
    user.save(update_fields=["password"])
    return user.username


@contextlib.contextmanager
def serving(tmp_path, **extra_env):
    """`anquan serve` against the test database: (base URL, process, log file) once it listens."""
    port = free_port()
    log = tmp_path / "server.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "ANQUAN_ADDR": f"127.0.0.1:{port}",
        "ANQUAN_WORKERS": str(WORKERS),
        "ANQUAN_THREADS": str(THREADS),
        "DEBUG": "false",
        "MEDIA_ROOT": str(tmp_path / "media"),
        **extra_env,
    }
    env.pop("DB_POOL_MAX", None)  # the pool follows the threads
    process = subprocess.Popen(
        [sys.executable, "-m", "anquan.manage", "serve"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    listening = threading.Event()

    def drain():  # the server's output (access log and error log) into the log file, as it comes
        with open(log, "ab") as out:
            for line in process.stdout:
                out.write(line)
                out.flush()
                if b"Listening at" in line:
                    listening.set()
        listening.set()

    drainer = threading.Thread(target=drain, daemon=True)
    drainer.start()
    # gunicorn listens before its workers are up; a request made then waits in the backlog for one
    listening.wait(120)
    assert process.poll() is None, log.read_text()
    try:
        yield f"http://127.0.0.1:{port}", process, log
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(60)
        drainer.join(10)


@pytest.fixture
def server(tmp_path):
    # the web server alone: the connections counted below are the web workers' (the background worker
    # that `anquan serve` embeds by default has its own test, tests/test_background_jobs.py)
    with serving(tmp_path, ANQUAN_EMBEDDED_WORKER="false") as running:
        yield running


class ConnectionCounter:
    """The server's connections to PostgreSQL (by the application name its DATABASE_URL gives them), counted
    on one connection of the test's own, shared by the client threads."""

    def __init__(self):
        self.connection = connections.create_connection("default")
        self.connection.inc_thread_sharing()  # used by the client threads, one at a time (the lock)
        self.lock = threading.Lock()
        self.seen: list[int] = []

    def sample(self) -> None:
        with self.lock, self.connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [APP_NAME])
            self.seen.append(cursor.fetchone()[0])

    def close(self) -> None:
        self.connection.close()
        self.connection.dec_thread_sharing()


def test_serve_answers_users_within_its_connection_pool_and_stops_gracefully(server, county_office):
    """One server start for everything (starting gunicorn's workers is the slow part)."""
    base, process, log = server
    browser = Session(base)
    browser.login(county_office, PASSWORD)
    status, _, body = browser.request("GET", "/hazards/")
    assert status == 200 and "隐患" in body.decode()
    status, headers, body = browser.request("GET", "/static/vendor/bootstrap/bootstrap.min.css")
    assert status == 200 and headers["Content-Type"].startswith("text/css") and len(body) > 10_000

    # 30 clients at once: every answer 200, and on PostgreSQL never more connections than workers × threads
    token = token_for(base, county_office)
    counter = ConnectionCounter() if connection.vendor == "postgresql" else None

    def read(i):
        if counter is not None and i % 10 == 0:
            counter.sample()
        return call(base, "GET", "/api/v1/hazards?limit=5", token=token)[0]

    with ThreadPoolExecutor(30) as pool:
        statuses = list(pool.map(read, range(120)))
    assert statuses == [200] * 120
    if counter is not None:
        counter.sample()
        counter.close()
        assert 1 <= max(counter.seen) <= WORKERS * THREADS, counter.seen

    process.send_signal(signal.SIGTERM)
    assert process.wait(60) == 0
    output = Path(log).read_text()
    assert f"{WORKERS} workers × {THREADS} threads" in output
    assert '"POST /login/ HTTP/1.1" 302' in output  # the access log
    assert '"GET /hazards/ HTTP/1.1" 200' in output
    assert output.count('"GET /api/v1/hazards?limit=5 HTTP/1.1" 200') == 120
    assert "Handling signal: term" in output


def test_serve_sizes_workers_from_the_cpus_and_the_environment(monkeypatch):
    from django.core.management import call_command

    assert default_workers(1) == 2 and default_workers(2) == 3 and default_workers(8) == 9
    monkeypatch.setenv("ANQUAN_WORKERS", "5")
    monkeypatch.setenv("ANQUAN_THREADS", "7")
    monkeypatch.setenv("ANQUAN_ADDR", "0.0.0.0:9000")
    from io import StringIO

    out = StringIO()
    call_command("serve", "--print", stdout=out)
    command = out.getvalue()
    for part in ("--worker-class=gthread", "--workers=5", "--threads=7", "--bind=0.0.0.0:9000"):
        assert part in command
