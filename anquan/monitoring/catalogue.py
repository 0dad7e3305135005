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


# the columns of PointInfo in its order, then the retirement and whether the installation is a major hazard
_FIELDS = (
    "id",
    "enterprise_id",
    "installation_id",
    "installation__grade",
    "region_code",
    "device_id",
    "kind",
    "low_low",
    "low",
    "high",
    "high_high",
    "expected_interval_s",
    "state",
    "retired_at",
    "installation__is_major",
    "max_rate_per_minute",
)

_by_enterprise: dict[int, tuple[float, dict[str, PointInfo]]] = {}


def devices_of(enterprise_id: int) -> dict[str, PointInfo]:
    """device id → PointInfo of every point of the enterprise (retired ones included, flagged)."""
    now = time.monotonic()
    cached = _by_enterprise.get(enterprise_id)
    if cached is not None and now - cached[0] < TTL_SECONDS:
        return cached[1]
    # plain tuples, not model instances: an enterprise of 50,000 points loads in well under a second
    rows = MonitoringPoint.objects.filter(enterprise_id=enterprise_id).values_list(*_FIELDS)
    devices = {
        r[5]: PointInfo(
            id=r[0],
            enterprise_id=r[1],
            installation_id=r[2],
            installation_grade=r[3] if r[14] else None,  # a grade only for a major hazard installation
            region_code=r[4],
            device_id=r[5],
            kind=r[6],
            low_low=r[7],
            low=r[8],
            high=r[9],
            high_high=r[10],
            expected_interval_s=r[11],
            state=r[12],
            retired=r[13] is not None,
            max_rate_per_minute=r[15],
        )
        for r in rows
    }
    _by_enterprise[enterprise_id] = (now, devices)
    return devices


def forget(enterprise_id: int | None = None) -> None:
    """Drop the cache (one enterprise's, or all): called after a point is saved in this process, and by tests."""
    if enterprise_id is None:
        _by_enterprise.clear()
    else:
        _by_enterprise.pop(enterprise_id, None)
