"""An inspector's random-inspection tasks (我的抽查任务): the picks they were drawn for, with the enterprise, its
address, the co-inspectors, the draw and what is next — start the inspection (an inspections.Inspection of kind
`random` for the enterprise with the drawn inspectors, linked to the pick), continue it, or, once it is done,
enter the pick's result (services.enter_result)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from anquan.accounts.models import User
from anquan.core import audit
from anquan.core.choices import AuditAction
from anquan.core.errors import Conflict, NotPermitted
from anquan.core.permissions import Perm, has_perm
from anquan.inspections import services as inspections
from anquan.inspections.choices import Kind, Result
from anquan.inspections.choices import Status as InspectionStatus
from anquan.inspections.models import Inspection, InspectionItem

from .choices import DrawStatus, PickResult
from .models import DrawPick

STARTABLE = (DrawStatus.DRAWN, DrawStatus.PUBLISHED)
SHOWN = (DrawStatus.DRAWN, DrawStatus.PUBLISHED, DrawStatus.COMPLETED)
DONE_SHOWN = 20  # the finished tasks shown under the open ones


@dataclass
class Task:
    pick: DrawPick
    co_inspectors: list[str]
    inspection: Inspection | None
    may_start: bool
    may_enter_result: bool
    suggested: str  # the result the inspection's findings suggest, preselected in the form

    @property
    def stage(self) -> str:
        """to_start | inspecting | result | done"""
        if self.pick.result:
            return "done"
        if self.inspection is None or self.inspection.status == InspectionStatus.CANCELLED:
            return "to_start"
        return "result" if self.inspection.status == InspectionStatus.DONE else "inspecting"


def drawn_for(user: Any) -> QuerySet[DrawPick]:
    """The picks `user` was drawn for: their own tasks, by assignment rather than `restrict` (an inspector of a
    township drawn by the county's draw — `include_lower_regions` — is outside the draw's region). The task page
    and the to-do count (todo.py) both start here."""
    return DrawPick.objects.filter(assignments__inspector=user)


def _picks(user: User) -> QuerySet[DrawPick]:
    return (
        drawn_for(user)
        .filter(draw__status__in=SHOWN)
        .select_related("draw__region", "draw__department", "enterprise", "inspection")
        .prefetch_related("assignments")
        .annotate(
            noncompliant_found=Exists(
                InspectionItem.objects.filter(inspection=OuterRef("inspection"), result=Result.NONCOMPLIANT)
            )
        )
        .order_by("-draw__drawn_at", "draw_id", "position")
    )  # one assignment per inspector and pick: no duplicates


def _suggested(pick: DrawPick) -> str:
    """责令整改 when the done inspection found a non-compliant item (`noncompliant_found`, annotated by `_picks`: no query per
    task), else 未发现问题."""
    inspection = pick.inspection
    if inspection is None or inspection.status != InspectionStatus.DONE:
        return PickResult.NO_PROBLEM
    found = getattr(pick, "noncompliant_found", None)
    if found is None:  # a pick not read through _picks
        found = inspection.items.filter(result=Result.NONCOMPLIANT).exists()
    return PickResult.ORDERED if found else PickResult.NO_PROBLEM


def task(pick: DrawPick, user: User) -> Task:
    inspection = pick.inspection
    status = pick.draw.status
    startable = inspection is None or inspection.status == InspectionStatus.CANCELLED
    return Task(
        pick=pick,
        co_inspectors=[a.inspector_name for a in pick.assignments.all() if a.inspector_id != user.pk],
        inspection=inspection,
        may_start=startable and status in STARTABLE and has_perm(user, Perm.INSPECTION_CONDUCT),
        may_enter_result=status == DrawStatus.PUBLISHED,
        suggested=_suggested(pick),
    )


def tasks_of(user: User) -> tuple[list[Task], list[Task]]:
    """(open tasks, the latest finished ones) of an inspector."""
    every = [task(p, user) for p in _picks(user)]
    open_ = [t for t in every if t.stage != "done" and t.pick.draw.status != DrawStatus.COMPLETED]
    done = [t for t in every if t.stage == "done"][:DONE_SHOWN]
    return open_, done


def pick_of(user: User, draw_id: int, position: int) -> DrawPick | None:
    """A pick the user was drawn for (None otherwise: the page answers 404)."""
    return _picks(user).filter(draw_id=draw_id, position=position).first()


@transaction.atomic
def start_inspection(pick: DrawPick, *, actor: User, today: dt.date | None = None) -> Inspection:
    """The pick's inspection: created (kind random, today, the drawn inspectors, the industry's checklist in use)
    and started by one of its drawn inspectors, and linked to the pick; when a co-inspector started it already,
    that one (never a second)."""
    locked = DrawPick.objects.select_for_update().select_related("draw").get(pk=pick.pk)  # inner joins only
    drawn = list(locked.assignments.order_by("position").values_list("inspector_id", flat=True))
    if actor.pk not in drawn or not has_perm(actor, Perm.INSPECTION_CONDUCT):
        raise NotPermitted("只有被抽中的执法人员可以开始该企业的检查")
    current = locked.inspection
    if current is not None and current.status != InspectionStatus.CANCELLED:
        return current
    if locked.draw.status not in STARTABLE:
        raise Conflict("invalid_state", "该抽查已完成，不能再开始检查")
    raw: dict[str, Any] = {
        "enterprise": str(locked.enterprise_id),
        "kind": Kind.RANDOM,
        "planned_on": (today or timezone.localdate()).isoformat(),
        "inspectors": drawn,
        "note": f"双随机抽查：{locked.draw.title}（第{locked.position}家）",
    }
    inspection = inspections.create(raw, actor=actor)
    inspection = inspections.transition(inspection, "start", actor=actor)
    before = audit.snapshot(locked)
    locked.inspection = inspection
    locked.save(update_fields=["inspection"])
    audit.record(
        AuditAction.UPDATE,
        locked,
        actor=actor,
        before=before,
        after=audit.snapshot(locked),
        comment=f"开始抽查检查：{locked.enterprise_name}",
    )
    return inspection
