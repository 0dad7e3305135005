"""Accidents seeded for statistics: the seeds' own figures for 九江市."""

import datetime as dt

import pytest
from django.utils import timezone

from anquan.accidents.grading import grade
from anquan.accidents.models import Accident, AccidentCategory
from anquan.regions.models import Region


def seed(year: int, deaths: list[int], region_codes: list[str]) -> None:
    """Accidents spread over January–November of `year` and over the given areas."""
    objs = []
    for n, dead in enumerate(deaths):
        day = dt.date(year, 1 + n % 11, 1 + n % 27)
        when = timezone.make_aware(dt.datetime(day.year, day.month, day.day, 10))
        edition, code = ("2025", "WSA10001") if day >= dt.date(2026, 7, 1) else ("1986", "01")
        region = Region.objects.get(code=region_codes[n % len(region_codes)])
        objs.append(
            Accident(
                occurred_at=when,
                region=region,
                region_code=region.code,
                address="某地",
                summary="物体打击",
                category=AccidentCategory.objects.get(edition=edition, code=code),
                deaths=dead,
                grade=grade(dead, 0, 0).grade,
            )
        )
    Accident.objects.bulk_create(objs)


@pytest.fixture
def jiujiang_history(world):
    """九江市: 1-11月 99 accidents / 104 deaths this year against 131 / 112 last year."""
    counties = list(Region.objects.filter(parent__code="360400").values_list("code", flat=True))
    seed(2026, [3] + [2] * 3 + [1] * 95, counties)
    seed(2025, [1] * 112 + [0] * 19, counties)
    seed(2024, [5] * 4, counties)  # outside both periods
