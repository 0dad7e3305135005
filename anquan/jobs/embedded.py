"""gunicorn hooks (`--config python:anquan.jobs.embedded`) that give `anquan serve` its own worker: the
master starts `anquan worker` as a child process when it starts and stops it when it stops, so the embedded
default (one command, no extra service) runs queued jobs and the sweep. A separate process, not a thread in
the web workers: a bulletin's rendering never competes with requests for a web worker's interpreter lock, and
there is exactly one worker however many web workers gunicorn runs. Off with ANQUAN_EMBEDDED_WORKER=false
(production runs `anquan worker` as its own service then)."""

import os
import signal
import subprocess
import sys

_child: subprocess.Popen | None = None


def on_starting(server) -> None:
    global _child
    _child = subprocess.Popen([sys.executable, "-m", "anquan.manage", "worker"], env=os.environ.copy())
    server.log.info("Anquan worker started (pid %s)", _child.pid)


def on_exit(server) -> None:
    if _child is None or _child.poll() is not None:
        return
    _child.send_signal(signal.SIGTERM)  # a job in progress finishes first (within the graceful timeout)
    try:
        _child.wait(server.cfg.graceful_timeout)
    except subprocess.TimeoutExpired:
        _child.kill()  # its job is marked failed (and an import undone) when the next worker starts
        _child.wait()
    server.log.info("Anquan worker stopped")
