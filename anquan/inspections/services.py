"""Inspections: planning one (`create`), its steps (`transition`: start, complete, cancel), recording an
item's result (`record_result`, a non-compliant item reported as a hazard once), photos and the
signatory's signature. Pages and the API call these; every write is audited and every status change is a
declared transition (workflow.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from anquan.accounts.models import User
from anquan.core import audit, inputs
from anquan.core.errors import Conflict, FieldError, NotPermitted, ValidationFailed
from anquan.core.models import AuditAction
from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import in_scope
from anquan.core.uploads import store_upload
from anquan.enterprises.models import Enterprise
from anquan.hazards.choices import AttachmentStage, Level, Source
from anquan.hazards.services import add_attachment, report_hazard

from . import issuing, templates
from .choices import Kind, Result, Status
from .models import Inspection, InspectionItem, InspectionPhoto, InspectionSignature
from .workflow import INSPECTIONS, is_inspector_of

MIN_INSPECTORS = 2  # 行政执法人员不得少于两人（《行政处罚法》第四十二条）
MAX_INSPECTORS = 10
TEXT_MAX = 2000
NOTE_MAX = 2000
BASIS_MAX = InspectionItem._meta.get_field("basis").max_length or 300
REASON_MAX = 500
SIGNATORY_MAX = 50
SIGNATURE_REQUIRED = "请企业签字人在手机上签名"
ISSUING_STEPS = ("take_measures", "order_rectification")


# --- planning ----------------------------------------------------------------------------------------


def _enterprise(raw: dict[str, Any], actor: Any, errors: list[FieldError]) -> Enterprise | None:
    value = raw.get("enterprise")
    if value in (None, ""):
        errors.append(FieldError("enterprise", "required", "请选择被检查企业"))
        return None
    text = str(value).strip().upper()
    qs = Enterprise.objects.select_related("region", "industry", "supervising_department")
    found = (
        qs.filter(pk=int(text)).first() if text.isdigit() and len(text) < 10 else qs.filter(uscc=text).first()
    )
    if found is None or not in_scope(found, actor):
        errors.append(FieldError("enterprise", "unknown_enterprise", "该企业不存在或不在您的管辖范围内"))
        return None
    return found


def _inspectors(raw: Any, enterprise: Enterprise | None, errors: list[FieldError]) -> list[User]:
    """Users by username or id: active, allowed to inspect, and with the enterprise in their scope."""
    values = raw if isinstance(raw, list | tuple) else ([] if raw in (None, "") else [raw])
    if len(values) > MAX_INSPECTORS:
        errors.append(FieldError("inspectors", "too_many", f"执法人员最多{MAX_INSPECTORS}名"))
        return []
    found: list[User] = []
    for value in values:
        key = str(value).strip()
        user = (
            User.objects.filter(pk=int(key)).first()
            if key.isdigit() and len(key) < 10
            else User.objects.filter(username=key).first()
        )
        if (
            user is None
            or not user.is_active
            or not has_perm(user, Perm.INSPECTION_CONDUCT)
            or (enterprise is not None and not in_scope(enterprise, user))
        ):
            errors.append(FieldError("inspectors", "unknown_inspector", f"“{key}”不是可检查该企业的执法人员"))
        elif user not in found:
            found.append(user)
    return found


@transaction.atomic
def create(raw: dict[str, Any], *, actor: Any, now: dt.datetime | None = None) -> Inspection:
    """raw: enterprise (USCC or id), kind, planned_on, inspectors (usernames or ids; the actor when left
    out and they may inspect), template (id; default: the active template of the enterprise's industry),
    note. The issuing unit is the actor's department in the actor's region."""
    now = now or timezone.now()
    if not has_perm(actor, Perm.INSPECTION_PLAN):
        raise NotPermitted("您无权安排执法检查")
    errors: list[FieldError] = []
    enterprise = _enterprise(raw, actor, errors)
    kind = str(raw.get("kind") or Kind.PLAN)
    if kind not in Kind.values:
        errors.append(
            FieldError("kind", "invalid_choice", "检查类别须为计划检查、双随机抽查、举报核查、专项检查或复查")
        )
    planned_on = inputs.day(raw.get("planned_on"), "planned_on", "计划日期", errors)
    if planned_on is None and not any(e.field == "planned_on" for e in errors):
        errors.append(FieldError("planned_on", "required", "请填写计划检查日期"))
    given = raw.get("inspectors")
    if given in (None, "", []) and has_perm(actor, Perm.INSPECTION_CONDUCT):
        given = [actor.pk]
    inspectors = _inspectors(given, enterprise, errors)
    template = templates.pick(raw.get("template"), enterprise, errors)
    note = inputs.text(raw.get("note"), "note", "备注", errors, max_length=NOTE_MAX)
    if actor.department_id is None:
        errors.append(FieldError("department", "no_unit", "您的账号没有所属部门，不能作为执法主体安排检查"))
    if errors:
        raise ValidationFailed(errors)
    assert enterprise is not None and planned_on is not None
    inspection = Inspection.objects.create(
        enterprise=enterprise,
        department_id=actor.department_id,
        region_id=actor.region_id,
        kind=kind,
        planned_on=planned_on,
        template=template,
        note=note,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    inspection.inspectors.set(inspectors)
    if template is not None:
        InspectionItem.objects.bulk_create(
            InspectionItem(
                inspection=inspection,
                order=item.order,
                text=item.text,
                basis=item.basis,
                judgement_item_id=item.judgement_item_id,
            )
            for item in template.items.all()
        )
    after = audit.snapshot(inspection) | {"inspectors": [u.username for u in inspectors]}
    audit.record(AuditAction.CREATE, inspection, actor=actor, after=after, comment="安排执法检查")
    return inspection


# --- steps ---------------------------------------------------------------------------------------


def _locked(inspection: Inspection) -> Inspection:
    return Inspection.objects.select_for_update().select_related("enterprise").get(pk=inspection.pk)


@transaction.atomic
def transition(inspection: Inspection, action: str, *, actor: Any, **fields: Any) -> Inspection:
    """start | complete (signatory_name; needs ≥ 2 inspectors, every item checked, a signature; issues the
    现场检查记录) | cancel (reason). take_measures and order_rectification are issuing.py's."""
    now = timezone.now()
    if action in ISSUING_STEPS:  # they issue a document: issuing.take_measures / order_rectification
        raise ValidationFailed(
            [FieldError("action", "unknown_action", "该操作须填写文书内容，请使用相应的表单")]
        )
    INSPECTIONS.accept_fields(action, fields)
    inspection = _locked(inspection)
    INSPECTIONS.check(inspection, action, actor)
    changes: dict[str, Any] = {}
    comment = ""
    if action == "start":
        changes["started_at"] = now
    elif action == "complete":
        changes = _completion(inspection, fields) | {"done_at": now}
    elif action == "cancel":
        errors: list[FieldError] = []
        comment = inputs.text(fields.get("reason"), "reason", "取消原因", errors, max_length=REASON_MAX)
        if errors:
            raise ValidationFailed(errors)
        changes["cancel_reason"] = comment
    done, _event = INSPECTIONS.apply(
        inspection, action, actor=actor, changes=changes, comment=comment, now=now
    )
    if action == "complete":  # the 现场检查记录, in this transaction: refused, nothing is completed
        issuing.issue_record(done, actor=actor, now=now)
    return done


def _completion(inspection: Inspection, fields: dict[str, Any]) -> dict[str, Any]:
    errors: list[FieldError] = []
    count = inspection.inspectors.count()
    if count < MIN_INSPECTORS:
        errors.append(
            FieldError(
                "inspectors",
                "too_few",
                f"现场检查须有不少于{MIN_INSPECTORS}名执法人员，本次检查只有{count}名，请先添加执法人员",
            )
        )
    signatory = inputs.text(
        fields.get("signatory_name"), "signatory_name", "企业签字人", errors, max_length=SIGNATORY_MAX
    )
    if not signatory and not any(e.field == "signatory_name" for e in errors):
        errors.append(FieldError("signatory_name", "required", "请填写企业签字人姓名"))
    if not InspectionSignature.objects.filter(inspection=inspection).exists():
        errors.append(FieldError("signature", "required", SIGNATURE_REQUIRED))
    unchecked = inspection.items.filter(result="").count()
    if unchecked:
        errors.append(FieldError("items", "unchecked", f"还有{unchecked}项未检查，请逐项填写检查结果"))
    if errors:
        raise ValidationFailed(errors)
    return {"signatory_name": signatory}


# --- items ---------------------------------------------------------------------------------------


def _require_walking(inspection: Inspection, actor: Any) -> None:
    if not in_scope(inspection, actor):
        from django.http import Http404

        raise Http404
    if not is_inspector_of(actor, inspection):
        raise NotPermitted("只有本次检查的执法人员可以填写检查结果")
    if inspection.status != Status.IN_PROGRESS:
        label = Status(inspection.status).label
        raise Conflict("invalid_state", f"检查{label}，不能填写检查结果（须先开始检查）")


def _free_item(
    inspection: Inspection, raw: dict[str, Any], errors: list[FieldError]
) -> InspectionItem | None:
    text = inputs.text(raw.get("text"), "text", "检查内容", errors, max_length=TEXT_MAX, required=True)
    basis = inputs.text(raw.get("basis"), "basis", "检查依据", errors, max_length=BASIS_MAX)
    if errors:
        return None
    last = inspection.items.order_by("-order").values_list("order", flat=True).first()
    return InspectionItem(inspection=inspection, order=(last or 0) + 1, text=text, basis=basis, free=True)


@transaction.atomic
def record_result(
    inspection: Inspection,
    raw: dict[str, Any],
    *,
    actor: Any,
    photos: Sequence[Any] = (),
    now: dt.datetime | None = None,
) -> InspectionItem:
    """raw: item (id; none: a free item with `text` and optional `basis`), result (compliant | noncompliant |
    not_applicable), note. A non-compliant item is reported as a hazard (source inspection; major when the item
    is a judgement-standard item) with its photos, once: a resend, or the same result recorded again, adds the
    note and photos to what is there and never a second hazard. An item that made a hazard cannot be changed
    to another result (the hazard is handled in the ledger)."""
    now = now or timezone.now()
    inspection = _locked(inspection)
    _require_walking(inspection, actor)
    errors: list[FieldError] = []
    result = str(raw.get("result") or "")
    if result not in Result.values:
        errors.append(FieldError("result", "invalid_choice", "检查结果须为符合、不符合或不适用"))
    note = inputs.text(raw.get("note"), "note", "说明", errors, max_length=NOTE_MAX)
    item: InspectionItem | None
    if raw.get("item") in (None, ""):
        item = _free_item(inspection, raw, errors)
    else:
        item_id = inputs.integer(raw.get("item"), "item", "检查项", errors, low=1, high=2**31 - 1)
        item = (
            InspectionItem.objects.select_for_update().filter(inspection=inspection, pk=item_id).first()
            if item_id
            else None
        )
        if item is None and not any(e.field == "item" for e in errors):
            errors.append(FieldError("item", "unknown_item", "该检查项不属于本次检查"))
    if result == Result.NONCOMPLIANT and not note and item is not None and not item.note:
        errors.append(FieldError("note", "required", "不符合的检查项须写明发现的问题"))
    if errors:
        raise ValidationFailed(errors)
    assert item is not None
    if item.hazard_id and result != Result.NONCOMPLIANT:
        raise Conflict("has_hazard", "该检查项已作为隐患登记，不能改为其他结果；请在隐患台账中处理该隐患")
    before = audit.snapshot(item) if item.pk else None
    item.result = result
    item.note = note or item.note
    item.recorded_by = actor
    item.recorded_at = now
    item.save()
    audit.record(
        AuditAction.UPDATE if before else AuditAction.CREATE,
        item,
        actor=actor,
        before=before,
        after=audit.snapshot(item),
        comment=f"检查#{inspection.pk}：{Result(result).label}",
        region_code=inspection.enterprise.region_code,
    )
    if result == Result.NONCOMPLIANT and not item.hazard_id:
        item.hazard = _report(inspection, item, actor=actor, now=now)
        item.save(update_fields=["hazard"])
    add_photos(item, photos, actor=actor)
    return item


def _report(inspection: Inspection, item: InspectionItem, *, actor: Any, now: dt.datetime) -> Any:
    description = f"执法检查发现：{item.text}" + (f"\n{item.note}" if item.note else "")
    raw: dict[str, Any] = {
        "enterprise": inspection.enterprise.uscc,
        "source": Source.INSPECTION,
        "description": description[: inputs.LONG_TEXT],
        "found_at": now,
    }
    if item.judgement_item_id:  # a judgement-standard item: a major hazard citing it
        raw["judgement_item"] = item.judgement_item_id
        raw["level"] = Level.MAJOR
    return report_hazard(raw, actor=actor, now=now)


def add_photos(item: InspectionItem, photos: Sequence[Any], *, actor: Any) -> list[InspectionPhoto]:
    """Photos of an item (checked uploads), also attached to the hazard it made."""
    stored = []
    for upload in photos:
        upload.seek(0)
        stored.append(
            store_upload(
                InspectionPhoto(item=item),
                upload,
                actor=actor,
                comment=f"检查项#{item.pk}照片",
                images_only="检查照片须为图片（JPG、PNG、WebP、HEIC）",
            )
        )
        if item.hazard is not None:
            upload.seek(0)
            add_attachment(item.hazard, upload, stage=AttachmentStage.REPORT, actor=actor)
    return stored


@transaction.atomic
def photo(item: InspectionItem, upload: Any, *, actor: Any) -> InspectionPhoto:
    """One more photo of a checked item (the API's photo upload); also attached to its hazard."""
    inspection = _locked(item.inspection)
    _require_walking(inspection, actor)
    item = InspectionItem.objects.get(pk=item.pk)
    if not item.result:
        raise Conflict("unchecked", "请先填写该项的检查结果，再上传照片")
    return add_photos(item, [upload], actor=actor)[0]


@transaction.atomic
def set_signature(inspection: Inspection, upload: Any, *, actor: Any) -> InspectionSignature:
    """The signatory's signature (a PNG drawn on the phone); a new one replaces the old."""
    inspection = _locked(inspection)
    _require_walking(inspection, actor)
    old = InspectionSignature.objects.filter(inspection=inspection).first()
    if old is not None:
        audit.record_delete(old, actor=actor, comment="重新签名")
        old.delete()
    stored: InspectionSignature = store_upload(
        InspectionSignature(inspection=inspection),
        upload,
        actor=actor,
        comment=f"检查#{inspection.pk}企业签字",
        images_only="签名须为图片",
    )
    return stored
