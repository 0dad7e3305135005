"""What lies within N km of a point: great-circle distance by the haversine formula, after a bounding-box
prefilter in SQL (an ordinary index on latitude/longitude serves it on SQLite and PostgreSQL alike; no PostGIS).

Haversine: d = 2 R asin( sqrt( sin²(Δφ/2) + cos φ1 · cos φ2 · sin²(Δλ/2) ) ), φ latitude, λ longitude in
radians. R is the mean Earth radius R1 = 6,371.0088 km of the IUGG (Moritz, "Geodetic Reference System 1980",
Bulletin Géodésique 54 (1980): R1 = (2a + b) / 3 of the GRS 80 ellipsoid); with it one degree of latitude is
2πR/360 ≈ 111.195 km. The sphere errs from the ellipsoid by at most about 0.5 %, far below what matters for
dispatching help within tens of kilometres."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from anquan.core.errors import FieldError, ValidationFailed

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius R1 of GRS 80
LATITUDE = (3, 54)  # China's bounds, as the hazards and tip-offs use them
LONGITUDE = (73, 136)
DEFAULT_KM = 20.0
MAX_KM = 500.0


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


def haversine_km(a: Point, b: Point) -> float:
    """The great-circle distance between two points in kilometres (formula in the module's docstring)."""
    phi1, phi2 = math.radians(a.latitude), math.radians(b.latitude)
    dphi = phi2 - phi1
    dlambda = math.radians(b.longitude - a.longitude)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def bounding_box(centre: Point, km: float) -> tuple[float, float, float, float]:
    """(south, north, west, east) enclosing every point within `km` of `centre` (with a small margin): the
    latitude span is km / R radians; the longitude span widens by 1 / cos φ at the box's edge nearest a pole."""
    dlat = math.degrees(km / EARTH_RADIUS_KM) * 1.001
    south, north = centre.latitude - dlat, centre.latitude + dlat
    widest = max(abs(south), abs(north))
    if widest >= 89.9:
        return south, north, -180.0, 180.0
    dlng = dlat / math.cos(math.radians(widest))
    return south, north, centre.longitude - dlng, centre.longitude + dlng


def box_filter(centre: Point, km: float) -> Q:
    south, north, west, east = bounding_box(centre, km)
    q = Decimal
    return Q(
        latitude__gte=q(f"{south:.6f}"),
        latitude__lte=q(f"{north:.6f}"),
        longitude__gte=q(f"{west:.6f}"),
        longitude__lte=q(f"{east:.6f}"),
    )


def nearest(rows: QuerySet[Any] | Iterable[Any], centre: Point, km: float) -> list[tuple[Any, float]]:
    """The rows (with `latitude`, `longitude`) within `km` of `centre`, nearest first, with their distance:
    the box in SQL when given a queryset, then the exact distance in Python."""
    if isinstance(rows, QuerySet):
        rows = rows.filter(box_filter(centre, km))
    found = []
    for row in rows:
        d = haversine_km(centre, Point(float(row.latitude), float(row.longitude)))
        if d <= km:
            found.append((row, d))
    found.sort(key=lambda pair: (pair[1], pair[0].pk))
    return found


# ---- the query parameters ?near=lat,lng&within_km= ---------------------------------------------------------


def parse_near(near: str | None, within_km: str | float | None) -> tuple[Point, float] | None:
    """(centre, radius) from `near=lat,lng` and `within_km` (default 20); None when `near` is absent. Anything
    else is refused naming the parameter: not two numbers, outside China, a radius ≤ 0 or above 500 km."""
    if within_km not in (None, "") and near in (None, ""):
        raise ValidationFailed(
            [FieldError("near", "required", "给出 within_km 时须同时给出 near（纬度,经度）")]
        )
    if near in (None, ""):
        return None
    parts = str(near).split(",")
    try:
        if len(parts) != 2:
            raise ValueError
        lat, lng = (float(p.strip()) for p in parts)
        if not (math.isfinite(lat) and math.isfinite(lng)):
            raise ValueError
    except ValueError:
        raise ValidationFailed(
            [FieldError("near", "invalid", "应为“纬度,经度”两个数字，如 29.70,116.00")]
        ) from None
    if not (LATITUDE[0] <= lat <= LATITUDE[1] and LONGITUDE[0] <= lng <= LONGITUDE[1]):
        raise ValidationFailed(
            [
                FieldError(
                    "near",
                    "out_of_range",
                    f"纬度应在{LATITUDE[0]}到{LATITUDE[1]}之间、经度应在"
                    f"{LONGITUDE[0]}到{LONGITUDE[1]}之间（中国境内）",
                )
            ]
        )
    return Point(lat, lng), parse_radius(within_km)


def parse_radius(within_km: str | float | None) -> float:
    if within_km in (None, ""):
        return DEFAULT_KM
    try:
        km = float(within_km)  # type: ignore[arg-type]
        if not math.isfinite(km):
            raise ValueError
    except (TypeError, ValueError):
        raise ValidationFailed([FieldError("within_km", "invalid", "应为数字（公里）")]) from None
    if not 0 < km <= MAX_KM:
        raise ValidationFailed([FieldError("within_km", "out_of_range", f"应大于0且不大于{MAX_KM:.0f}公里")])
    return km


def distances(found: Sequence[tuple[Any, float]]) -> dict[int, float]:
    return {row.pk: round(d, 3) for row, d in found}
