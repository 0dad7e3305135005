"""What ingestion and alarm evaluation need to know of each point, read once and kept in the process for a few
seconds: a gateway's devices (device id → point) and each point's thresholds. A point edited on a page is seen by
the consumer within `TTL_SECONDS` (or at once when `forget()` is called in the same process)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from .models import MonitoringPoint

TTL_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class PointInfo:
    id: int
    enterprise_id: int
    installation_id: int | None
    installation_grade: int | None  # GB 18218 grade 1–4 of the installation, None when not a major hazard
    region_code: str
    device_id: str
    kind: str
    low_low: float | None
    low: float | None
    high: float | None
    high_high: float | None
    expected_interval_s: int
    state: str
    retired: bool
    max_rate_per_minute: float | None = None  # rate-of-change limit (evaluation.py); None: not watched


_by_enterprise: dict[int, tuple[float, dict[str, PointInfo]]] = {}


def _info(point: MonitoringPoint, grade: int | None) -> PointInfo:
    return PointInfo(
        id=point.pk,
        enterprise_id=point.enterprise_id,
        installation_id=point.installation_id,
        installation_grade=grade,
        region_code=point.region_code,
        device_id=point.device_id,
        kind=point.kind,
        low_low=point.low_low,
        low=point.low,
        high=point.high,
        high_high=point.high_high,
        expected_interval_s=point.expected_interval_s,
        state=point.state,
        retired=point.retired_at is not None,
        max_rate_per_minute=point.max_rate_per_minute,
    )


def devices_of(enterprise_id: int) -> dict[str, PointInfo]:
    """device id → PointInfo of every point of the enterprise (retired ones included, flagged)."""
    now = time.monotonic()
    cached = _by_enterprise.get(enterprise_id)
    if cached is not None and now - cached[0] < TTL_SECONDS:
        return cached[1]
    points = MonitoringPoint.objects.filter(enterprise_id=enterprise_id).select_related("installation")
    devices = {
        p.device_id: _info(
            p, p.installation.grade if p.installation is not None and p.installation.is_major else None
        )
        for p in points
    }
    _by_enterprise[enterprise_id] = (now, devices)
    return devices


def forget(enterprise_id: int | None = None) -> None:
    """Drop the cache (one enterprise's, or all): called after a point is saved in this process, and by tests."""
    if enterprise_id is None:
        _by_enterprise.clear()
    else:
        _by_enterprise.pop(enterprise_id, None)
