"""Teams, depots, stock rows and rosters as the API answers them (and the search page's JSON for its map)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .models import DutyRoster, RescueTeam, StockItem, StockMovement, SupplyDepot


def _owner(o: Any) -> dict[str, Any]:
    return {
        "owner": o.owner_label,
        "enterprise": o.enterprise.uscc if o.enterprise_id else None,
        "department": o.department.name if o.department_id else None,
        "region": o.region_code,
        "region_name": o.region.name,
    }


def _located(o: Any, km: float | None) -> dict[str, Any]:
    return {
        "id": o.pk,
        "name": o.name,
        "address": o.address,
        "latitude": o.latitude,
        "longitude": o.longitude,
        "contact_name": o.contact_name,
        "contact_phone": o.contact_phone,
        "distance_km": None if km is None else round(km, 3),
        **_owner(o),
    }


def team_out(t: RescueTeam, km: float | None = None, *, full: bool = False) -> dict[str, Any]:
    body = _located(t, km) | {
        "kind": t.kind,
        "kind_label": str(t.get_kind_display()),
        "speciality": t.speciality,
        "speciality_label": str(t.get_speciality_display()),
        "member_count": t.member_count,
        "equipment": t.equipment_list,
        "readiness": t.readiness,
        "readiness_label": str(t.get_readiness_display()),
    }
    if full:
        body["members"] = [{"name": m.name, "role": m.role, "phone": m.phone} for m in t.members.all()]
    return body


def item_out(i: StockItem, today: dt.date) -> dict[str, Any]:
    return {
        "id": i.pk,
        "name": i.name,
        "category": i.category,
        "category_label": str(i.get_category_display()),
        "quantity": i.quantity,
        "unit": i.unit,
        "minimum_quantity": i.minimum_quantity,
        "expires_on": i.expires_on,
        "below_minimum": i.below_minimum,
        "expired": i.expired_on(today),
    }


def depot_out(
    d: SupplyDepot, today: dt.date, km: float | None = None, items: list[StockItem] | None = None
) -> dict[str, Any]:
    rows = items if items is not None else list(d.items.all())
    return _located(d, km) | {"items": [item_out(i, today) for i in rows]}


def movement_out(m: StockMovement) -> dict[str, Any]:
    return {
        "id": m.pk,
        "item": m.item_id,
        "item_name": m.item.name,
        "direction": m.direction,
        "direction_label": str(m.get_direction_display()),
        "quantity": m.quantity,
        "balance": m.balance,
        "reason": m.reason,
        "actor": m.actor_label,
        "at": m.at,
    }


def roster_out(r: DutyRoster) -> dict[str, Any]:
    return {
        "id": r.pk,
        "day": r.day,
        "unit": r.unit_label,
        "team": r.team_id,
        "leader_name": r.leader_name,
        "leader_phone": r.leader_phone,
        "person_name": r.person_name,
        "phone": r.phone,
        **_owner(r),
    }
