"""Deterministic races for the workflow engine's compare-and-set (PostgreSQL).

`interleave(first, second)` lets `first` take its step inside a transaction and keeps that transaction open;
`second` then runs from another thread (its own connection — or an HTTP request to the live server) and reads
the row as it was before `first`. Only once PostgreSQL shows a session waiting on a row lock — `second`'s
UPDATE queued behind `first`'s — is `first` committed. `second` is therefore guaranteed to have passed every
check made in memory, so only a compare-and-set that includes the status and every precondition can refuse it.
No sleeps: the moment is read from `pg_stat_activity`.

On SQLite a write transaction locks the whole database (the project begins them IMMEDIATE), so `second` cannot
even start its transaction until `first` commits: it then reads the new state. The same assertions hold there,
although what refuses the loser is the in-memory check rather than the UPDATE."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from django.db import connection, connections, transaction

WAIT_LIMIT_S = 20.0


@dataclass
class Outcome:
    value: object = None
    error: BaseException | None = None


def _lock_waiters() -> int:
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0]


def interleave(first, second) -> tuple[Outcome, Outcome]:
    """Run `first()` in a held-open transaction, then `second()` until it blocks on `first`'s row, then commit."""
    done_first, release, done_second = threading.Event(), threading.Event(), threading.Event()
    one, two = Outcome(), Outcome()

    def run_first():
        try:
            with transaction.atomic():
                try:
                    one.value = first()
                except BaseException as exc:  # noqa: BLE001 - reported to the test
                    one.error = exc
                done_first.set()
                release.wait(WAIT_LIMIT_S)
        finally:
            done_first.set()
            connections.close_all()

    def run_second():
        try:
            two.value = second()
        except BaseException as exc:  # noqa: BLE001
            two.error = exc
        finally:
            done_second.set()
            connections.close_all()

    a = threading.Thread(target=run_first)
    a.start()
    done_first.wait(WAIT_LIMIT_S)
    b = threading.Thread(target=run_second)
    b.start()
    deadline = time.monotonic() + WAIT_LIMIT_S
    postgres = connection.vendor == "postgresql"
    while postgres and not done_second.is_set() and _lock_waiters() == 0 and time.monotonic() < deadline:
        done_second.wait(0.01)
    release.set()
    a.join()
    b.join()
    if one.error is not None:
        raise one.error
    return one, two
