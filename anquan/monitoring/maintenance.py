"""Maintenance windows (维护申请, issue #16 item 4): the enterprise asks that a point raise no alarm for a while
(calibration, repair: at most 7 days, not in the past); its supervising department or the county office approves
or rejects; the requester may cancel. Each step is a declared transition of the workflow engine, audited.

requested ──approve──▶ approved ──cancel──▶ cancelled
    │ └──reject──▶ rejected
    └──cancel──▶ cancelled

While an approved window runs its point's `state` is `maintenance`; `apply_windows(now)` (the periodic tick, and
each step here at once) puts points in and out of it, as declared transitions of the point's state
(workflow.POINT_STATE)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from anquan.core import audit
from anquan.core.errors import FieldError, NotPermitted, ValidationFailed
from anquan.core.models import AuditAction
from anquan.core.permissions import Perm, Role, has_perm
from anquan.core.scope import CHANGE, in_scope, restrict, role_may
from anquan.core.workflow import Transition, Workflow

from .choices import MaintenanceStatus, PointState
from .evaluation import state_of
from .models import Alarm, MaintenanceWindow, MonitoringPoint
from .raising import LIVE_KINDS
from .workflow import END_TO, OPEN, POINT_STATE

MAX_LENGTH = dt.timedelta(days=7)
GRACE = dt.timedelta(minutes=5)  # a start typed "now" on a slow form is not in the past
APPROVER_ROLES = frozenset({Role.COUNTY_OFFICE, Role.DEPARTMENT_SUPERVISOR})
APPROVERS_ONLY = "只有企业的行业监管部门或县级安委办可以审批维护申请，且不能审批本人的申请"


def may_approve(user: Any, window: MaintenanceWindow) -> bool:
    """The county office or a supervisor of the point's department (the scope narrows a supervisor to it), never
    the one who asked."""
    return getattr(user, "role", None) in APPROVER_ROLES and user.pk != window.requested_by_id


def may_cancel(user: Any, window: MaintenanceWindow) -> bool:
    return getattr(user, "pk", None) is not None and user.pk == window.requested_by_id


FLOW = Workflow(
    model=MaintenanceWindow,
    event_model=None,  # the audit log keeps each step (who, when, before and after, the note)
    event_parent="window",
    status_labels=dict(MaintenanceStatus.choices),
    field_labels={"decision_note": "审批意见"},
    stale_message="该维护申请已被他人处理，请刷新后重试",
    transitions={
        "approve": Transition(
            "批准",
            (MaintenanceStatus.REQUESTED,),
            MaintenanceStatus.APPROVED,
            may_approve,
            APPROVERS_ONLY,
            fields=("decision_note",),
        ),
        "reject": Transition(
            "驳回",
            (MaintenanceStatus.REQUESTED,),
            MaintenanceStatus.REJECTED,
            may_approve,
            APPROVERS_ONLY,
            fields=("decision_note",),
            required=("decision_note",),
        ),
        "cancel": Transition(
            "撤销",
            (MaintenanceStatus.REQUESTED, MaintenanceStatus.APPROVED),
            MaintenanceStatus.CANCELLED,
            may_cancel,
            "只有申请人可以撤销维护申请",
            fields=("decision_note",),
        ),
    },
)


def windows(user: Any) -> QuerySet[MaintenanceWindow]:
    if not has_perm(user, Perm.MONITORING_VIEW):
        return MaintenanceWindow.objects.none()
    return restrict(MaintenanceWindow, user).select_related("point", "point__enterprise", "requested_by")


def with_actions(rows: Any, user: Any) -> list[tuple[MaintenanceWindow, list[tuple[str, str]]]]:
    """Each window with the (action, label) steps this user may take on it now (the buttons)."""
    return [(w, [(a, str(FLOW.transitions[a].label)) for a in FLOW.available(w, user)]) for w in rows]


def _moment(value: Any, field: str, label: str, errors: list[FieldError]) -> dt.datetime | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        errors.append(FieldError(field, "required", f"请填写{label}"))
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            errors.append(FieldError(field, "invalid", f"{label}格式不正确（如2026-12-01T08:30）"))
            return None
    if not isinstance(value, dt.datetime) or not 2000 <= value.year <= 2100:
        errors.append(FieldError(field, "invalid", f"{label}格式不正确（如2026-12-01T08:30）"))
        return None
    return timezone.make_aware(value) if timezone.is_naive(value) else value


@transaction.atomic
def request(
    point: MonitoringPoint, raw: Mapping[str, Any], *, actor: Any, now: dt.datetime | None = None
) -> MaintenanceWindow:
    """raw: starts_at, ends_at (ISO 8601, local time if naive), reason."""
    now = now or timezone.now()
    if not (in_scope(point, actor) and role_may(actor, MaintenanceWindow, CHANGE)):
        raise NotPermitted("您无权为该监测点申请维护")
    errors: list[FieldError] = []
    starts = _moment(raw.get("starts_at"), "starts_at", "开始时间", errors)
    ends = _moment(raw.get("ends_at"), "ends_at", "结束时间", errors)
    reason = str(raw.get("reason") or "").strip()
    if not reason:
        errors.append(FieldError("reason", "required", "请填写维护原因"))
    elif len(reason) > 300:
        errors.append(FieldError("reason", "too_long", "维护原因不能超过300个字符"))
    if starts is not None and starts < now - GRACE:
        errors.append(FieldError("starts_at", "in_past", "开始时间不能早于现在"))
    if starts is not None and ends is not None:
        if ends <= starts:
            errors.append(FieldError("ends_at", "order", "结束时间应晚于开始时间"))
        elif ends - starts > MAX_LENGTH:
            errors.append(FieldError("ends_at", "too_long", "一次维护最长7天"))
    if point.retired_at is not None:
        errors.append(FieldError("point", "retired", "该监测点已停用"))
    if errors:
        raise ValidationFailed(errors)
    assert starts is not None and ends is not None  # an error was added otherwise
    window = MaintenanceWindow.objects.create(
        point=point, starts_at=starts, ends_at=ends, reason=reason, requested_by=actor
    )
    audit.record(AuditAction.CREATE, window, actor=actor, after=audit.snapshot(window), comment="申请维护")
    return window


def step(
    window: MaintenanceWindow, action: str, *, actor: Any, note: str = "", now: dt.datetime | None = None
) -> MaintenanceWindow:
    """approve · reject (note required) · cancel; the point's state follows at once."""
    now = now or timezone.now()
    note = (note or "").strip()
    if len(note) > 300:
        raise ValidationFailed([FieldError("decision_note", "too_long", "审批意见不能超过300个字符")])
    FLOW.accept_fields(action, {"decision_note": note} if note else {})
    changes: dict[str, Any] = {"decision_note": note} if note or action != "cancel" else {}
    if action in ("approve", "reject"):
        changes |= {"decided_by": actor, "decided_at": now}
    with transaction.atomic():
        fresh, _ = FLOW.apply(window, action, actor=actor, changes=changes, comment=note, now=now)
        apply_windows(now, point_ids=[fresh.point_id])
    return fresh


def apply_windows(now: dt.datetime | None = None, point_ids: list[int] | None = None) -> tuple[int, int]:
    """Points in an approved window running at `now` go to maintenance; points in maintenance without one go back
    to the state their open alarms say: offline when an offline alarm is open, alarm when another alarm evaluation
    watches is, else normal (alarm evaluation and the offline check take them on from there). Every change is a
    declared step of POINT_STATE. The periodic tick (ticks.py) and each step of a window call this. Returns
    (started, ended)."""
    now = now or timezone.now()
    running = MaintenanceWindow.objects.filter(
        status=MaintenanceStatus.APPROVED, starts_at__lte=now, ends_at__gt=now
    ).values("point_id")
    points = MonitoringPoint.objects.filter(retired_at__isnull=True)
    if point_ids is not None:
        points = points.filter(pk__in=point_ids)
    with transaction.atomic():
        to_start = points.filter(pk__in=running).exclude(state=PointState.MAINTENANCE)
        to_end = list(points.filter(state=PointState.MAINTENANCE).exclude(pk__in=running))
        started = POINT_STATE.apply_many(list(to_start), "maintenance_start", now=now)
        kinds: dict[int, set[str]] = {}
        for pid, kind in Alarm.objects.filter(
            point__in=to_end, status__in=OPEN, kind__in=LIVE_KINDS
        ).values_list("point_id", "kind"):
            kinds.setdefault(pid, set()).add(kind)
        by_state: dict[str, list[MonitoringPoint]] = {}
        for point in to_end:
            by_state.setdefault(state_of(kinds.get(point.pk, set())), []).append(point)
        ended = 0
        for state, group in by_state.items():
            ended += len(POINT_STATE.apply_many(group, END_TO[state], now=now))
    return len(started), ended


def pending_for(user: Any) -> Q:
    """The condition of the requests waiting for this user's decision (the to-do and the list's filter)."""
    if getattr(user, "role", None) not in APPROVER_ROLES:
        return Q(pk__in=[])
    return Q(status=MaintenanceStatus.REQUESTED) & ~Q(requested_by=user)
