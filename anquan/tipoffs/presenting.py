"""A tip-off as the offices' API and pages read it (never the reporter's identity: that is services.reveal_identity)."""

from __future__ import annotations

from typing import Any

from .choices import Kind, Status
from .models import TipOff
from .workflow import FLOW


def tipoff_out(t: TipOff, user: Any, *, full: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": t.pk,
        "tracking_code": t.tracking_code,
        "kind": t.kind,
        "kind_label": str(Kind(t.kind).label),
        "description": t.description,
        "address": t.address,
        "region": t.region_code,
        "region_name": t.region.full_name or t.region.name,
        "latitude": t.latitude,
        "longitude": t.longitude,
        "venue_code": t.venue_code,
        "venue_name": t.venue_name,
        "department": t.department.name if t.department_id else None,
        "enterprise": t.enterprise.uscc if t.enterprise_id else None,
        "status": t.status,
        "status_label": str(Status(t.status).label),
        "reply": t.reply,
        "has_contact": t.has_contact,
        "fine_amount": t.fine_amount,
        "accident": t.accident_id,
        "concealed_deaths": t.concealed_deaths,
        "hazard": t.hazard_id,
        "reward_amount": t.reward_amount,
        "reward_basis": t.reward_basis,
        "reward_paid_on": t.reward_paid_on,
        "submitted_at": t.submitted_at,
        "replied_at": t.replied_at,
        "concluded_at": t.concluded_at,
        "actions": FLOW.available(t, user),
    }
    if full:
        body["photos"] = [
            {"id": p.pk, "name": p.name, "content_type": p.content_type, "size": p.size}
            for p in t.photos.all()
        ]
        body["events"] = [e.as_json() | {"from_status": e.from_status or None} for e in t.events.all()]
        body["notes"] = [
            {"id": n.pk, "author": n.author_label, "text": n.text, "at": n.at} for n in t.notes.all()
        ]
    return body
