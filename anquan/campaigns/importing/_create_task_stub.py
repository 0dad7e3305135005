"""STUB of camp15's `campaigns.services.create_task` (COMMON15 interface), used only while that branch is not
merged: `importing.apply` imports the real one when `anquan.campaigns.services` has it. Creates the line, its
TaskUnits and one sub-task per responsible unit (no workflow, no targets). Delete this file at the merge."""

from __future__ import annotations

import datetime as dt
from typing import Any

from anquan.core import audit
from anquan.orgs.models import SafetyCommittee
from anquan.regions.models import Region

from ..choices import UnitKind, UnitRole
from ..models import Battle, Campaign, Task, TaskUnit

LEADING = (UnitRole.ORGANISE, UnitRole.LEAD, UnitRole.JOINTLY)


def _responsible(campaign: Campaign, unit: dict[str, Any]) -> list[tuple[Region, Any]]:
    kind = unit["kind"]
    if kind == UnitKind.DEPARTMENT:
        return [(unit["region"] or campaign.region, unit["department"])]
    if kind == UnitKind.REGION:
        return [(unit["region"], None)]
    if kind == UnitKind.CHILD_REGIONS:
        return [(child, None) for child in Region.objects.filter(parent=unit["region"] or campaign.region)]
    if kind == UnitKind.MEMBER_DEPARTMENTS:
        committee = SafetyCommittee.objects.filter(region=campaign.region).first()
        return [(campaign.region, d) for d in committee.members.all()] if committee else []
    return []


def create_task(
    campaign: Campaign,
    *,
    number: str,
    title: str,
    content: str = "",
    battle: Battle | None = None,
    units: list[dict[str, Any]],
    deadline: dt.date | None = None,
    targets: Any = (),
    actor: Any,
) -> Task:
    lead = next(
        (u["department"] for u in units if u["role"] in LEADING and u["kind"] == UnitKind.DEPARTMENT), None
    )
    order = Task.objects.filter(campaign=campaign, parent=None).count()
    line = Task.objects.create(
        campaign=campaign, battle=battle, number=number, title=title, content=content, region=campaign.region,
        department=lead, deadline=deadline, order=order, created_by=actor,
    )  # fmt: skip
    audit.record_create(line, actor=actor)
    seen: set[tuple[int, int | None]] = set()
    for i, unit in enumerate(units):
        TaskUnit.objects.create(
            task=line, role=unit["role"], text=unit["text"], kind=unit["kind"], region=unit["region"],
            department=unit["department"], order=i,
        )  # fmt: skip
        for region, department in _responsible(campaign, unit):
            key = (region.pk, department.pk if department else None)
            if key in seen:
                continue
            seen.add(key)
            label = f"{region.name}{department.name if department else ''}"
            Task.objects.create(
                campaign=campaign, battle=battle, parent=line, number=number, title=title, region=region,
                department=department, unit_label=label, deadline=deadline, order=order, created_by=actor,
            )  # fmt: skip
    return line
