"""Roll-ups, retention and the daily partitions of the readings (issue #16 item 6), on the database the run uses:
PostgreSQL (partitioned table) or SQLite (plain table)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anquan.monitoring import partitions, retention
from anquan.monitoring.models import MonitoringPoint, Reading, ReadingRollup
from anquan.monitoring.rules import OPERATION
from anquan.rules import services as rules
from anquan.rules.models import RuleVersion

UTC = dt.UTC
on_postgres = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="partitions are PostgreSQL's")


def at(h, m, s=0, day=dt.date(2026, 11, 30)):
    return dt.datetime.combine(day, dt.time(h, m, s), tzinfo=UTC)


@pytest.fixture
def point(world):
    e = world.chem_t1
    return MonitoringPoint.objects.create(
        enterprise=e, region_code=e.region_code, device_id="TT-101", name="1号储罐温度", kind="temperature"
    )


def add(point, *readings):
    Reading.objects.bulk_create(
        [Reading(point=point, ts=ts, value=v, region_code=point.region_code) for ts, v in readings]
    )


def rollups(point, period):
    return {
        r.bucket.astimezone(UTC).strftime("%H:%M"): (r.count, r.min_value, r.max_value, r.sum_value)
        for r in ReadingRollup.objects.filter(point=point, period=period)
    }


def test_minutes_and_hours_of_closed_buckets_worked_out_by_hand(point):
    add(
        point,
        (at(10, 0, 5), 1),
        (at(10, 0, 35), 3),
        (at(10, 1, 10), 5),
        (at(10, 59, 50), 7),
        (at(11, 0, 10), 100),
    )
    with CaptureQueriesContext(connection):  # the statement logged too (DEBUG, as in the demo)
        retention.rollup(now=at(11, 0, 30))
    # 11:00 is not closed yet: neither its minute nor its hour is written
    assert rollups(point, "minute") == {"10:00": (2, 1, 3, 4), "10:01": (1, 5, 5, 5), "10:59": (1, 7, 7, 7)}
    assert rollups(point, "hour") == {"10:00": (4, 1, 7, 16)}

    retention.rollup(now=at(11, 0, 30))  # the same run again: the same figures, no row twice
    assert rollups(point, "minute") == {"10:00": (2, 1, 3, 4), "10:01": (1, 5, 5, 5), "10:59": (1, 7, 7, 7)}
    assert rollups(point, "hour") == {"10:00": (4, 1, 7, 16)}
    assert ReadingRollup.objects.count() == 4


def test_a_late_reading_within_the_look_back_is_re_aggregated_an_older_one_only_on_request(point):
    add(point, (at(10, 0, 5), 1), (at(10, 0, 35), 3), (at(10, 59, 50), 7), (at(11, 0, 10), 100))
    retention.rollup(now=at(11, 0, 30))
    add(point, (at(10, 59, 55), 9))  # arrives late, 5 s before the watermark's minute
    result = retention.rollup(now=at(11, 1, 30))
    assert result.minutes_from == at(11, 0) - dt.timedelta(minutes=retention.LATE_MINUTES)
    minutes = rollups(point, "minute")
    assert minutes["10:59"] == (2, 7, 9, 16)  # recomputed whole, not added to
    assert minutes["11:00"] == (1, 100, 100, 100)
    assert rollups(point, "hour") == {"10:00": (4, 1, 9, 20)}

    add(point, (at(10, 0, 50), 2))  # an hour late: past the look-back
    retention.rollup(now=at(11, 2, 30))
    assert rollups(point, "minute")["10:00"] == (2, 1, 3, 4)
    retention.rollup(now=at(11, 2, 30), since=at(10, 0))  # a back-fill after an outage, on request
    assert rollups(point, "minute")["10:00"] == (3, 1, 3, 6)
    assert rollups(point, "hour") == {"10:00": (5, 1, 9, 22)}


def test_each_run_reads_only_from_its_watermark(point):
    add(point, (at(7, 0, 0), 1))
    assert retention.rollup(now=at(8, 5)).minutes_from == at(
        7, 0
    )  # the first run starts at the first reading
    ReadingRollup.objects.all().delete()  # were a run to re-read from the start, 07:00 would come back
    result = retention.rollup(now=at(9, 30))
    assert result.minutes_from == at(8, 5) - dt.timedelta(minutes=retention.LATE_MINUTES)
    assert rollups(point, "minute") == {}


def day_start(day):
    return partitions.bounds(day)[0]


def test_prune_keeps_30_days_of_raw_readings_and_the_hour_roll_ups(point):
    today = dt.date(2026, 11, 30)
    add(
        point,
        (day_start(today - dt.timedelta(days=31)) + dt.timedelta(hours=12), 1.0),
        (day_start(today - dt.timedelta(days=30)) + dt.timedelta(minutes=1), 2.0),
        (day_start(today - dt.timedelta(days=1)), 3.0),
    )
    partitions.ensure(days_ahead=0, today=today)  # no-op on SQLite
    old = day_start(today - dt.timedelta(days=401))
    ReadingRollup.objects.bulk_create(
        [
            ReadingRollup(
                point=point,
                period=p,
                bucket=b,
                count=1,
                min_value=1,
                max_value=1,
                sum_value=1,
                region_code=point.region_code,
            )
            for p, b in [("minute", old), ("minute", old + dt.timedelta(days=2)), ("hour", old)]
        ]
    )
    result = retention.prune(today)
    assert result.raw_before == today - dt.timedelta(days=30)
    assert sorted(Reading.objects.values_list("value", flat=True)) == [2.0, 3.0]
    assert result.minute_rollups_deleted == 1
    assert ReadingRollup.objects.filter(period="hour").count() == 1
    if connection.vendor == "postgresql":
        assert result.days_dropped == [today - dt.timedelta(days=31)]
        assert partitions.name_of(today - dt.timedelta(days=31)) not in connection.introspection.table_names()
    else:
        assert result.raw_deleted == 1


def test_retention_is_never_below_30_days(world):
    today = timezone.localdate()
    values = dict(rules.in_force(OPERATION, today).values, raw_retention_days=10)
    with pytest.raises(rules.ValidationFailed):
        rules.add_version(
            world.users["sysadmin"],
            OPERATION,
            effective_from=today,
            values=values,
            source="测试",
            verified="not_found",
        )
    # a figure that got past the schema (written straight to the table) is still not obeyed
    RuleVersion.objects.create(
        key=OPERATION,
        region_code="",
        effective_from=today,
        values=values,
        source="测试",
        verified="not_found",
    )
    assert retention.retention_days(today)[0] == 30


def test_a_province_keeping_longer_wins(world):
    today = timezone.localdate()
    values = dict(rules.in_force(OPERATION, today).values, raw_retention_days=90)
    rules.add_version(
        world.users["sysadmin"],
        OPERATION,
        effective_from=today,
        values=values,
        source="测试",
        verified="not_found",
        region_code="360000",
    )
    assert retention.retention_days(today)[0] == 90


@on_postgres
def test_a_reading_without_its_day_partition_is_kept_and_moved_to_its_own_day(point):
    far = timezone.localdate() + dt.timedelta(days=40)
    add(point, (day_start(far) + dt.timedelta(hours=3), 42.0))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {partitions.DEFAULT}")
        assert cursor.fetchone()[0] == 1
    created = partitions.ensure()
    assert far in created and far in partitions.days()
    assert partitions.ensure() == []  # idempotent
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {partitions.DEFAULT}")
        assert cursor.fetchone()[0] == 0
        cursor.execute(f"SELECT value FROM {partitions.name_of(far)}")
        assert cursor.fetchall() == [(42.0,)]
    assert list(Reading.objects.values_list("value", flat=True)) == [42.0]


@on_postgres
def test_the_coming_week_has_its_partitions_and_old_days_drop_whole(point):
    today = timezone.localdate()
    partitions.ensure()  # as the sweep does (the migration made the week it ran in)
    assert {today + dt.timedelta(days=n) for n in range(8)} <= set(partitions.days())
    old = today - dt.timedelta(days=45)
    add(point, *[(day_start(old) + dt.timedelta(seconds=10 * n), float(n)) for n in range(100)])
    partitions.ensure()
    assert old in partitions.days()
    assert partitions.drop_before(today - dt.timedelta(days=30)) == [old]
    assert old not in partitions.days() and not Reading.objects.exists()


def test_the_sweep_rolls_up_and_prunes(point):
    from anquan.sweep.services import sweep

    now = timezone.now()
    add(point, (now - dt.timedelta(minutes=3), 1.0), (now - dt.timedelta(days=40), 5.0))
    result = sweep(now)
    assert not [f for f in result.failed if f.job.startswith("reading")], result.failed
    assert ReadingRollup.objects.filter(point=point, period="minute").count() >= 1
    assert list(Reading.objects.values_list("value", flat=True)) == [1.0]
    assert "roll-ups 2 minute" in result.summary()  # the minute of now and of 40 days ago


def test_since_the_2026_12_02_version_minutes_are_kept_90_days_and_hours_ten_years(point):
    """The versioned default (rule monitoring.operation, docs/adr/0044): a province's 50,000 points × 1,440 minutes
    × 400 days was 4.2 TB of minute roll-ups; the new version keeps 90 days of minutes and ten years of hours."""
    today = dt.date(2026, 12, 10)
    assert rules.in_force(OPERATION, today).values["minute_rollup_days"] == 90
    start = day_start(today)
    ReadingRollup.objects.bulk_create(
        [
            ReadingRollup(
                point=point,
                period=p,
                bucket=start - dt.timedelta(days=days),
                count=1,
                min_value=1,
                max_value=1,
                sum_value=1,
                region_code=point.region_code,
            )
            for p, days in [("minute", 91), ("minute", 89), ("hour", 3651), ("hour", 3649), ("hour", 400)]
        ]
    )
    result = retention.prune(today)
    assert (result.minute_rollups_deleted, result.hour_rollups_deleted) == (1, 1)
    kept = ReadingRollup.objects.order_by("period", "bucket").values_list("period", "bucket")
    assert [(p, (start - b).days) for p, b in kept] == [("hour", 3649), ("hour", 400), ("minute", 89)]
