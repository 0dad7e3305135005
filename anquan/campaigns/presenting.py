"""Campaigns and tasks as the API answers them and the pages show them (one place for both)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Q, QuerySet

from anquan.core.scope import restrict, within

from . import metrics, stats
from .choices import TargetSource, TaskStatus
from .models import Campaign, Target, Task
from .workflow import CAMPAIGN_FLOW, FLOW, USER_ACTIONS


def campaign_out(c: Campaign, user: Any) -> dict[str, Any]:
    tasks = stats.counted(c, user)
    total = tasks.count()
    done = tasks.filter(status=TaskStatus.VERIFIED_DONE).count()
    return {
        "id": c.pk,
        "name": c.name,
        "short_name": c.short_name,
        "document_number": c.document_number,
        "description": c.description,
        "region": c.region_code,
        "region_name": c.region.name,
        "starts_on": c.starts_on,
        "ends_on": c.ends_on,
        "status": c.status,
        "status_label": c.get_status_display(),
        "parent": c.parent_id,
        "stages": list(c.stages.all()),
        "battles": list(c.battles.all()),
        "progress": stats.sentence(total, done),
        "actions": CAMPAIGN_FLOW.available(c, user),
    }


def actions(task: Task, user: Any, has_subtasks: bool) -> list[str]:
    if has_subtasks:
        return []
    return [a for a in FLOW.available(task, user) if a in USER_ACTIONS]


def target_out(t: Target) -> dict[str, Any]:
    reading = metrics.read(t)
    automatic = t.source == TargetSource.AUTOMATIC
    metric = metrics.METRICS.get(t.metric)
    return {
        "id": t.pk,
        "name": t.name,
        "unit": t.unit,
        "planned": t.planned,
        "source": t.source,
        "metric": t.metric,
        "metric_label": metric.label if metric else "",
        "actual": reading.value if reading else t.actual,
        "actual_on": reading.on if reading else (t.actual_at.date() if t.actual_at else None),
        "note": metrics.AUTOMATIC_NOTE if automatic else "",
        "met": metrics.hit(t, reading.value if reading else t.actual),
    }


def task_out(t: Task, user: Any, *, full: bool = False) -> dict[str, Any]:
    subs = Task.objects.filter(parent=t).aggregate(
        total=Count("id"), done=Count("id", filter=Q(status=TaskStatus.VERIFIED_DONE))
    )
    out: dict[str, Any] = {
        "id": t.pk,
        "campaign": t.campaign_id,
        "parent": t.parent_id,
        "adopted_from": t.adopted_from_id,
        "number": t.number,
        "title": t.title,
        "battle": t.battle_id,
        "battle_name": str(t.battle) if t.battle_id else "",
        "stage": t.stage_id,
        "region": t.region_code,
        "region_name": t.region.name,
        "department": t.department.name if t.department_id else None,
        "unit_label": t.unit_label,
        "deadline": t.deadline,
        "status": t.status,
        "status_label": t.get_status_display(),
        "done_on": t.done_on,
        "verified_on": t.verified_on,
        "subtasks_total": subs["total"],
        "subtasks_done": subs["done"],
        "actions": actions(t, user, bool(subs["total"])),
    }
    if full:
        out["content"] = t.content
        out["units"] = [
            {
                "id": u.pk,
                "role": u.role,
                "role_label": u.get_role_display(),
                "text": u.text,
                "kind": u.kind,
                "kind_label": u.get_kind_display(),
                "region": u.region.code if u.region_id else None,
                "department": u.department.name if u.department_id else None,
            }
            for u in t.units.select_related("region", "department")
        ]
        out["targets"] = [target_out(x) for x in t.targets.select_related("task__region")]
        visible = (
            restrict(Task, user).filter(parent=t).select_related("campaign", "region", "department", "battle")
        )
        out["subtasks"] = [
            task_out(s, user) for s in visible.order_by("region__code", "department__order", "id")
        ]
    return out


def filtered(qs: QuerySet[Task], filters: Mapping[str, Any]) -> QuerySet[Task]:
    if filters.get("campaign"):
        qs = qs.filter(campaign_id=filters["campaign"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("battle"):
        qs = qs.filter(battle_id=filters["battle"])
    if filters.get("unit"):
        qs = qs.filter(unit_label__contains=str(filters["unit"]).strip())
    if filters.get("region"):
        qs = qs.filter(within(filters["region"]))
    if filters.get("lines") is not None:
        qs = qs.filter(parent__isnull=bool(filters["lines"]))
    return qs.order_by("campaign_id", "order", "parent_id", "region_code", "id")
