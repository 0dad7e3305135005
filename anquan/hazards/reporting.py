"""Recording a hazard (the `report` step) and attaching photos and documents."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from anquan.accounts.scope import in_scope, region_in_scope
from anquan.core import audit, inputs
from anquan.core.uploads import check_upload
from anquan.enterprises.models import Enterprise
from anquan.orgs.models import Industry, department_for_industry
from anquan.regions.models import Region
from anquan.riskpoints import levels as risk_levels

from . import rules
from .choices import NEEDS_ACCEPTANCE, Action, Level, Source, Status
from .errors import FieldError, RoleRefused, ValidationFailed
from .models import Attachment, Hazard, JudgementItem
from .workflow import HAZARD_FLOW

# the limits of a report's fields (the model's max_length; free text LONG_TEXT), for API, page and import
MAX_LENGTHS = {
    "address": Hazard._meta.get_field("address").max_length,
    "judgement_note": Hazard._meta.get_field("judgement_note").max_length,
    "found_by_name": Hazard._meta.get_field("found_by_name").max_length,
    "description": inputs.LONG_TEXT,
}
LATITUDE, LONGITUDE = (3, 54), (73, 136)  # China
MAX_ID = 2**31 - 1


def in_region(region: Region, code) -> bool:
    """True when no region `code` was given, or `region` lies in (or is) the region of that code."""
    if code in (None, ""):
        return True
    given = Region.objects.filter(code=str(code).strip()[:12]).first()
    return given is not None and region.code.startswith(given.prefix)


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
    if enterprise is not None and not in_region(enterprise.region, raw.get("region")):
        errors.append(  # a hazard of an enterprise lies where the enterprise is: never re-assigned silently
            FieldError(
                "region",
                "not_enterprise_region",
                f"所填区域不包含该企业所在区域（{enterprise.region.full_name}）",
            )
        )
    address = inputs.text(raw.get("address"), "address", "地点", errors, max_length=MAX_LENGTHS["address"])
    if enterprise is None and not uscc:
        code = str(raw.get("region") or "").strip()
        region = Region.objects.filter(code=code).first() if code else None
        if region is None:
            errors.append(FieldError("region", "required", "请选择企业，或填写隐患所在区域代码和地点"))
        elif not region_in_scope(actor, region.code):
            errors.append(FieldError("region", "out_of_scope", "该区域不在您的管辖范围内"))
        if not address and not any(e.field == "address" for e in errors):
            errors.append(FieldError("address", "required", "不属于企业的隐患须填写具体地点"))
    if raw.get("industry"):
        industry = Industry.objects.filter(code=str(raw["industry"])).first()
        if industry is None:
            errors.append(
                FieldError("industry", "unknown_industry", f"行业类别代码“{raw['industry']}”不存在")
            )

    risk_point = None
    if raw.get("risk_point") not in (None, ""):
        from anquan.riskpoints.models import RiskPoint

        point_id = inputs.integer(raw["risk_point"], "risk_point", "风险点", [], low=1, high=MAX_ID)
        risk_point = RiskPoint.objects.filter(pk=point_id).first() if point_id else None
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

    description = inputs.text(
        raw.get("description"), "description", "隐患描述", errors, max_length=MAX_LENGTHS["description"]
    )
    if not description and not any(e.field == "description" for e in errors):
        errors.append(FieldError("description", "required", "隐患描述不能为空"))
    level = str(raw.get("level") or Level.GENERAL)
    item = None
    if raw.get("judgement_item"):
        item_id = inputs.integer(
            raw["judgement_item"], "judgement_item", "判定标准条目", [], low=1, high=MAX_ID
        )
        item = (
            JudgementItem.objects.select_related("standard").filter(pk=item_id, standard__active=True).first()
            if item_id
            else None
        )
        if item is None:
            errors.append(FieldError("judgement_item", "unknown_item", "判定标准条目不存在"))
        else:
            level = Level.MAJOR  # picking a judgement item makes the hazard major, citing the item
    note = inputs.text(
        raw.get("judgement_note"),
        "judgement_note",
        "判定依据",
        errors,
        max_length=MAX_LENGTHS["judgement_note"],
    )
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
    latitude = inputs.coordinate(raw.get("latitude"), "latitude", "纬度", errors, *LATITUDE)
    longitude = inputs.coordinate(raw.get("longitude"), "longitude", "经度", errors, *LONGITUDE)
    found_at = inputs.moment(raw.get("found_at"), "found_at", "发现时间", errors, now=now) or now
    found_by_name = inputs.text(
        raw.get("found_by_name"), "found_by_name", "发现人", errors, max_length=MAX_LENGTHS["found_by_name"]
    )
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
        address=address,
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
        found_by_name=found_by_name or (actor.get_full_name() or actor.username)[:100],
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
    HAZARD_FLOW.record_event(
        hazard,
        Action.REPORT,
        actor=actor,
        now=now,
        from_status="",
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
