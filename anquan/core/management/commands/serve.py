"""`anquan serve`: the production server — gunicorn with threaded (gthread) workers sized for the machine.

Workers are processes (each its own Python interpreter, so together they use every core); the threads of a
worker overlap what a request spends waiting for the database. The command replaces itself with gunicorn
(exec), so gunicorn's master gets the signals: SIGTERM / Ctrl-C stops gracefully (requests in flight
finish within the graceful timeout), SIGHUP reloads the workers, SIGTTIN / SIGTTOU add or remove one.
"""

import os
import shlex
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def available_cpus() -> int:
    """CPUs this process may run on (affinity / cgroup cpusets), not merely those in the machine."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def default_workers(cpus: int) -> int:
    """One process per CPU plus one, at least 2: one worker busy in Python (the GIL) leaves the others to
    the remaining cores, the extra one covers a worker restarting or blocked in a long request."""
    return max(2, cpus + 1)


DEFAULT_THREADS = 4  # requests in flight per worker; also each worker's database pool (DB_POOL_MAX)


def _positive(value: str, name: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise CommandError(f"{name} must be a whole number, not {value!r}") from None
    if number < 1:
        raise CommandError(f"{name} must be at least 1")
    return number


def gunicorn_argv(
    *,
    bind: str,
    workers: int,
    threads: int,
    timeout: int,
    graceful_timeout: int,
    embedded_worker: bool = False,
) -> list[str]:
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "anquan.wsgi:application",
        "--worker-class=gthread",
        f"--workers={workers}",
        f"--threads={threads}",
        f"--bind={bind}",
        f"--timeout={timeout}",  # a worker silent this long is killed and replaced
        f"--graceful-timeout={graceful_timeout}",  # on stop or reload, requests in flight get this long
        "--keep-alive=5",
        # each worker is replaced after ~5,000 requests: memory held by a long-lived process stays bounded
        "--max-requests=5000",
        "--max-requests-jitter=500",
        "--access-logfile=" + os.environ.get("ANQUAN_ACCESS_LOG", "-"),
        '--access-logformat=%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"',
        "--error-logfile=-",
        "--no-control-socket",
    ]
    if embedded_worker:  # the master starts and stops `anquan worker` beside the web workers (anquan/jobs)
        argv.append("--config=python:anquan.jobs.embedded")
    if os.path.isdir("/dev/shm"):
        argv.append("--worker-tmp-dir=/dev/shm")  # the heartbeat file never waits on a slow disk
    return argv


class Command(BaseCommand):
    help = (
        "Run the production server (gunicorn, gthread workers). Defaults: ANQUAN_ADDR (127.0.0.1:8000), "
        "ANQUAN_WORKERS (CPUs + 1), ANQUAN_THREADS (4)."
    )
    requires_system_checks = []  # gunicorn's workers load the application and run Django's checks there

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind", help="address:port or unix:/path (default ANQUAN_ADDR or 127.0.0.1:8000)"
        )
        parser.add_argument("--workers", help="worker processes (default ANQUAN_WORKERS or CPUs + 1)")
        parser.add_argument("--threads", help="threads per worker (default ANQUAN_THREADS or 4)")
        parser.add_argument("--timeout", default=os.environ.get("ANQUAN_TIMEOUT", "120"), help="seconds")
        parser.add_argument(
            "--graceful-timeout", default=os.environ.get("ANQUAN_GRACEFUL_TIMEOUT", "30"), help="seconds"
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not start the background worker (`anquan worker` runs as its own service; "
            "also ANQUAN_EMBEDDED_WORKER=false)",
        )
        parser.add_argument("--print", action="store_true", help="print the gunicorn command and exit")

    def handle(self, *args, **options):
        cpus = available_cpus()
        bind = options["bind"] or os.environ.get("ANQUAN_ADDR") or "127.0.0.1:8000"
        workers = _positive(
            options["workers"] or os.environ.get("ANQUAN_WORKERS") or str(default_workers(cpus)), "workers"
        )
        threads = _positive(
            options["threads"] or os.environ.get("ANQUAN_THREADS") or str(DEFAULT_THREADS), "threads"
        )
        argv = gunicorn_argv(
            bind=bind,
            workers=workers,
            threads=threads,
            timeout=_positive(options["timeout"], "timeout"),
            graceful_timeout=_positive(options["graceful_timeout"], "graceful timeout"),
            embedded_worker=settings.EMBEDDED_WORKER and not options["no_worker"],
        )
        # the workers read their settings afresh: the pool's default size follows the threads
        env = {**os.environ, "ANQUAN_THREADS": str(threads), "DJANGO_SETTINGS_MODULE": "anquan.settings"}
        if options["print"]:
            self.stdout.write(shlex.join(argv[1:]))
            return
        embedded = "--config=python:anquan.jobs.embedded" in argv
        self.stderr.write(
            f"Anquan: gunicorn on {bind}, {workers} workers × {threads} threads ({cpus} CPUs available)"
            + ("; background worker embedded" if embedded else "; no background worker (run `anquan worker`)")
        )
        sys.stderr.flush()
        os.execve(sys.executable, argv, env)
