"""立案 serials through the unit's counter row (core.counters, ADR 0021): applications made at once take distinct
consecutive serials (PostgreSQL: each waits on the row lock; SQLite: write transactions serialise), a refused
application gives its serial back, and the counter continues from the serials already given."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.utils import timezone

from anquan.cases import services
from anquan.cases.models import CaseSerialCounter, EnforcementCase
from anquan.core.errors import ValidationFailed

from ..documents.test_live import pool_for_all  # noqa: F401 - the fixture (a pool wide enough for all)

pytestmark = pytest.mark.django_db(transaction=True)

APPLICATIONS = 20


def _apply(world, investigators=None) -> EnforcementCase:
    return services.open_case(
        {
            "enterprise": world.chem_t1.uscc,
            "source": "inspection",
            "facts": "未按规定对重大危险源进行检测",
            **({"investigators": investigators} if investigators else {}),
        },
        actor=world.users["inspector"],
    )


@pytest.mark.usefixtures("pool_for_all")
def test_concurrent_applications_take_distinct_consecutive_serials(team):
    # PostgreSQL: all at once, each on its own connection, queued on the counter row; SQLite: 6 at a time
    workers = APPLICATIONS + 1 if connection.vendor == "postgresql" else 6
    start = threading.Barrier(workers)

    def one(n: int) -> int | str:
        try:
            if n < workers:  # the first wave starts together
                try:
                    start.wait(timeout=30)
                except threading.BrokenBarrierError:
                    pass
            if n == 7:  # refused after its serial was taken: the serial goes back with the rollback
                try:
                    _apply(team, ["no-such-officer"])
                except ValidationFailed as exc:
                    return exc.errors[0].field
            return _apply(team).serial
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(one, range(APPLICATIONS + 1)))
    serials = [r for r in results if isinstance(r, int)]
    assert "investigators" in results
    assert sorted(serials) == list(range(1, APPLICATIONS + 1))
    year = timezone.localdate().year
    assert CaseSerialCounter.objects.get(year=year).last == APPLICATIONS
    numbers = set(EnforcementCase.objects.values_list("serial", flat=True))
    assert numbers == set(range(1, APPLICATIONS + 1))
    assert _apply(team).number == f"〔{year}〕{APPLICATIONS + 1}号"
