"""The declared workflows of campaign tasks and campaigns (anquan/core/workflow.py).

A task (a responsible unit's sub-task, or a line without sub-tasks):

    assigned ──start──▶ in_progress ──report_done──▶ reported_done ──verify──▶ verified_done
        │                   │                             │
        └──report_done──────┘                             └──send_back──▶ in_progress (overdue when past the deadline)
    assigned / in_progress ──mark_overdue (the daily sweep)──▶ overdue ──report_done──▶ reported_done

Who: the responsible unit acts on its own sub-task (`start`, `report_done`): a user of the sub-task's region whose
department is the sub-task's department (an office user, no department, for a region's sub-task). The office of
the campaign's region (安委办, no department) verifies or sends back. `mark_overdue` is the system's.

A line's status is never set by hand when it has sub-tasks: it **rolls up** from them after each of their
changes (`roll_up`, an event of the line written by the system):
- verified_done when every sub-task is verified done;
- otherwise overdue when any sub-task is overdue;
- otherwise reported_done when every sub-task is reported or verified done;
- otherwise in_progress when any sub-task has been started (in progress, reported or verified done);
- otherwise assigned.
`done_on` / `verified_on` of the line are the latest of its sub-tasks' once all are done (verified).
A line without sub-tasks (its units not yet recognised) is acted on itself, by its own unit.

A campaign: draft ──activate──▶ active ──close──▶ closed, by the office of its region."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from anquan.core.errors import Conflict, FieldError, ValidationFailed
from anquan.core.permissions import Role
from anquan.core.scope import in_scope
from anquan.core.workflow import SYSTEM, Guard, Transition, Workflow

from .choices import CampaignStatus, TaskStatus
from .models import OFFICES, Campaign, CampaignEvent, Task, TaskEvent

S = TaskStatus
UNIT_ROLES = OFFICES | {Role.DEPARTMENT_SUPERVISOR, Role.INSPECTOR}
UNIT_ONLY = "只有该任务的责任单位可以办理"
OFFICE_ONLY = "只有专项整治所属地区的安委办可以审核"
OPEN = (S.ASSIGNED, S.IN_PROGRESS, S.OVERDUE, S.REPORTED_DONE)


def is_unit(user: Any, task: Task) -> bool:
    """The responsible unit of `task`: its region's user of its department (an office for a region's task)."""
    if user is None or getattr(user, "enterprise_id", None):
        return False
    return bool(
        getattr(user, "role", None) in UNIT_ROLES
        and user.region_id == task.region_id
        and user.department_id == task.department_id
        and (task.department_id is not None or user.role in OFFICES)
    )


def is_campaign_office(user: Any, task_or_campaign: Task | Campaign) -> bool:
    """The office (安委办, no department) of the campaign's region."""
    campaign = task_or_campaign.campaign if isinstance(task_or_campaign, Task) else task_or_campaign
    return bool(
        user is not None
        and getattr(user, "role", None) in OFFICES
        and user.department_id is None
        and not getattr(user, "enterprise_id", None)
        and user.region_id == campaign.region_id
    )


def _unit(user: Any, task: Task) -> bool:
    return is_unit(user, task)


def _office(user: Any, task: Task) -> bool:
    return is_campaign_office(user, task)


HAS_DEADLINE = Guard({"deadline__isnull": False}, "no_deadline", "该任务没有完成期限")

FLOW: Workflow[Task] = Workflow(
    model=Task,
    event_model=TaskEvent,
    event_parent="task",
    status_labels=dict(TaskStatus.choices),
    field_labels={"comment": "说明"},
    stale_message="该任务已被他人处理，请刷新后重试",
    select_related=("campaign", "region", "department", "parent"),
    transitions={
        "start": Transition("开始办理", (S.ASSIGNED,), S.IN_PROGRESS, _unit, UNIT_ONLY, fields=("comment",)),
        "report_done": Transition(
            "报告完成",
            (S.ASSIGNED, S.IN_PROGRESS, S.OVERDUE),
            S.REPORTED_DONE,
            _unit,
            UNIT_ONLY,
            fields=("comment",),
        ),
        "verify": Transition(
            "审核通过", (S.REPORTED_DONE,), S.VERIFIED_DONE, _office, OFFICE_ONLY, fields=("comment",)
        ),
        "send_back": Transition(
            "退回",
            (S.REPORTED_DONE,),
            S.IN_PROGRESS,
            _office,
            OFFICE_ONLY,
            fields=("comment",),
            required=("comment",),
        ),
        "mark_overdue": Transition(
            "逾期", (S.ASSIGNED, S.IN_PROGRESS), S.OVERDUE, {SYSTEM}, "逾期由系统标记", guards=(HAS_DEADLINE,)
        ),
        "roll_up": Transition("汇总子任务状态", tuple(S.values), None, {SYSTEM}, "由系统汇总"),
    },
)
USER_ACTIONS = ("start", "report_done", "verify", "send_back")


def rolled_status(statuses: Iterable[str]) -> str:
    """A line's status from its sub-tasks' (the rule in this module's docstring)."""
    seen = list(statuses)
    if not seen:
        return S.ASSIGNED
    if all(s == S.VERIFIED_DONE for s in seen):
        return S.VERIFIED_DONE
    if any(s == S.OVERDUE for s in seen):
        return S.OVERDUE
    if all(s in (S.REPORTED_DONE, S.VERIFIED_DONE) for s in seen):
        return S.REPORTED_DONE
    if any(s != S.ASSIGNED for s in seen):
        return S.IN_PROGRESS
    return S.ASSIGNED


def roll_up(line: Task, *, now: dt.datetime | None = None) -> Task:
    """Set the line's status (and done/verified days) from its sub-tasks; an event and an audit entry when it
    changes. A line without sub-tasks is left as it is."""
    subs = list(Task.objects.filter(parent=line).values_list("status", "done_on", "verified_on"))
    if not subs:
        return line
    line = Task.objects.select_related("campaign", "region", "department", "parent").get(pk=line.pk)
    status = rolled_status(s for s, _, _ in subs)
    done = [d for _, d, _ in subs if d]
    verified = [v for _, _, v in subs if v]
    changes = {
        "done_on": max(done) if status in (S.REPORTED_DONE, S.VERIFIED_DONE) and done else None,
        "verified_on": max(verified) if status == S.VERIFIED_DONE and verified else None,
        "status_changed_at": now or timezone.now(),
    }
    if (
        status == line.status
        and changes["done_on"] == line.done_on
        and changes["verified_on"] == line.verified_on
    ):
        return line
    if status == line.status:
        changes.pop("status_changed_at")
        Task.objects.filter(pk=line.pk).update(**changes)
        line.refresh_from_db()
        return line
    fresh, _ = FLOW.apply(line, "roll_up", actor=None, changes=changes, target=status, now=now)
    return fresh


def _changes(task: Task, action: str, today: dt.date, now: dt.datetime) -> tuple[dict[str, Any], str | None]:
    changes: dict[str, Any] = {"status_changed_at": now}
    target = None
    if action == "report_done":
        changes["done_on"] = today
    elif action == "verify":
        changes["verified_on"] = today
    elif action == "send_back":
        changes["done_on"] = None
        if task.deadline and task.deadline < today:
            target = S.OVERDUE
    return changes, target


def task_transition(
    task: Task,
    action: str,
    *,
    actor: Any,
    comment: str = "",
    data: Mapping[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> Task:
    """Take `action` (start, report_done, verify, send_back, mark_overdue) on `task` as `actor` (None: the
    system) and roll its line up. 404 out of scope, 403 wrong role, 409 wrong state or stale, 422 bad fields."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if action == "roll_up":
        raise ValidationFailed([FieldError("action", "unknown_action", "该操作由系统执行")])
    spec = FLOW.get(action)
    comment = (comment or "").strip()
    if action in FLOW.transitions and "comment" in spec.required and not comment:
        raise ValidationFailed([FieldError("comment", "required", "请填写退回理由")])
    if len(comment) > 2000:
        raise ValidationFailed([FieldError("comment", "too_long", "说明不能超过2000个字符")])
    with transaction.atomic():
        if actor is not None and not in_scope(task, actor):
            raise Http404  # before anything about the task is told
        if task.subtasks.exists():
            raise Conflict("has_subtasks", "该任务已分解到各责任单位，由各单位在子任务上办理，状态自动汇总")
        if task.campaign.status == CampaignStatus.CLOSED:
            raise Conflict("campaign_closed", "该专项整治已结束，不能再办理任务")
        changes, target = _changes(task, action, today, now)
        fresh, _ = FLOW.apply(
            task, action, actor=actor, changes=changes, comment=comment, data=data, now=now, target=target
        )
        if fresh.parent_id:
            roll_up(fresh.parent, now=now)
    return fresh


def overdue_candidates(today: dt.date) -> QuerySet[Task]:
    """Tasks past their deadline, not reported done, and without sub-tasks (lines roll up)."""
    return Task.objects.filter(
        status__in=(S.ASSIGNED, S.IN_PROGRESS), deadline__lt=today, subtasks__isnull=True
    ).exclude(campaign__status=CampaignStatus.CLOSED)


def mark_overdue(now: dt.datetime | None = None) -> list[int]:
    """The daily sweep: mark every task past its deadline overdue (system events and audit entries), then roll
    up the lines of those marked. Returns the ids marked."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    marked: list[int] = []
    ids = list(overdue_candidates(today).values_list("pk", flat=True))
    for start in range(0, len(ids), 500):
        batch = list(
            Task.objects.select_related("campaign", "parent").filter(pk__in=ids[start : start + 500])
        )
        changed = FLOW.apply_many(batch, "mark_overdue", changes={"status_changed_at": now}, now=now)
        marked += [t.pk for t in changed]
        with transaction.atomic():
            for line_id in sorted({t.parent_id for t in changed if t.parent_id}):
                roll_up(Task.objects.get(pk=line_id), now=now)
    return marked


# ---- campaigns ------------------------------------------------------------------------------------


def _campaign_office(user: Any, campaign: Campaign) -> bool:
    return is_campaign_office(user, campaign)


C = CampaignStatus
CAMPAIGN_FLOW: Workflow[Campaign] = Workflow(
    model=Campaign,
    event_model=CampaignEvent,
    event_parent="campaign",
    status_labels=dict(CampaignStatus.choices),
    field_labels={"comment": "说明"},
    stale_message="该专项整治已被他人处理，请刷新后重试",
    transitions={
        "activate": Transition(
            "启动", (C.DRAFT,), C.ACTIVE, _campaign_office, "只有本级安委办可以启动", fields=("comment",)
        ),
        "close": Transition(
            "结束", (C.ACTIVE,), C.CLOSED, _campaign_office, "只有本级安委办可以结束", fields=("comment",)
        ),
    },
)


def campaign_transition(campaign: Campaign, action: str, *, actor: Any, comment: str = "") -> Campaign:
    fresh, _ = CAMPAIGN_FLOW.apply(campaign, action, actor=actor, comment=(comment or "").strip()[:2000])
    return fresh
