"""A person's steps on an alarm (workflow.py declares them): pages and the API call `transition`, which parses the
step's fields (422, field-level), and takes it through the engine (scope 404, state 409, role 403, compare-and-set,
event, audit). Besides the steps: a photo of the disposal, and a hazard opened from the alarm (source 监测报警)
through the hazard ledger's own service."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from anquan.core import audit, inputs
from anquan.core.errors import Conflict, FieldError, NotPermitted, ValidationFailed
from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import in_scope
from anquan.core.uploads import store_upload
from anquan.hazards import services as hazards
from anquan.hazards.choices import Source

from .choices import TAMPER_SIGNS, AlarmAction, AlarmStatus
from .models import Alarm, AlarmPhoto
from .workflow import FLOW

MAX_DISPOSAL = 2000
MAX_COMMENT = 500
PERSON_STEPS = (AlarmAction.ACKNOWLEDGE, AlarmAction.DISPOSE, AlarmAction.CLOSE)
TAMPER_NEEDS_DISPOSAL = "离线、停滞、缺数报警是传感器可能被包裹、断开或篡改的迹象（刑法第一百三十四条之一），须填写处置情况后才能关闭"


def transition(alarm: Alarm, action: str, *, actor: Any, **fields: Any) -> Alarm:
    """Take `action` (acknowledge, dispose, close) on `alarm` as `actor` with the step's fields."""
    if action not in PERSON_STEPS:
        FLOW.get(action)  # an unknown action: 422 with the choices
        raise NotPermitted("该步骤由系统自动执行")
    given = {k: v for k, v in fields.items() if v not in (None, "")}
    FLOW.accept_fields(action, given)
    FLOW.check(alarm, action, actor)  # 404 / 409 / 403 before the fields are read
    errors: list[FieldError] = []
    comment = inputs.text(given.get("comment"), "comment", "说明", errors, max_length=MAX_COMMENT)
    disposal = inputs.text(given.get("disposal"), "disposal", "处置情况", errors, max_length=MAX_DISPOSAL)
    if action == AlarmAction.CLOSE and alarm.kind in TAMPER_SIGNS and not (disposal or alarm.disposal):
        errors.append(FieldError("disposal", "required", TAMPER_NEEDS_DISPOSAL))
    if errors:
        raise ValidationFailed(errors)
    now = timezone.now()
    changes: dict[str, Any] = {}
    if disposal:
        changes["disposal"] = disposal
    if action == AlarmAction.ACKNOWLEDGE:
        changes["acknowledged_at"] = now
    elif action == AlarmAction.CLOSE:
        changes["closed_at"] = now
    with transaction.atomic():
        fresh, _ = FLOW.apply(
            alarm,
            action,
            actor=actor,
            changes=changes,
            comment=comment,
            data={"disposal": disposal} if disposal else None,
            now=now,
        )
    return fresh


def can_add_photo(alarm: Alarm, user: Any) -> bool:
    return alarm.status in (AlarmStatus.ACKNOWLEDGED, AlarmStatus.DISPOSING, AlarmStatus.RECOVERED) and (
        FLOW.can(alarm, AlarmAction.DISPOSE, user) or FLOW.can(alarm, AlarmAction.CLOSE, user)
    )


def add_photo(alarm: Alarm, upload: Any, *, actor: Any) -> AlarmPhoto:
    """A photo of the disposal (the enterprise's managers, while the alarm is being handled)."""
    if not in_scope(alarm, actor):
        from django.http import Http404

        raise Http404
    if not can_add_photo(alarm, actor):
        raise NotPermitted("只有处置报警的人员可以在处置期间上传照片")
    with transaction.atomic():
        photo: AlarmPhoto = store_upload(
            AlarmPhoto(alarm=alarm), upload, actor=actor, comment="上传报警处置照片", images_only="请上传照片"
        )
    return photo


def can_open_hazard(alarm: Alarm, user: Any) -> bool:
    return alarm.hazard_id is None and has_perm(user, Perm.HAZARD_RECORD_ALARM)


def open_hazard(alarm: Alarm, *, actor: Any, description: str = "") -> Any:
    """Record a hazard (source 监测报警) at the alarm's enterprise and link it to the alarm: the hazard then
    waits for acceptance in the ledger like any reported one."""
    if not in_scope(alarm, actor):
        from django.http import Http404

        raise Http404
    if not has_perm(actor, Perm.HAZARD_RECORD_ALARM):
        raise NotPermitted("您无权根据监测报警登记隐患")
    if alarm.hazard_id is not None:
        raise Conflict("already_linked", "该报警已登记隐患")
    text = (description or "").strip() or f"监测报警：{alarm.message}"
    with transaction.atomic():
        hazard = hazards.report_hazard(
            {
                "source": Source.ALARM,
                "description": f"{text}（报警编号 {alarm.pk}）"[:2000],
                "enterprise": alarm.enterprise.uscc,
                "region": alarm.enterprise.region.code,
                "found_at": alarm.started_at,
                "found_by_name": "在线监测",
            },
            actor=actor,
        )
        before = audit.snapshot(alarm)
        if Alarm.objects.filter(pk=alarm.pk, hazard__isnull=True).update(hazard=hazard) != 1:
            raise Conflict("already_linked", "该报警已登记隐患")
        alarm.hazard = hazard
        audit.record_update(alarm, before, actor=actor, comment="根据监测报警登记隐患")
    return hazard
