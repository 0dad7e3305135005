"""Monitoring fixtures: points and gateways made as rows (their pages are another part of issue #16)."""

from __future__ import annotations

import pytest

from anquan.monitoring import catalogue
from anquan.monitoring.ingest import gateways
from anquan.monitoring.models import Gateway, MonitoringPoint


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
def _fresh_catalogue():
    catalogue.forget()
    yield
    catalogue.forget()
