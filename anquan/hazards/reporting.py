"""Recording a hazard (the `report` step) and attaching photos and documents."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from anquan.accounts.scope import in_scope, region_in_scope
from anquan.core import audit
from anquan.core.uploads import check_upload
from anquan.enterprises.models import Enterprise
from anquan.orgs.models import Industry, department_for_industry
from anquan.regions.models import Region
from anquan.risk import levels as risk_levels

from . import rules
from .choices import NEEDS_ACCEPTANCE, Action, Level, Source, Status
from .errors import FieldError, RoleRefused, ValidationFailed
from .models import Attachment, Hazard, HazardEvent, JudgementItem


def _decimal(raw, name, label, errors, low, high):
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        errors.append(FieldError(name, "invalid", f"{label}应为数字"))
        return None
    if not low <= value <= high:
        errors.append(FieldError(name, "out_of_range", f"{label}应在{low}到{high}之间"))
        return None
    return value.quantize(Decimal("0.000001"))


@transaction.atomic
def report_hazard(raw: dict, *, actor, now: dt.datetime | None = None) -> Hazard:
    """Create a hazard. Reports from grid patrols, the public and alarms start as `reported` and wait
    for acceptance; self-checks and inspections start `confirmed`. An optional `risk_point` (id) links
    the hazard to a risk point of the same enterprise in the actor's scope."""
    now = now or timezone.now()
    errors: list[FieldError] = []
    enterprise = region = industry = None
    uscc = str(raw.get("enterprise") or "").strip().upper()
    if uscc:
        enterprise = Enterprise.objects.select_related("region", "industry").filter(uscc=uscc).first()
        if enterprise is None or not in_scope(enterprise, actor):
            errors.append(
                FieldError(
                    "enterprise",
                    "unknown_enterprise",
                    f"统一社会信用代码为{uscc}的企业不存在或不在您的管辖范围内",
                )
            )
        else:
            region, industry = enterprise.region, enterprise.industry
    elif actor.enterprise_id:
        enterprise = actor.enterprise
        region, industry = enterprise.region, enterprise.industry
    if enterprise is None and not uscc:
        code = str(raw.get("region") or "").strip()
        region = Region.objects.filter(code=code).first() if code else None
        if region is None:
            errors.append(FieldError("region", "required", "请选择企业，或填写隐患所在区域代码和地点"))
        elif not region_in_scope(actor, region.code):
            errors.append(FieldError("region", "out_of_scope", "该区域不在您的管辖范围内"))
        if not str(raw.get("address") or "").strip():
            errors.append(FieldError("address", "required", "不属于企业的隐患须填写具体地点"))
    if raw.get("industry"):
        industry = Industry.objects.filter(code=str(raw["industry"])).first()
        if industry is None:
            errors.append(
                FieldError("industry", "unknown_industry", f"行业类别代码“{raw['industry']}”不存在")
            )

    risk_point = None
    if raw.get("risk_point") not in (None, ""):
        from anquan.risk.models import RiskPoint

        try:
            risk_point = RiskPoint.objects.filter(pk=int(raw["risk_point"])).first()
        except (TypeError, ValueError):
            risk_point = None
        if (
            risk_point is None
            or enterprise is None
            or risk_point.enterprise_id != enterprise.pk
            or not in_scope(risk_point, actor)
        ):
            risk_point = None
            errors.append(
                FieldError(
                    "risk_point", "unknown_risk_point", "该风险点不存在、不属于该企业或不在您的管辖范围内"
                )
            )

    allowed = rules.allowed_sources(actor)
    source = str(raw.get("source") or allowed[0])
    if source not in Source.values:
        errors.append(FieldError("source", "invalid_choice", f"来源“{source}”无效"))
    elif source not in allowed:
        errors.append(
            FieldError("source", "not_permitted", f"您不能登记来源为“{Source(source).label}”的隐患")
        )

    description = str(raw.get("description") or "").strip()
    if not description:
        errors.append(FieldError("description", "required", "隐患描述不能为空"))
    level = str(raw.get("level") or Level.GENERAL)
    item = None
    if raw.get("judgement_item"):
        item = (
            JudgementItem.objects.select_related("standard")
            .filter(pk=raw["judgement_item"], standard__active=True)
            .first()
        )
        if item is None:
            errors.append(FieldError("judgement_item", "unknown_item", "判定标准条目不存在"))
        else:
            level = Level.MAJOR  # picking a judgement item makes the hazard major, citing the item
    note = str(raw.get("judgement_note") or "").strip()[:300]
    if level not in Level.values:
        errors.append(FieldError("level", "invalid_choice", f"等级“{level}”无效"))
    elif level == Level.MAJOR and item is None and not note:
        errors.append(
            FieldError(
                "judgement_item",
                "required",
                "重大事故隐患须选择判定标准条目，或写明判定依据（标准名称和条款）",
            )
        )
    latitude = _decimal(raw.get("latitude"), "latitude", "纬度", errors, 3, 54)
    longitude = _decimal(raw.get("longitude"), "longitude", "经度", errors, 73, 136)
    found_at = raw.get("found_at") or now
    if isinstance(found_at, str):
        try:
            found_at = dt.datetime.fromisoformat(found_at)
            if timezone.is_naive(found_at):
                found_at = timezone.make_aware(found_at)
        except ValueError:
            errors.append(FieldError("found_at", "invalid", "发现时间格式不正确"))
            found_at = now
    if isinstance(found_at, dt.datetime) and found_at > now + dt.timedelta(minutes=5):
        errors.append(FieldError("found_at", "in_future", "发现时间不能晚于现在"))
    if errors:
        raise ValidationFailed(errors)

    if enterprise is not None:
        department = enterprise.supervising_department
    else:
        department = department_for_industry(industry, region.code)
    hazard = Hazard(
        enterprise=enterprise,
        region=region,
        region_code=region.code,
        address=str(raw.get("address") or "").strip(),
        industry=industry,
        supervising_department=department,
        source=source,
        level=level,
        judgement_item=item,
        judgement_note=note,
        description=description,
        latitude=latitude,
        longitude=longitude,
        found_by=actor,
        found_by_name=str(raw.get("found_by_name") or actor.get_full_name() or actor.username)[:100],
        found_department=actor.department if source == Source.INSPECTION else None,
        found_at=found_at,
        risk_point=risk_point,
        status=Status.REPORTED if source in NEEDS_ACCEPTANCE else Status.CONFIRMED,
    )
    hazard.save()
    if not in_scope(hazard, actor):  # e.g. a department recording a hazard another department supervises
        raise ValidationFailed(
            [FieldError("enterprise", "out_of_scope", "该隐患的监管部门不是您的部门，请转交相关部门登记")]
        )
    HazardEvent.objects.create(
        hazard=hazard,
        action=Action.REPORT,
        from_status="",
        to_status=hazard.status,
        actor=actor,
        actor_label=actor.get_full_name() or str(actor),
        at=now,
        data={"source": source, "level": level, "judgement": item.citation if item else note},
    )
    audit.record_create(hazard, actor=actor)
    if hazard.enterprise_id:  # an open major hazard raises the enterprise's risk level (risk.levels)
        risk_levels.refresh(hazard.enterprise_id)
    return hazard


def add_attachment(hazard: Hazard, upload, *, stage: str, actor) -> Attachment:
    if not in_scope(hazard, actor):
        raise RoleRefused("该隐患不在您的管辖范围内")
    content_type = check_upload(upload)
    attachment = Attachment(
        hazard=hazard,
        stage=stage,
        name=upload.name[:200],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    audit.record_create(attachment, actor=actor, comment=f"隐患#{hazard.pk}附件")
    return attachment
