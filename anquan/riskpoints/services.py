"""Risk points (风险点): creating them, assessing them (LEC / LS history), their control measures, and
an enterprise's risk level. Who may write is decided in `can_write`, used by the API and the pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from anquan.accidents.choices import Edition
from anquan.accidents.models import AccidentCategory
from anquan.accounts.models import User
from anquan.core import audit
from anquan.core.contract import plausible_date
from anquan.core.errors import FieldError, NotPermitted, ValidationFailed
from anquan.core.models import AuditAction
from anquan.core.scope import CHANGE, in_scope, role_may
from anquan.core.uploads import store_upload
from anquan.enterprises.models import Enterprise
from anquan.standards import assessment, services

from . import levels
from .choices import ControlTier, FactorKind, MeasureKind, PointKind

# the rule lives in levels.py; re-exported as the app's risk level service
from .levels import RULE_TEXT as RULE_TEXT
from .levels import enterprise_risk_level as enterprise_risk_level
from .models import ControlMeasure, RiskAssessment, RiskPoint, RiskPointPhoto


def can_write(user: User, enterprise: Enterprise) -> bool:
    """The enterprise's own managers, and authorities (offices, department supervisors, inspectors)
    whose scope holds the enterprise, may record its risk points, assessments, measures and installations:
    the roles of `RiskPoint.scope.change` (models.RISK_WRITERS), within their scope."""
    return in_scope(enterprise, user) and role_may(user, RiskPoint, CHANGE)


def _require_writer(user: User, enterprise: Enterprise) -> None:
    if not can_write(user, enterprise):
        raise NotPermitted("您无权为该企业登记风险信息")


def resolve_enterprise(uscc: str | None, actor: User, errors: list[FieldError]) -> Enterprise | None:
    """Enterprise by USCC (default: the actor's own), or a field error if unknown or out of scope."""
    uscc = (uscc or "").strip().upper()
    if not uscc:
        if actor.enterprise_id:
            return actor.enterprise
        errors.append(FieldError("enterprise", "required", "请填写企业统一社会信用代码"))
        return None
    enterprise = Enterprise.objects.filter(uscc=uscc).first()
    if enterprise is None or not in_scope(enterprise, actor):
        errors.append(
            FieldError(
                "enterprise",
                "unknown_enterprise",
                f"统一社会信用代码为{uscc}的企业不存在或不在您的管辖范围内",
            )
        )
        return None
    return enterprise


def _text(
    raw: Mapping[str, Any],
    field: str,
    label: str,
    errors: list[FieldError],
    max_length: int,
    required: bool = False,
) -> str:
    value = str(raw.get(field) or "").strip()
    if required and not value:
        errors.append(FieldError(field, "required", f"请填写{label}"))
    elif len(value) > max_length:
        errors.append(FieldError(field, "too_long", f"{label}不能超过{max_length}个字"))
    return value


@transaction.atomic
def create_point(raw: Mapping[str, Any], *, actor: User) -> RiskPoint:
    """raw: enterprise (USCC), name, kind, location, factor_kinds [..], accident_categories [WSA codes],
    responsible_person."""
    errors: list[FieldError] = []
    enterprise = resolve_enterprise(raw.get("enterprise"), actor, errors)
    name = _text(raw, "name", "风险点名称", errors, 200, required=True)
    kind = str(raw.get("kind") or "")
    if kind not in PointKind.values:
        errors.append(
            FieldError(
                "kind",
                "invalid_choice",
                "风险点类型须为场所（place）、设备设施（installation）或作业活动（activity）",
            )
        )
    location = _text(raw, "location", "位置", errors, 300)
    responsible = _text(raw, "responsible_person", "责任人", errors, 100)
    factor_kinds = list(dict.fromkeys(raw.get("factor_kinds") or []))
    bad = [k for k in factor_kinds if k not in FactorKind.values]
    if bad:
        errors.append(
            FieldError(
                "factor_kinds",
                "invalid_choice",
                f"危险有害因素类别「{'、'.join(map(str, bad))}」无效，可选：human、object、environment、management（GB/T 13861）",
            )
        )
    codes = list(dict.fromkeys(str(c).strip().upper() for c in raw.get("accident_categories") or []))
    categories = list(AccidentCategory.objects.filter(edition=Edition.GB6441_2025, code__in=codes))
    unknown = sorted(set(codes) - {c.code for c in categories})
    if unknown:
        errors.append(
            FieldError(
                "accident_categories",
                "unknown_category",
                f"事故类别代码「{'、'.join(unknown)}」不是 GB 6441-2025 的编码",
            )
        )
    if errors:
        raise ValidationFailed(errors)
    assert enterprise is not None  # resolve_enterprise added an error otherwise
    _require_writer(actor, enterprise)
    point = RiskPoint.objects.create(
        enterprise=enterprise,
        region_code=enterprise.region_code,
        supervising_department_id=enterprise.supervising_department_id,
        name=name,
        kind=kind,
        location=location,
        factor_kinds=[k for k in FactorKind.values if k in factor_kinds],
        responsible_person=responsible,
        created_by=actor,
    )
    point.accident_categories.set(categories)
    after = audit.snapshot(point)
    after["accident_categories"] = sorted(c.code for c in categories)
    audit.record(AuditAction.CREATE, point, actor=actor, after=after)
    return point


def _factor(raw: Mapping[str, Any], field: str, errors: list[FieldError]) -> Decimal | None:
    value = raw.get(field)
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        errors.append(FieldError(field, "invalid", f"{field.upper()} 应为数字"))
        return None


def _date(raw: Mapping[str, Any], field: str, label: str, errors: list[FieldError]) -> dt.date | None:
    value = raw.get(field)
    if value in (None, ""):
        return None
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            errors.append(FieldError(field, "invalid", f"{label}格式应为“年-月-日”，如 2026-01-31"))
            return None
    try:
        return plausible_date(value, field)  # at most 10 years ahead
    except ValidationFailed as exc:
        errors.extend(exc.errors)
        return None


def _given(value: Decimal | None) -> Decimal:
    """A factor assessment.assess accepted (it refuses a missing one)."""
    assert value is not None
    return value


@transaction.atomic
def assess(
    point: RiskPoint, raw: Mapping[str, Any], *, actor: User, now: dt.datetime | None = None
) -> RiskAssessment:
    """Score the point by LEC (l, e, c) or LS (l, s) with the active band table of the enterprise's
    province (services.active_table); the new assessment becomes the point's current level."""
    now = now or timezone.now()
    errors: list[FieldError] = []
    method = str(raw.get("method") or "").strip().upper()
    if method not in assessment.METHODS:
        raise ValidationFailed([FieldError("method", "invalid_choice", "评价方法须为 LEC 或 LS")])
    values = {f: _factor(raw, f, errors) for f in ("l", "e", "c", "s")}
    used = {f.lower() for f in assessment.FACTORS[method]}
    for field in sorted(set(values) - used):
        if values[field] is not None:
            errors.append(FieldError(field, "not_applicable", f"{method} 法没有因子 {field.upper()}"))
    next_due = _date(raw, "next_due", "下次评价日期", errors)
    if next_due is not None and next_due < timezone.localdate(now):
        errors.append(FieldError("next_due", "in_past", "下次评价日期不能早于今天"))
    residual = raw.get("residual") in (True, "true", "on", "1", 1)
    if errors:
        raise ValidationFailed(errors)
    _require_writer(actor, point.enterprise)
    table = services.active_table(method, point.region_code)
    result = assessment.assess(method, {f: values[f] for f in used}, services.to_band_table(table))
    row = RiskAssessment.objects.create(
        point=point,
        method=method,
        factors={f: assessment.fmt(_given(values[f])) for f in sorted(used)},
        score=result.score,
        level=result.level,
        band_label=result.band.label,
        band_table=table,
        residual=residual,
        assessor=actor,
        assessor_label=actor.get_full_name() or actor.username,
        assessed_at=now,
        next_due=next_due,
    )
    audit.record(
        AuditAction.CREATE,
        row,
        actor=actor,
        after=audit.snapshot(row),
        comment=f"风险点#{point.pk}",
        region_code=point.region_code,
    )
    before = audit.snapshot(point)
    latest = point.assessments.order_by("-assessed_at", "-id").first()
    assert latest is not None  # at least the one just created
    point.current_level = latest.level
    point.next_assessment_due = latest.next_due
    point.save(update_fields=["current_level", "next_assessment_due"])
    audit.record_update(point, before, actor=actor, comment="最新评价")
    levels.refresh(point.enterprise_id)
    return row


def add_photo(point: RiskPoint, upload: UploadedFile, *, actor: User) -> RiskPointPhoto:
    """A photo of the point, by whoever may write to its enterprise; images only, checked by content."""
    _require_writer(actor, point.enterprise)
    photo = RiskPointPhoto(point=point)
    store_upload(  # checks, keeps and saves `photo` in place
        photo,
        upload,
        actor=actor,
        comment=f"风险点#{point.pk}照片",
        images_only="风险点只能上传照片（JPG、PNG、WebP、HEIC）",
    )
    return photo


def without_measures(qs: QuerySet[RiskPoint]) -> QuerySet[RiskPoint]:
    """Points with no control measure recorded: not 管控到位 (seeds: 重大风险点…全部管控到位)."""
    return qs.filter(measures__isnull=True)


def latest_level(point: RiskPoint) -> str:
    latest = point.assessments.order_by("-assessed_at", "-id").first()
    return latest.level if latest else ""


@transaction.atomic
def add_measure(point: RiskPoint, raw: Mapping[str, Any], *, actor: User) -> ControlMeasure:
    errors: list[FieldError] = []
    kind = str(raw.get("kind") or "")
    if kind not in MeasureKind.values:
        errors.append(
            FieldError("kind", "invalid_choice", "措施类别须为工程技术、管理、培训教育、个体防护或应急处置")
        )
    tier = str(raw.get("tier") or "")
    if tier not in ControlTier.values:
        errors.append(FieldError("tier", "invalid_choice", "管控层级须为公司、车间、班组或岗位"))
    description = _text(raw, "description", "措施内容", errors, 2000, required=True)
    responsible = _text(raw, "responsible_person", "责任人", errors, 100)
    if errors:
        raise ValidationFailed(errors)
    _require_writer(actor, point.enterprise)
    measure = ControlMeasure.objects.create(
        point=point, kind=kind, tier=tier, description=description, responsible_person=responsible
    )
    audit.record(
        AuditAction.CREATE,
        measure,
        actor=actor,
        after=audit.snapshot(measure),
        comment=f"风险点#{point.pk}",
        region_code=point.region_code,
    )
    return measure


# --- the enterprise's risk level -----------------------------------------------------------------
