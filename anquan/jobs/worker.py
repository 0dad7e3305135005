"""The worker: runs queued jobs (django-tasks-db's worker loop over the queue table), and beside it, in a
thread of the same process, the periodic work — the sweep every SWEEP_EVERY_MINUTES and, every half minute,
the recovery of jobs whose worker died. `anquan worker` runs it; `anquan serve` starts one itself (embedded,
see `anquan.jobs.embedded`) unless ANQUAN_EMBEDDED_WORKER=false.
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import OperationalError, close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from anquan.core.hooks import Hook

from . import runner

logger = logging.getLogger(__name__)

RECOVER_EVERY_SECONDS = 30


# the periodic sweep over every domain: registered by anquan.sweep (its AppConfig.ready), which sits above the
# domain apps this framework must not import (docs/adr/0014-layers-and-hooks.md)
sweeps = Hook("jobs.worker.sweeps")


def queue_worker(*, batch: bool = False, interval: float = 1.0, max_tasks: int | None = None) -> Worker:
    return Worker(
        queue_names=["default"],
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id=runner.worker_id()[:64],
        excluded_queue_names=[],
    )


def run_pending() -> int:
    """Run every job waiting in the queue here and now, in this thread, then return how many ran (tests;
    a shell). The worker's own claim and run, without its loop's connection handling, so it also works
    inside a transaction."""
    worker = queue_worker(batch=True, interval=0)
    count = 0
    while True:
        with exclusive_transaction():
            task = DBTaskResult.objects.ready().filter(backend_name="default").get_locked()
            if task is not None:
                task.claim(worker.worker_id)
        if task is None:
            return count
        worker.run_task(task)
        count += 1


class Periodic(threading.Thread):
    """The sweep every `sweep_every` minutes (0: never) and the recovery of dead workers' jobs."""

    def __init__(self, sweep_every: float):
        super().__init__(name="anquan-periodic", daemon=True)
        self.sweep_every = sweep_every
        self.stopping = threading.Event()
        self.next_sweep = time.monotonic()

    def run(self) -> None:
        while not self.stopping.is_set():
            self.tick()
            self.stopping.wait(RECOVER_EVERY_SECONDS)

    def tick(self) -> None:
        close_old_connections()
        try:
            recovered = runner.recover_stale()
            if recovered:
                logger.warning("%d interrupted job(s) marked failed", recovered)
            if self.sweep_every and time.monotonic() >= self.next_sweep:
                self.next_sweep = time.monotonic() + self.sweep_every * 60
                sweeps.call()
        except Exception:  # the next tick tries again; the queue keeps running
            logger.exception("periodic work failed")
        finally:
            connection.close()


def run(*, sweep_every: float, interval: float = 1.0) -> None:
    """Run until SIGTERM / SIGINT (a job in progress finishes first; a second signal stops it at once)."""
    runner.recover_stale()  # jobs left running by a worker that died before this one started
    connection.close()
    periodic = Periodic(sweep_every)
    periodic.start()
    worker = queue_worker(interval=interval)
    worker.configure_signals()
    try:
        while True:
            try:
                worker.run()
                return
            except OperationalError as exc:
                # SQLite busy past its timeout while claiming a task (a long write elsewhere): the library's
                # loop gives up on that; the worker must not — close the connection and look again
                if not is_locked_database_exception(exc) or not worker.running:
                    raise
                logger.warning("database busy while claiming a job; trying again")
                connection.close()
    finally:
        periodic.stopping.set()
