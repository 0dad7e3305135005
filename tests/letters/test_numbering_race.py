"""Numbers under concurrency: 20 letters issued at once by one office take 20 distinct consecutive numbers
(PostgreSQL: the counter row locked in each issue's transaction; SQLite: write transactions serialise); another
kind and another office count on their own."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.utils import timezone

from anquan.letters import services
from anquan.letters.models import Letter, LetterNumberCounter

from .conftest import LIANXI, raw

pytestmark = pytest.mark.django_db(transaction=True)

ISSUES = 20


@pytest.fixture
def pool_for_all():
    if connection.vendor != "postgresql":
        yield
        return
    options = connection.settings_dict["OPTIONS"]
    before = options["pool"]
    connection.close()
    connection.close_pool()
    options["pool"] = {**before, "min_size": 1, "max_size": ISSUES + 4}
    yield
    connection.close()
    connection.close_pool()
    options["pool"] = before


def test_concurrent_issues_never_share_a_number(world, pool_for_all):
    city = world.users["city_office"]
    drafts = [
        services.create_letter(raw(kind="reminder", subject=f"提示{i}"), actor=city) for i in range(ISSUES)
    ]
    workers = ISSUES if connection.vendor == "postgresql" else 6
    start = threading.Barrier(workers)

    def one(letter: Letter) -> str:
        try:
            try:
                start.wait(timeout=30)
            except threading.BrokenBarrierError:
                pass
            return services.issue_letter(Letter.objects.get(pk=letter.pk), actor=city).number
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        numbers = list(pool.map(one, drafts))
    year = timezone.localdate().year
    assert sorted(numbers, key=lambda n: int(n.split("〕")[1].removesuffix("号"))) == [
        f"九安办提示〔{year}〕{i}号" for i in range(1, ISSUES + 1)
    ]
    assert LetterNumberCounter.objects.get(issuer_code="360400", kind="reminder").last == ISSUES
    other_kind = services.create_letter(raw(), actor=city, issue=True)
    other_office = services.create_letter(
        raw(recipient_region=LIANXI, recipient_department="住建局"),
        actor=world.users["county_office"],
        issue=True,
    )
    assert (
        other_kind.number == f"九安办督办〔{year}〕1号" and other_office.number == f"濂安办督办〔{year}〕1号"
    )
