"""Transactions around writes only (issue #9): reads never wait for a write in progress, a write that cannot
get the database answers 503 with Retry-After (pages and API), each write request is one transaction.

A "write in progress" is held by the test itself on a connection of its own, for as long as the test needs:
SQLite's write lock (BEGIN IMMEDIATE), on PostgreSQL an EXCLUSIVE lock on the hazard table (only plain
reads pass it). The server under test is pytest-django's live server, called over real sockets."""

import contextlib
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from anquan.hazards.models import Hazard

from .browserless import Session, call, token_for
from .conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

READERS = 50


@contextlib.contextmanager
def write_in_progress():
    """Hold what a long write holds (see the module docstring) on a separate connection, rolled back after."""
    holder = connections.create_connection("default")
    holder.ensure_connection()
    raw = holder.connection
    try:
        if holder.vendor == "sqlite":
            raw.execute("BEGIN IMMEDIATE")
        else:
            raw.execute("BEGIN")
            raw.execute(f"LOCK TABLE {Hazard._meta.db_table} IN EXCLUSIVE MODE")
        yield
    finally:
        raw.execute("ROLLBACK")
        holder.close()


@pytest.fixture
def short_lock_wait():
    """Writers give up on a held lock after 0.3 s instead of the production 10 s (SQLite busy_timeout,
    PostgreSQL lock_timeout), so the 503 path is reached quickly; restored afterwards."""
    options = connection.settings_dict["OPTIONS"]
    saved = dict(options)
    if connection.vendor == "sqlite":
        options["init_command"] = options["init_command"].replace("busy_timeout=10000", "busy_timeout=300")
        assert "busy_timeout=300" in options["init_command"]
    else:
        options["options"] = "-c lock_timeout=300"
        connection.close_pool()  # the pool's connections were made without it
    yield
    options.clear()
    options.update(saved)
    if connection.vendor == "postgresql":
        connection.close_pool()


@pytest.fixture
def pool_for_readers():
    """The live server runs a thread per request (unbounded, unlike `anquan serve`): on PostgreSQL its pool
    gets room for every concurrent request, so they meet each other in the database, not in the pool."""
    if connection.vendor != "postgresql":
        yield
        return
    pool = connection.settings_dict["OPTIONS"]["pool"]
    saved = dict(pool)
    pool["max_size"] = READERS + 5
    connection.close_pool()
    yield
    pool.clear()
    pool.update(saved)
    connection.close_pool()


def test_fifty_readers_during_a_write_all_get_200(live_server, world, pool_for_readers):
    base = live_server.url
    office = world.users["county_office"]
    token = token_for(base, office.username)
    browser = Session(base)
    browser.login(office.username, PASSWORD)
    # warm-up outside the lock: the token's first use is recorded (a write, at most every few minutes)
    assert call(base, "GET", "/api/v1/hazards", token=token)[0] == 200

    def read(i):
        if i % 2:
            return call(base, "GET", "/api/v1/hazards?limit=20", token=token)[0]
        return browser.request("GET", "/hazards/")[0]

    with write_in_progress(), ThreadPoolExecutor(READERS) as pool:
        statuses = list(pool.map(read, range(READERS)))
    assert statuses == [200] * READERS


def test_a_page_write_that_cannot_get_the_lock_answers_503_with_retry_after(
    live_server, world, short_lock_wait
):
    browser = Session(live_server.url)
    browser.login("county_office", PASSWORD)
    token = browser.csrf_token("/hazards/new/")
    form = {
        "csrfmiddlewaretoken": token,
        "enterprise": world.chem_t1.uscc,
        "description": "配电室门未上锁",
        "source": "inspection",
        "form_key": "lock-test-1",
    }
    with write_in_progress():
        status, headers, body = browser.request("POST", "/hazards/new/", form)
    assert status == 503, body[:500]
    assert headers["Retry-After"] == "2"
    assert "系统繁忙" in body.decode()
    assert not Hazard.objects.exists()
    # once the write is over the same submission goes through
    status, _, body = browser.request("POST", "/hazards/new/", form)
    assert status == 200, body[:500]
    assert Hazard.objects.filter(description="配电室门未上锁").count() == 1


def test_an_api_write_that_cannot_get_the_lock_answers_json_503(live_server, world, short_lock_wait):
    base = live_server.url
    token = token_for(base, "county_office")
    body = {"enterprise": world.chem_t1.uscc, "description": "消防通道堵塞", "source": "inspection"}
    with write_in_progress():
        status, headers, answer = call(base, "POST", "/api/v1/hazards", body, token=token)
    assert status == 503, answer
    assert headers["Retry-After"] == "2"
    assert json.loads(answer) == {"detail": "系统繁忙，请稍后重试"}
    assert not Hazard.objects.exists()


def test_a_get_that_writes_incidentally_still_works(live_server, world):
    """GETs run in autocommit, yet what they write on the side is kept: a new token's first use."""
    base = live_server.url
    token = token_for(base, "county_office")
    from anquan.accounts.models import ApiToken

    assert ApiToken.objects.get().last_used_at is None
    assert call(base, "GET", "/api/v1/users/me", token=token)[0] == 200
    assert ApiToken.objects.get().last_used_at is not None


def test_concurrent_retries_of_one_idempotent_create_leave_one_record(live_server, world):
    """Each write request is one transaction: a retry that lost the race on the idempotency record rolls its
    own hazard (and its event and audit entry) back and answers the winner's result."""
    base = live_server.url
    token = token_for(base, "county_office")
    body = {"enterprise": world.chem_t1.uscc, "description": "重复提交的隐患", "source": "inspection"}

    def create(_):
        request_headers = {"Idempotency-Key": "phone-retry-7"}
        import urllib.request

        request = urllib.request.Request(
            base + "/api/v1/hazards", data=json.dumps(body).encode(), method="POST", headers=request_headers
        )
        request.add_header("Content-Type", "application/json")
        request.add_header("Authorization", f"Bearer {token}")
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())["id"]

    with ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(create, range(10)))
    assert {status for status, _ in answers} == {201}
    assert len({hazard_id for _, hazard_id in answers}) == 1
    assert Hazard.objects.count() == 1
    from anquan.core.models import AuditEntry

    assert AuditEntry.objects.filter(model="hazards.hazard", action="create").count() == 1
