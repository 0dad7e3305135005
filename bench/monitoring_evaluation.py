"""Alarm evaluation's own cost (issue #16; docs/adr/0041-monitoring-alarm-rules.md): BATCHES batches of POINTS
points × PER_POINT readings each through `monitoring.evaluation.evaluate`, values drifting inside the normal range
with a few points crossing, each batch in its own transaction as ingestion runs it. Prints readings per second of
evaluation alone (no storing of the readings) and the queries per batch. Not part of the suite; run as

    DATABASE_URL=… .venv/bin/pytest -p tests.env -q -s bench/monitoring_evaluation.py
"""

import cProfile
import datetime as dt
import os
import time

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import reference, world  # noqa: F401  (fixtures)
from tests.monitoring.conftest import _fresh_caches, make_point  # noqa: F401  (fixtures)

POINTS, PER_POINT, BATCHES = 1000, 10, 20
PROFILE = os.environ.get("PROFILE", "")  # a file for cProfile's figures of the last batch


@pytest.mark.django_db(transaction=True)
def test_evaluation_throughput(make_point):  # noqa: F811  (the fixture imported above)
    from anquan.monitoring import catalogue
    from anquan.monitoring.evaluation import evaluate
    from anquan.monitoring.models import Alarm

    points = [make_point(f"B-{i:05d}", max_rate_per_minute=100.0) for i in range(POINTS)]
    catalogue.forget()
    devices = catalogue.devices_of(points[0].enterprise_id)
    infos = [devices[p.device_id] for p in points]
    start = timezone.now() - dt.timedelta(hours=2)
    seconds, queries = 0.0, []
    for b in range(BATCHES):
        rows = [
            (
                info,
                start + dt.timedelta(seconds=(b * PER_POINT + k) * 10),
                (30.0 if i % 100 == 0 and b >= 10 else 5.0 + ((b * PER_POINT + k + i) % 7) * 0.1),
            )
            for i, info in enumerate(infos)
            for k in range(PER_POINT)
        ]
        with CaptureQueriesContext(connection) as captured:
            begun = time.perf_counter()
            with transaction.atomic():
                if PROFILE and b == BATCHES - 1:
                    cProfile.runctx(
                        "evaluate(rows)", globals(), {"evaluate": evaluate, "rows": rows}, PROFILE
                    )
                else:
                    evaluate(rows)
            seconds += time.perf_counter() - begun
        queries.append(len(captured))
    total = POINTS * PER_POINT * BATCHES
    print(
        f"\n{connection.vendor}: {total} readings in {BATCHES} batches of {POINTS * PER_POINT}: "
        f"{seconds:.2f} s, {total / seconds:,.0f} readings/s, {seconds / total * 1e6:.1f} µs/reading; "
        f"queries per batch {sorted(set(queries))}; alarms raised {Alarm.objects.count()}"
    )
