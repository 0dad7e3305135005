"""How a plan and a drill read in the API and on the pages (one place for both)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from anquan.core.workdays import countdown, working_days_until

from .choices import PlanStatus, RefilingChange, RevisionReason
from .models import Drill, EmergencyPlan
from .workflow import FLOW


def filing_days_left(plan: EmergencyPlan) -> int | None:
    """Working days the department has left to check a submitted plan (0: the last day, or past)."""
    if plan.status != PlanStatus.SUBMITTED or plan.filing_due is None:
        return None
    return working_days_until(timezone.localdate(), plan.filing_due)


def filing_note(plan: EmergencyPlan) -> str:
    if plan.status != PlanStatus.FILED:
        return ""
    if plan.filed_by_lapse:
        return f"受理部门逾期未核对，依《生产安全事故应急预案管理办法》第二十八条于{plan.filed_on:%Y-%m-%d}视为已备案"
    return f"{plan.filed_on:%Y-%m-%d}备案，备案编号{plan.record_number}"


def plan_out(plan: EmergencyPlan, user: Any, *, full: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": plan.pk,
        "owner": plan.owner_label,
        "enterprise": plan.enterprise.uscc if plan.enterprise else None,
        "region": plan.region_code,
        "owner_department": plan.owner_department.code if plan.owner_department else None,
        "filed_with": plan.filed_with.code if plan.filed_with else None,
        "filed_with_name": plan.filed_with.name if plan.filed_with else "",
        "kind": plan.kind,
        "kind_label": plan.get_kind_display(),
        "title": plan.title,
        "revision": plan.revision,
        "published_on": plan.published_on,
        "status": plan.status,
        "status_label": str(plan.get_status_display()),
        "submitted_on": plan.submitted_on,
        "filing_due": plan.filing_due,
        "filing_days_left": filing_days_left(plan),
        "record_number": plan.record_number,
        "filed_on": plan.filed_on,
        "filed_by_lapse": plan.filed_by_lapse,
        "filing_note": filing_note(plan),
        "return_reasons": plan.return_reasons,
        "last_evaluated_on": plan.last_evaluated_on,
        "supersedes": plan.supersedes_id,
        "revision_reasons": [str(RevisionReason(r).label) for r in plan.revision_reasons],
        "refiling_changes": [str(RefilingChange(c).label) for c in plan.refiling_changes],
        "actions": FLOW.available(plan, user),
    }
    if full:
        out["documents"] = [
            {
                "id": d.pk,
                "name": d.name,
                "content_type": d.content_type,
                "size": d.size,
                "url": reverse("emergency:document", args=[d.pk]),
            }
            for d in plan.documents.all()
        ]
        out["events"] = [e.as_json() for e in plan.events.all()]
    return out


def drill_out(drill: Drill) -> dict[str, Any]:
    return {
        "id": drill.pk,
        "plan": drill.plan_id,
        "plan_title": drill.plan.title,
        "owner": drill.plan.owner_label,
        "held_on": drill.held_on,
        "kind": drill.kind,
        "kind_label": drill.get_kind_display(),
        "organiser": drill.organiser,
        "participant_count": drill.participant_count,
        "participants": drill.participants,
        "scenario": drill.scenario,
        "evaluation": drill.evaluation,
        "improvements": drill.improvements,
        "files": [
            {
                "id": f.pk,
                "name": f.name,
                "content_type": f.content_type,
                "size": f.size,
                "url": reverse("emergency:drill_file", args=[f.pk]),
            }
            for f in drill.files.all()
        ],
    }


def due_words(due: Any) -> tuple[str, bool]:
    return countdown(due, timezone.localdate())
