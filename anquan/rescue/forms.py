"""The pages' forms: which inputs each shows and how a posted form becomes the services' raw dict (the checks
themselves are the services', shared with the API)."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict

TEAM_FIELDS = (
    "name",
    "kind",
    "speciality",
    "readiness",
    "member_count",
    "address",
    "latitude",
    "longitude",
    "contact_name",
    "contact_phone",
    "equipment",
    "members",
)
DEPOT_FIELDS = ("name", "address", "latitude", "longitude", "contact_name", "contact_phone")
OWNER_FIELDS = ("enterprise", "region", "department")
ITEM_FIELDS = ("name", "category", "unit", "quantity", "minimum_quantity", "expires_on")
MOVEMENT_FIELDS = ("item", "direction", "quantity", "reason")
ROSTER_FIELDS = (
    "team",
    "enterprise",
    "region",
    "department",
    "day",
    "leader_name",
    "leader_phone",
    "person_name",
    "phone",
)


def members_from_text(text: str) -> list[dict[str, str]]:
    """One member a line: “姓名,职务,电话” (commas, Chinese commas or spaces between)."""
    rows = []
    for line in text.splitlines():
        parts = [p.strip() for p in line.replace("，", ",").replace("\t", ",").split(",")]
        if len(parts) == 1:
            parts = line.split()
        if parts and parts[0]:
            rows.append(
                {
                    "name": parts[0],
                    "role": parts[1] if len(parts) > 1 else "",
                    "phone": parts[2] if len(parts) > 2 else "",
                }
            )
    return rows


def members_text(members: Any) -> str:
    return "\n".join(",".join(x for x in (m.name, m.role, m.phone)) for m in members)


def raw(post: QueryDict, fields: tuple[str, ...]) -> dict[str, Any]:
    values: dict[str, Any] = {f: post.get(f, "") for f in fields if f in post}
    if "members" in values:
        values["members"] = members_from_text(values["members"])
    return values
