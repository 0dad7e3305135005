"""The trend of a point (monitoring/trend.py): the last hour from raw readings, the last day from the per-minute
roll-ups (average = sum / count, with min and max), the week from the per-hour roll-ups; the thresholds; the
alarms overlapping the range; the scope and a bad range."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ..conftest import login
from .board_seed import alarm, point

pytestmark = pytest.mark.django_db


def _rollup(p, period, bucket, count, lo, hi, total):
    from anquan.monitoring.models import ReadingRollup

    ReadingRollup.objects.create(
        point_id=p.pk,
        period=period,
        bucket=bucket,
        count=count,
        min_value=lo,
        max_value=hi,
        sum_value=total,
        region_code=p.region_code,
    )


def test_hour_day_and_week_read_raw_readings_and_rollups_with_thresholds_and_alarms(world):
    from anquan.monitoring.models import Reading

    p = point(world.chem_t1, "T1", low=5.0)
    now = timezone.now().replace(microsecond=0)
    for minutes, value in ((50, 10.0), (20, 12.0), (5, 30.0), (90, 99.0)):  # the last is older than an hour
        Reading.objects.create(
            point_id=p.pk, ts=now - dt.timedelta(minutes=minutes), value=value, region_code=p.region_code
        )
    minute = now.replace(second=0) - dt.timedelta(minutes=10)
    _rollup(p, "minute", minute, 6, 10.0, 14.0, 72.0)
    _rollup(p, "minute", minute - dt.timedelta(days=2), 6, 1.0, 1.0, 6.0)  # outside the day
    _rollup(p, "hour", now.replace(minute=0, second=0) - dt.timedelta(days=3), 360, 8.0, 20.0, 3960.0)
    crossing = alarm(p, "yellow", "high", now - dt.timedelta(minutes=5), first_value=30.0)
    alarm(
        p, "yellow", "high", now - dt.timedelta(days=3), ack_min=1, close_min=5
    )  # in the week, not the hour
    client = login(world.users["county_office"])
    base = f"/monitoring/points/{p.pk}/trend/data/"

    hour = client.get(base + "?range=hour").json()
    assert [v for _, v in hour["avg"]] == [10.0, 12.0, 30.0] and hour["source"] == "raw"
    assert [(t["label"], t["value"]) for t in hour["thresholds"]] == [
        ("低限", 5.0),
        ("高限", 25.0),
        ("高高限", 50.0),
    ]
    assert [a["id"] for a in hour["alarms"]] == [crossing.pk] and hour["alarms"][0]["url"].endswith(
        f"/{crossing.pk}/"
    )

    day = client.get(base + "?range=day").json()
    assert [v for _, v in day["avg"]] == [12.0] and [v for _, v in day["min"]] == [10.0]
    assert [v for _, v in day["max"]] == [14.0] and day["source"] == "minute"

    week = client.get(base + "?range=week").json()
    assert [v for _, v in week["avg"]] == [11.0] and len(week["alarms"]) == 2

    assert client.get(base + "?range=year").status_code == 422
    assert "取值应为" in client.get(base + "?range=year").json()["detail"][0]["message"]
    page = client.get(f"/monitoring/points/{p.pk}/trend/").content.decode()
    assert 'data-testid="trend-chart"' in page and "echarts.min.js" in page and "<script>" not in page


def test_another_countys_point_is_404(world):
    p = point(world.chem_xiushui, "X1")
    client = login(world.users["county_office"])
    assert client.get(f"/monitoring/points/{p.pk}/trend/").status_code == 404
    assert client.get(f"/monitoring/points/{p.pk}/trend/data/?range=day").status_code == 404
