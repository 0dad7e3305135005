"""gunicorn hooks (`--config python:anquan.jobs.embedded`) that give `anquan serve` its own worker: the
master starts `anquan worker` when it starts and stops it when it stops, so the embedded default (one command,
no extra service) runs queued jobs and the sweep. A separate process, not a thread in the web workers: a
bulletin's rendering never competes with requests for a web worker's interpreter lock, and there is exactly one
worker however many web workers gunicorn runs. Off with ANQUAN_EMBEDDED_WORKER=false (production then runs
`anquan worker` as its own service).

The master starts a small supervisor (`python -m anquan.jobs.embedded`) in a process group of its own: it
restarts the worker if it ever exits with an error (a lost database connection, say) and passes on the stop
signal exactly once (Ctrl-C in a terminal reaches the master, not the worker, which would take a second signal
as "stop the running job now").
"""

import os
import signal
import subprocess
import sys
import time

RESTART_AFTER_SECONDS = 5

_supervisor: subprocess.Popen | None = None


def on_starting(server) -> None:
    global _supervisor
    _supervisor = subprocess.Popen(
        [sys.executable, "-m", "anquan.jobs.embedded"], env=os.environ.copy(), start_new_session=True
    )
    server.log.info("Anquan worker started (pid %s)", _supervisor.pid)


def on_exit(server) -> None:
    if _supervisor is None or _supervisor.poll() is not None:
        return
    _supervisor.send_signal(signal.SIGTERM)  # a job in progress finishes first (within the graceful timeout)
    try:
        _supervisor.wait(server.cfg.graceful_timeout)
    except subprocess.TimeoutExpired:
        # the worker's job is marked failed (an import undone) when a worker starts again
        os.killpg(_supervisor.pid, signal.SIGKILL)
        _supervisor.wait()
    server.log.info("Anquan worker stopped")


def supervise() -> int:
    child: subprocess.Popen | None = None
    stopping = False

    def stop(signum, frame):
        nonlocal stopping
        stopping = True
        if child is not None and child.poll() is None:
            child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while True:
        child = subprocess.Popen([sys.executable, "-m", "anquan.manage", "worker"])
        code = child.wait()
        if stopping or code == 0:
            return code
        print(f"Anquan worker exited with {code}; restarting in {RESTART_AFTER_SECONDS} s", file=sys.stderr)
        time.sleep(RESTART_AFTER_SECONDS)
        if stopping:
            return code


if __name__ == "__main__":
    sys.exit(supervise())
