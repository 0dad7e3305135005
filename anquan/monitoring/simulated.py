"""The simulator's points and gateway in the database (`anquan simulate-sensors --register`, and the demo): the
points the simulator plays (device ids `<prefix>-00001` …, the kinds and thresholds of simulator.PROFILES) and
the gateway they report through, created when missing, audited."""

from __future__ import annotations

import importlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from anquan.core import audit
from anquan.core.models import AuditAction
from anquan.enterprises.models import Enterprise
from anquan.majorhazards.models import MajorHazardInstallation

from . import simulator
from .choices import DEFAULT_UNITS, PointKind
from .models import Gateway, MonitoringPoint

KIND_NAMES = {
    PointKind.COMBUSTIBLE_GAS: "可燃气体探测器",
    PointKind.TOXIC_GAS: "硫化氢探测器",
    PointKind.OXYGEN: "氧含量探测器",
    PointKind.TEMPERATURE: "温度变送器",
    PointKind.PRESSURE: "压力变送器",
    PointKind.LIQUID_LEVEL: "液位计",
    PointKind.FLOW: "流量计",
}


@dataclass
class Registered:
    enterprise: Enterprise
    gateway: Gateway
    key: str | None  # the gateway's key when it was created now (shown once), else None
    created_points: int


def default_enterprise() -> Enterprise | None:
    """The first enterprise with a major hazard installation, else the first enterprise."""
    installation = MajorHazardInstallation.objects.filter(is_major=True).order_by("id").first()
    if installation is not None:
        return installation.enterprise
    return Enterprise.objects.order_by("id").first()


def issue_gateway(enterprise: Enterprise, code: str, name: str, actor: Any) -> tuple[Gateway, str]:
    """The gateway with its key: through the ingestion's `gateways.issue` when it is there (the same audit entry
    as a page would write), else a row of its own, audited."""
    try:
        gateways = importlib.import_module("anquan.monitoring.ingest.gateways")
    except ImportError:
        gateways = None
    if gateways is not None:
        gateway, key = gateways.issue(enterprise, code=code, name=name, actor=actor)
        return gateway, str(key)
    key = "gw_" + secrets.token_urlsafe(32)
    gateway = Gateway.objects.create(
        enterprise=enterprise, code=code, name=name, key_hash=Gateway.hash_key(key)
    )
    audit.record(
        AuditAction.CREATE, gateway, actor=actor, after=audit.snapshot(gateway), comment="模拟数据网关"
    )
    return gateway, key


def point_rows(
    enterprise: Enterprise, prefix: str, count: int, installations: list[MajorHazardInstallation]
) -> list[MonitoringPoint]:
    """Unsaved points `<prefix>-00001` … spread over the installations (round robin) or the enterprise."""
    rows = []
    for i in range(count):
        kind = simulator.kind_of(i)
        p = simulator.PROFILES[kind]
        installation = installations[i % len(installations)] if installations else None
        where = installation.name if installation is not None else enterprise.name
        rows.append(
            MonitoringPoint(
                enterprise=enterprise,
                installation=installation,
                region_code=enterprise.region_code,
                supervising_department_id=enterprise.supervising_department_id,
                device_id=simulator.device_id(prefix, i),
                name=f"{KIND_NAMES[PointKind(kind)]}{i + 1:03d}",
                location=where,
                kind=kind,
                unit=DEFAULT_UNITS[PointKind(kind)],
                low=p.low,
                high=p.high,
                high_high=p.high_high,
            )
        )
    return rows


@transaction.atomic
def register(
    *,
    sensors: int,
    interval: float,
    prefix: str = "SIM",
    gateway_code: str = "SIM-GW-01",
    enterprise: Enterprise | None = None,
    actor: Any = "simulator",
) -> Registered:
    """Create the gateway `gateway_code` and the points the simulator plays that are missing."""
    gateway = Gateway.objects.filter(code=gateway_code).select_related("enterprise").first()
    key = None
    if gateway is not None:
        enterprise = gateway.enterprise
    else:
        enterprise = enterprise or default_enterprise()
        if enterprise is None:
            raise LookupError("no enterprise to register the simulated points in (run `anquan demo` first)")
        gateway, key = issue_gateway(enterprise, gateway_code, "模拟数据采集网关", actor)
    installations = list(
        MajorHazardInstallation.objects.filter(enterprise=enterprise, is_major=True).order_by("id")
    )
    have = set(MonitoringPoint.objects.filter(enterprise=enterprise).values_list("device_id", flat=True))
    new = [p for p in point_rows(enterprise, prefix, sensors, installations) if p.device_id not in have]
    for point in new:
        point.expected_interval_s = max(1, round(interval))
    MonitoringPoint.objects.bulk_create(new, batch_size=1000)
    created = list(
        MonitoringPoint.objects.filter(enterprise=enterprise, device_id__in=[p.device_id for p in new])
    )
    audit.record_many(AuditAction.CREATE, created, actor=actor, comment="模拟监测点")
    return Registered(enterprise, gateway, key, len(created))
