"""Audited writes at once (issue #10 item 6; docs/adr/0006-audit-chain.md): THREADS threads, each doing WRITES
writes in its own transaction that records one audit entry and then holds the transaction HOLD seconds (the
rest of a request's work) before commit. With the chain head locked by every writer (before issue #10) the
writes run one after another; with inserts only and the chainer after commit they overlap.

    DATABASE_URL=postgres://… SECRET_KEY=… ANQUAN_AUDIT_KEY=… .venv/bin/python bench/audit_writes.py 16 20 0.02

Migrates the database named by DATABASE_URL and loads the regions if it has none. Not part of the suite."""

import sys
import threading
import time

from common import setup_django

setup_django()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from anquan.core import audit  # noqa: E402
from anquan.core.models import AuditAction, AuditEntry  # noqa: E402
from anquan.regions.loader import load_province  # noqa: E402
from anquan.regions.models import Region  # noqa: E402


def main(threads: int, writes: int, hold: float) -> None:
    call_command("migrate", verbosity=0)
    if not Region.objects.exists():
        load_province("360000")
    subject = Region.objects.get(code="360402")

    def worker():
        for _ in range(writes):
            with transaction.atomic():
                audit.record(AuditAction.UPDATE, subject, actor="bench", comment="bench")
                time.sleep(hold)
        connection.close()

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - started
    total = threads * writes
    print(
        f"{connection.vendor}: {threads} threads × {writes} writes, {hold * 1000:.0f} ms before commit: "
        f"{elapsed:.2f} s, {total / elapsed:.0f} writes/s (overlapping fully: {writes * hold:.2f} s; "
        f"one after another: {total * hold:.2f} s)"
    )
    audit.chain_pending()
    print(
        f"unchained: {AuditEntry.objects.filter(seq__isnull=True).count()}; verify: {audit.verify(anchors=False)}"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]))
