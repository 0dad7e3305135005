"""Monitoring points and gateways made as model rows (their registration pages are another helper's), readings fed straight to
`evaluation.evaluate` as ingestion would, and a clock in whole seconds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from anquan.monitoring import catalogue
from anquan.monitoring.ingest import gateways
from anquan.monitoring.models import Gateway, MonitoringPoint
from tests.live.conftest import as_persona, live  # noqa: F401  (the live server's fixtures, for test_alarm_api)


def make_points(
    enterprise, n: int, *, prefix: str = "GT", high: float | None = 50.0
) -> list[MonitoringPoint]:
    points = MonitoringPoint.objects.bulk_create(
        MonitoringPoint(
            enterprise=enterprise,
            region_code=enterprise.region_code,
            supervising_department_id=enterprise.supervising_department_id,
            device_id=f"{prefix}-{i:05d}",
            name=f"可燃气体探测器{i}",
            kind="combustible_gas",
            unit="%LEL",
            high=high,
            high_high=None if high is None else high * 2,
        )
        for i in range(n)
    )
    catalogue.forget()
    return points


def make_gateway(enterprise, code: str = "GW-TEST-1") -> tuple[Gateway, str]:
    return gateways.issue(enterprise, code=code, name="测试网关", actor=None)


@pytest.fixture(autouse=True)
def _fresh_caches():
    from anquan.monitoring import catalogue, evaluation, operation

    catalogue.forget()
    evaluation.forget_windows()
    operation.forget()
    yield
    catalogue.forget()
    evaluation.forget_windows()
    operation.forget()


@pytest.fixture
def make_point(world):
    from anquan.monitoring.models import MonitoringPoint

    def make(device_id="GT-101", enterprise=None, **fields):
        enterprise = enterprise or world.chem_t1
        values = {
            "name": "储罐区可燃气体探测器",
            "kind": "combustible_gas",
            "unit": "%LEL",
            "high": 25.0,
            "high_high": 50.0,
            "expected_interval_s": 10,
            **fields,
        }
        return MonitoringPoint.objects.create(
            enterprise=enterprise,
            region_code=enterprise.region_code,
            supervising_department=enterprise.supervising_department,
            device_id=device_id,
            **values,
        )

    return make


@pytest.fixture
def point(make_point):
    return make_point()


@pytest.fixture
def t0():
    return timezone.now().replace(microsecond=0) - dt.timedelta(hours=1)


@pytest.fixture
def feed():
    """feed(point, [(seconds after t0, value), …], t0): evaluate those readings as one batch (storing them as
    `Reading` rows too, as ingestion does)."""
    from anquan.monitoring import catalogue
    from anquan.monitoring.evaluation import evaluate
    from anquan.monitoring.models import Reading

    def run(point, series, start):
        catalogue.forget()
        info = catalogue.devices_of(point.enterprise_id)[point.device_id]
        rows = [(info, start + dt.timedelta(seconds=s), float(v)) for s, v in series]
        Reading.objects.bulk_create(
            [Reading(point_id=point.pk, ts=ts, value=v, region_code=point.region_code) for _, ts, v in rows],
            ignore_conflicts=True,
        )
        evaluate(rows)

    return run


@pytest.fixture
def raised(point, feed, t0):
    """A high alarm of chem_t1's gas detector, raised by evaluation."""
    from anquan.monitoring.models import Alarm

    feed(point, [(0, 30), (10, 31)], t0)
    return Alarm.objects.get(point=point)


@pytest.fixture
def make_alarm(point):
    """An alarm row of any kind and status (for the steps and the tick), as the system would have raised it."""
    from anquan.monitoring.models import Alarm

    def make(kind="high", status="raised", raised_ago=dt.timedelta(minutes=1), level="yellow", **fields):
        now = timezone.now()
        return Alarm.objects.create(
            point=point,
            enterprise=point.enterprise,
            region_code=point.region_code,
            supervising_department=point.supervising_department,
            kind=kind,
            level=level,
            status=status,
            message=f"{point.device_id} 测试报警",
            started_at=now - raised_ago,
            raised_at=now - raised_ago,
            **fields,
        )

    return make


@pytest.fixture
def installation(world):
    """A grade-4 major hazard installation of chem_t1 (chlorine and ammonia: four required kinds of monitoring)."""
    from anquan.majorhazards import services as installations

    from ..riskpoints.helpers import REFERENCE_INSTALLATION

    return installations.create_installation(
        {**REFERENCE_INSTALLATION, "enterprise": world.chem_t1.uscc}, actor=world.users["county_office"]
    )


@pytest.fixture
def gas_point(world):
    """A combustible gas point of chem_t1 registered by its manager with the default thresholds."""
    from anquan.monitoring import points

    return points.create(
        world.chem_t1,
        {"device_id": "GT-101", "name": "罐区可燃气体探测器1", "kind": "combustible_gas"},
        actor=world.users["enterprise_manager"],
    )
